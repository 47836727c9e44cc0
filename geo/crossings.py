"""Transitions of lines between regions.

A *transition* is a place where a line passes from region A to region B: across a land
border, or over water between two regions that do not touch (a bridge to an island). This
module finds them; :mod:`geo.interfaces` groups them into the interfaces planners count.

How a line is read (parameters in :class:`geo.rules.CrossingRules`):

1. Only lines within ``search_band_m`` of a region boundary are examined (found on the
   coordinate arrays by :class:`geo.border_index.SegmentGrid`).
2. The line is cut where it meets a boundary; each piece is labelled with the region it
   lies in, ``OUTSIDE`` (sea, or a neighbour known only by name) or ``ON_BORDER`` (running
   exactly on a land border).
3. Pieces that never get farther than ``noise_m`` from the boundary are absorbed by their
   neighbours, so touching the border at a node, ending a metre past it, or following a
   border drawn down a street changes nothing.
4. Stretches running within ``along_band_m`` of a land border for ``along_min_length_m``
   or more are *along* the border: side changes inside are ignored, and the stretch is one
   crossing only if the line leaves it on the other side. Its length is reported.
5. A run ``OUTSIDE`` between two regions is a link over water when it leaves through a
   coast (its crossing is its landfall on the smaller of the two pieces of land it joins:
   a bridge to an island crosses at the island's coast); a run leaving through a land
   stretch whose other side is known only by name (an OpenStreetMap neighbour with no
   polygon in the extract) is a crossing into that neighbour; a run leaving through a
   ``gap`` (a part of a boundary missing from the extract) or an ``unknown`` stretch (no
   neighbour known, not coast) is not counted and is reported.
6. A line that ends at a border (within ``noise_m``) leaves a *stub*; stubs of two lines
   whose ends meet (within ``join_tolerance_m``) from different sides are one line split
   at the border and make one transition. Stubs left unmatched are dead ends at the
   border: not counted.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely
import shapely.ops

from geo.border_index import BorderIndex, point_segment_distance2, points_in_regions
from geo.grouping import near_groups
from geo.rules import CrossingRules

OUTSIDE = -1
ON_BORDER = -2
ALONG = -3

#: Distance (metres) under which a piece's midpoint is taken to lie on a boundary.
ON_LINE_M = 0.05


@dataclass
class Transition:
    """One passage of a line (or of two lines joined at the border) between regions.

    ``a``/``b`` are the region names sorted; ``direction`` is +1 when traffic flows from
    ``a`` to ``b``, -1 from ``b`` to ``a`` and 0 both ways (two-way roads, rivers).
    """

    a: str
    b: str
    x: float
    y: float
    rows: tuple[int, ...]
    direction: int
    via: str
    along: bool = False


@dataclass
class Stub:
    """The end of a line that lies at a border."""

    row: int
    at_end: bool
    label: int
    x: float
    y: float
    stretch: int


@dataclass
class SeaEnd:
    """Where a line meets the sea from region ``region``.

    ``water`` is the line's part at sea, oriented from the open end towards the coast
    (``None`` when the line ends on the coast itself).
    """

    row: int
    at_end: bool
    x: float
    y: float
    region: str
    water: shapely.LineString | None


@dataclass
class SeaLine:
    """A line lying wholly outside every region."""

    row: int
    geometry: shapely.LineString


@dataclass
class ChunkResult:
    """What one chunk of lines yields."""

    transitions: list[Transition] = field(default_factory=list)
    stubs: list[Stub] = field(default_factory=list)
    along_m: dict[tuple[str, str, int], float] = field(default_factory=lambda: defaultdict(float))
    skipped_gap: list[int] = field(default_factory=list)
    sea_ends: list[SeaEnd] = field(default_factory=list)
    sea_lines: list[SeaLine] = field(default_factory=list)

    def merge(self, other: ChunkResult) -> None:
        """Add another chunk's results to these."""
        self.transitions.extend(other.transitions)
        self.stubs.extend(other.stubs)
        self.skipped_gap.extend(other.skipped_gap)
        self.sea_ends.extend(other.sea_ends)
        self.sea_lines.extend(other.sea_lines)
        for key, metres in other.along_m.items():
            self.along_m[key] += metres

    def rows(self) -> set[int]:
        """Labels of the features that appear in these results."""
        out = {row for t in self.transitions for row in t.rows}
        out.update(s.row for s in self.stubs)
        out.update(self.skipped_gap)
        out.update(key[2] for key in self.along_m)
        out.update(e.row for e in self.sea_ends)
        out.update(line.row for line in self.sea_lines)
        return out


def _pair(first: str, second: str) -> tuple[str, str, int]:
    """Sorted pair and +1 when ``first`` is the pair's ``a``."""
    return (first, second, 1) if first <= second else (second, first, -1)


def scan_lines(
    lines: np.ndarray,
    rows: np.ndarray,
    oneway: np.ndarray,
    index: BorderIndex,
    rules: CrossingRules,
    coordinates: tuple[np.ndarray, np.ndarray] | None = None,
) -> ChunkResult:
    """Find the transitions, stubs and along stretches of one chunk of lines.

    Lines that simply cross (every piece deep on one side, no along stretch, no end at a
    border, nothing outside the regions) are handled in vectorised form; the others go
    through the full rules one by one.

    Parameters
    ----------
    lines
        LineStrings in the index's metric CRS.
    rows
        For each line, the label of its feature in the layer (reported back in results).
    oneway
        For each line: 1 one-way along the geometry, -1 against it, 0 both ways.
    index
        The border index of the region set.
    rules
        The crossing rules.
    coordinates
        ``shapely.get_coordinates(lines, return_index=True)`` when the caller has it.
    """
    result = ChunkResult()
    if len(lines) == 0 or len(index.piece_geoms) == 0:
        return result
    coords, vertex_owner = coordinates or shapely.get_coordinates(lines, return_index=True)
    seg_at, border = index.seg_grid.near_segments(coords, vertex_owner)
    candidates = np.unique(vertex_owner[seg_at])
    _far_sea_lines(lines, rows, candidates, coords, vertex_owner, index, result)
    if len(candidates) == 0:
        return result
    cand_lines = lines[candidates]
    lengths = shapely.length(cand_lines)
    segments, pair_seg = _segments(coords, vertex_owner, candidates, seg_at)
    near = _near_pairs(segments, pair_seg, border, index)
    cuts = _boundary_cuts(segments, near)
    pieces = _label_pieces(cand_lines, lengths, cuts, index, rules)
    along_per_line = _along_stretches(segments, near, index, rules)
    stubs = _stubs(cand_lines, lengths, candidates, rows, index, rules, segments, near)

    complex_line = np.zeros(len(cand_lines), dtype=bool)
    complex_line[list(along_per_line)] = True
    complex_line[list(stubs)] = True
    complex_line[pieces.owner[(pieces.label < 0) | (pieces.depth < rules.noise_m)]] = True
    simple = ~complex_line[pieces.owner]
    _simple_transitions(
        pieces, simple, cand_lines, rows[candidates], oneway[candidates], index, result
    )

    bounds = np.searchsorted(pieces.owner, np.arange(len(cand_lines) + 1))
    for k in np.flatnonzero(complex_line):
        row = int(rows[candidates[k]])
        line = cand_lines[k]
        lo, hi = bounds[k], bounds[k + 1]
        seq = _absorb_noise(
            [
                [
                    float(pieces.start[n]),
                    float(pieces.end[n]),
                    int(pieces.label[n]),
                    float(pieces.depth[n]),
                ]
                for n in range(lo, hi)
            ],
            rules.noise_m,
        )
        seq, along_hits = _apply_along(seq, along_per_line.get(int(k), []), lengths[k], rules)
        for pair_key, metres in along_hits:
            result.along_m[(*pair_key, row)] += metres
        _walk(seq, line, row, int(oneway[candidates[k]]), index, result)
        for stub in stubs.get(int(k), []):
            end_label = _end_label(seq, stub.at_end)
            if end_label is None:
                continue
            if index.stretch_kind[stub.stretch] == "coast":
                if end_label >= 0:  # a line ending on the coast: the sea starts here
                    result.sea_ends.append(
                        SeaEnd(row, stub.at_end, stub.x, stub.y, index.names[end_label], None)
                    )
                continue
            stub.label = end_label
            result.stubs.append(stub)
    return result


def _simple_transitions(
    pieces: Pieces,
    simple: np.ndarray,
    lines: np.ndarray,
    rows: np.ndarray,
    oneway: np.ndarray,
    index: BorderIndex,
    result: ChunkResult,
) -> None:
    """Transitions of lines whose pieces are all deep inside regions: at each label change."""
    same_line = pieces.owner[:-1] == pieces.owner[1:]
    change = same_line & (pieces.label[:-1] != pieces.label[1:]) & simple[:-1]
    at = np.flatnonzero(change)
    if len(at) == 0:
        return
    owner = pieces.owner[at]
    points = shapely.line_interpolate_point(lines[owner], pieces.end[at])
    xy = shapely.get_coordinates(points)
    # Names sorted per transition, as _pair sorts them, on arrays rather than one by one.
    names = np.asarray(index.names, dtype=object)
    first, second = names[pieces.label[at]], names[pieces.label[at + 1]]
    in_order = first <= second
    a = np.where(in_order, first, second).tolist()
    b = np.where(in_order, second, first).tolist()
    direction = (np.where(in_order, 1, -1) * oneway[owner].astype(np.int64)).tolist()
    labels = [(int(row),) for row in rows[owner].tolist()]
    result.transitions.extend(
        Transition(a_, b_, x, y, row, sign, "land")
        for a_, b_, x, y, row, sign in zip(
            a, b, xy[:, 0].tolist(), xy[:, 1].tolist(), labels, direction
        )
    )


def _far_sea_lines(
    lines: np.ndarray,
    rows: np.ndarray,
    candidates: np.ndarray,
    coords: np.ndarray,
    vertex_owner: np.ndarray,
    index: BorderIndex,
    result: ChunkResult,
) -> None:
    """Record lines far from every boundary that lie outside every region (mid-bridge).

    A line far from every boundary is wholly inside one region or wholly outside: its first
    vertex tells which.
    """
    if not index.has_coast:
        return
    is_far = np.ones(len(lines), dtype=bool)
    is_far[candidates] = False
    far = np.flatnonzero(is_far)
    if len(far) == 0:
        return
    first = coords[np.searchsorted(vertex_owner, far)]
    outside = ~shapely.intersects_xy(index.land, first[:, 0], first[:, 1])
    for k in np.flatnonzero(outside):
        result.sea_lines.append(SeaLine(int(rows[far[k]]), lines[far[k]]))


@dataclass(frozen=True)
class Segments:
    """The straight segments of some lines, with where each starts along its line.

    Measures along a line are computed per straight segment, never by projecting a point
    back onto the whole line: that is ambiguous where a line crosses itself, and GEOS
    overlays may join pieces of a self-crossing line at the crossing.
    """

    owner: np.ndarray
    start: np.ndarray
    origin: np.ndarray
    vector: np.ndarray
    length: np.ndarray
    first: np.ndarray
    last: np.ndarray


def _segments(
    coords: np.ndarray, vertex_owner: np.ndarray, lines: np.ndarray, seg_at: np.ndarray
) -> tuple[Segments, np.ndarray]:
    """The segments ``seg_at`` (positions of their first vertex in ``coords``).

    ``lines`` are the (sorted) lines they belong to; each segment's owner is its line's
    position there, and its measures along the line are those of the whole line;
    ``first``/``last`` tell whether it starts/ends its line. Also returns the position of
    each entry of ``seg_at`` among the segments.
    """
    first = np.searchsorted(vertex_owner, lines)
    count = np.searchsorted(vertex_owner, lines, side="right") - first
    ends = np.cumsum(count)
    vertex = np.repeat(first - (ends - count), count) + np.arange(ends[-1])
    is_segment = np.ones(len(vertex), dtype=bool)
    is_segment[ends - 1] = False  # a line's last vertex starts no segment
    seg_vertex = vertex[is_segment]
    seg_owner = np.repeat(np.arange(len(lines)), count - 1)
    a, b = coords[seg_vertex], coords[seg_vertex + 1]
    length = np.hypot(*(b - a).T)
    cumulative = np.cumsum(length)
    starts_line = np.r_[True, seg_owner[1:] != seg_owner[:-1]]
    offset = np.maximum.accumulate(np.where(starts_line, cumulative - length, 0.0))
    start = cumulative - length - offset
    keep, pair_seg = np.unique(seg_at, return_inverse=True)
    at = np.searchsorted(seg_vertex, keep)
    is_last = np.r_[seg_owner[1:] != seg_owner[:-1], True]
    segments = Segments(
        seg_owner[at],
        start[at],
        a[at],
        (b - a)[at],
        length[at],
        starts_line[at],
        is_last[at],
    )
    return segments, pair_seg


@dataclass(frozen=True)
class NearPairs:
    """Pairs of a line segment and a border segment closer than the search band.

    ``t`` parameters run along the line segment (0 at its start, 1 at its end).
    """

    seg: np.ndarray
    border: np.ndarray
    p0: np.ndarray
    r: np.ndarray
    q0: np.ndarray
    q: np.ndarray


def _near_pairs(
    segments: Segments, seg: np.ndarray, border: np.ndarray, index: BorderIndex
) -> NearPairs:
    xy = index.seg_xy[border]
    return NearPairs(
        seg, border, segments.origin[seg], segments.vector[seg], xy[:, :2], xy[:, 2:] - xy[:, :2]
    )


def _cross(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]


def _boundary_cuts(segments: Segments, pairs: NearPairs) -> tuple[np.ndarray, np.ndarray]:
    """Where lines meet a boundary: ``(line, measure)`` arrays.

    Segment intersections are solved in closed form on the near pairs; where a line runs
    exactly on a border segment, both ends of the overlap are cuts.
    """
    denom = _cross(pairs.r, pairs.q)
    diff = pairs.q0 - pairs.p0
    eps = 1e-12
    with np.errstate(divide="ignore", invalid="ignore"):
        t = _cross(diff, pairs.q) / denom
        u = _cross(diff, pairs.r) / denom
    crossing = (np.abs(denom) > eps) & (t >= -eps) & (t <= 1 + eps) & (u >= -eps) & (u <= 1 + eps)
    seg = [pairs.seg[crossing]]
    ts = [np.clip(t[crossing], 0.0, 1.0)]
    collinear = (np.abs(denom) <= eps) & (np.abs(_cross(diff, pairs.r)) <= eps)
    if collinear.any():
        r = pairs.r[collinear]
        rr = np.einsum("ij,ij->i", r, r)
        with np.errstate(divide="ignore", invalid="ignore"):
            t0 = np.einsum("ij,ij->i", diff[collinear], r) / rr
            t1 = np.einsum("ij,ij->i", diff[collinear] + pairs.q[collinear], r) / rr
        lo, hi = np.maximum(np.minimum(t0, t1), 0.0), np.minimum(np.maximum(t0, t1), 1.0)
        overlap = (lo <= hi) & (rr > 0)
        seg += [pairs.seg[collinear][overlap]] * 2
        ts += [lo[overlap], hi[overlap]]
    seg_all, t_all = np.concatenate(seg), np.concatenate(ts)
    length = segments.length[seg_all]
    measures = np.round(segments.start[seg_all] + t_all * length, 3)
    return segments.owner[seg_all], measures


def _linear_range(
    f0: np.ndarray, f1: np.ndarray, lo: float | np.ndarray, hi: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Range of ``t`` where ``lo <= f0 + f1 * t <= hi`` (empty ranges have start > end)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a, b = (lo - f0) / f1, (hi - f0) / f1
    start, end = np.minimum(a, b), np.maximum(a, b)
    flat = f1 == 0
    inside = (f0 >= lo) & (f0 <= hi)
    start = np.where(flat, np.where(inside, -np.inf, np.inf), start)
    end = np.where(flat, np.where(inside, np.inf, -np.inf), end)
    return start, end


def _disc_range(d: np.ndarray, r: np.ndarray, w: float) -> tuple[np.ndarray, np.ndarray]:
    """Range of ``t`` where ``|d + t r| <= w`` (``d`` from the disc centre to the start)."""
    a = np.einsum("ij,ij->i", r, r)
    b = 2.0 * np.einsum("ij,ij->i", d, r)
    c = np.einsum("ij,ij->i", d, d) - w * w
    disc = b * b - 4 * a * c
    root = np.sqrt(np.maximum(disc, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        start, end = (-b - root) / (2 * a), (-b + root) / (2 * a)
    empty = (disc < 0) | (a == 0)
    return np.where(empty, np.inf, start), np.where(empty, -np.inf, end)


def _along_stretches(
    segments: Segments, pairs: NearPairs, index: BorderIndex, rules: CrossingRules
) -> dict[int, list[tuple[float, float, str]]]:
    """Intervals of each line that run within ``along_band_m`` of a land border long enough.

    For each pair of a line segment and a land-border segment, the part of the line segment
    within the band is the interval where it meets the capsule around the border segment
    (a strip and two end discs), solved in closed form. Returns
    ``{line: [(start, end, "A|B"), ...]}`` for lines that have any.
    """
    w = rules.along_band_m
    if rules.along_min_length_m <= 0 or len(pairs.seg) == 0:
        return {}
    land = index.stretch_kind[index.seg_stretch[pairs.border]] == "land"
    r, q, p0, q0 = pairs.r[land], pairs.q[land], pairs.p0[land], pairs.q0[land]
    if len(r) == 0:
        return {}
    qq = np.einsum("ij,ij->i", q, q)
    qlen = np.sqrt(qq)
    d = p0 - q0
    # Strip: perpendicular distance within w and projection within the border segment.
    with np.errstate(divide="ignore", invalid="ignore"):
        s0, s1 = _linear_range(_cross(d, q) / qlen, _cross(r, q) / qlen, -w, w)
        u0, u1 = _linear_range(
            np.einsum("ij,ij->i", d, q) / qq, np.einsum("ij,ij->i", r, q) / qq, 0.0, 1.0
        )
    strip0, strip1 = np.maximum(s0, u0), np.minimum(s1, u1)
    strip0 = np.where(qq > 0, strip0, np.inf)
    a0, a1 = _disc_range(d, r, w)
    b0, b1 = _disc_range(p0 - (q0 + q), r, w)
    starts = np.stack(
        [
            np.where(strip0 <= strip1, strip0, np.inf),
            np.where(a0 <= a1, a0, np.inf),
            np.where(b0 <= b1, b0, np.inf),
        ]
    )
    ends = np.stack(
        [
            np.where(strip0 <= strip1, strip1, -np.inf),
            np.where(a0 <= a1, a1, -np.inf),
            np.where(b0 <= b1, b1, -np.inf),
        ]
    )
    t0, t1 = np.clip(starts.min(axis=0), 0, 1), np.clip(ends.max(axis=0), 0, 1)
    hit = t0 < t1
    seg = pairs.seg[land][hit]
    lo = segments.start[seg] + t0[hit] * segments.length[seg]
    hi = segments.start[seg] + t1[hit] * segments.length[seg]
    pair_names = index.stretch_pair[index.seg_stretch[pairs.border[land][hit]]]
    owner = segments.owner[seg]
    # Only lines whose total length in the band can reach the minimum are merged.
    total = np.bincount(owner, weights=hi - lo, minlength=int(owner.max(initial=-1)) + 1)
    keep = total[owner] >= rules.along_min_length_m
    intervals: dict[int, list[tuple[float, float, str]]] = defaultdict(list)
    for k, s, e, p in zip(owner[keep], lo[keep], hi[keep], pair_names[keep]):
        intervals[int(k)].append((float(s), float(e), str(p)))
    out: dict[int, list[tuple[float, float, str]]] = {}
    for k, spans in intervals.items():
        merged = _merge_intervals(spans, rules.noise_m)
        kept = [m for m in merged if m[1] - m[0] >= rules.along_min_length_m]
        if kept:
            out[k] = kept
    return out


@dataclass(frozen=True)
class Pieces:
    """Lines cut where they meet a boundary, sorted by line and measure.

    ``label`` is a region row, ``OUTSIDE`` or ``ON_BORDER``; ``depth`` is how far the piece
    gets from the nearest boundary (capped just above the noise distance).
    """

    owner: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray
    depth: np.ndarray


def _label_pieces(
    lines: np.ndarray,
    lengths: np.ndarray,
    cuts: tuple[np.ndarray, np.ndarray],
    index: BorderIndex,
    rules: CrossingRules,
) -> Pieces:
    """Cut each line at its boundary measures and label every piece.

    A piece's depth is its middle's distance from the nearest border, measured on the
    index's grid (:meth:`geo.border_index.SegmentGrid.nearest_distance`), and where that is
    under the noise distance, the largest over its vertices (:func:`_piece_depths`).
    """
    n = len(lines)
    cut_line, cut_at = cuts
    owner = np.concatenate([np.arange(n), cut_line, np.arange(n)])
    at = np.concatenate([np.zeros(n), np.clip(cut_at, 0.0, lengths[cut_line]), lengths])
    order = np.lexsort((at, owner))
    owner, at = owner[order], at[order]
    keep = np.r_[True, (owner[1:] != owner[:-1]) | (at[1:] != at[:-1])]
    owner, at = owner[keep], at[keep]
    is_piece = owner[:-1] == owner[1:]
    p_owner, p_start, p_end = owner[:-1][is_piece], at[:-1][is_piece], at[1:][is_piece]
    zero = np.setdiff1d(np.arange(n), p_owner)  # lines of length zero: one empty piece
    if len(zero):
        p_owner = np.concatenate([p_owner, zero])
        p_start = np.concatenate([p_start, np.zeros(len(zero))])
        p_end = np.concatenate([p_end, np.zeros(len(zero))])
        order = np.lexsort((p_start, p_owner))
        p_owner, p_start, p_end = p_owner[order], p_start[order], p_end[order]
    mids = shapely.line_interpolate_point(lines[p_owner], (p_start + p_end) / 2.0)
    labels = np.full(len(mids), OUTSIDE)
    point_idx, region_idx = points_in_regions(mids, index)
    labels[point_idx] = region_idx
    labels[np.bincount(point_idx, minlength=len(mids)) >= 2] = ON_BORDER
    cap = 2.0 * rules.noise_m + 1.0
    depth = np.minimum(index.seg_grid.nearest_distance(shapely.get_coordinates(mids), cap), cap)
    _label_on_border(labels, mids, depth, index, cap)
    # A piece whose middle is near the boundary may still reach deeper at a vertex.
    todo = np.flatnonzero(depth < rules.noise_m)
    depth[todo] = _piece_depths(
        lines, p_owner[todo], p_start[todo], p_end[todo], depth[todo], index, cap
    )
    return Pieces(p_owner, p_start, p_end, labels, depth)


def _label_on_border(
    labels: np.ndarray, mids: np.ndarray, depth: np.ndarray, index: BorderIndex, cap: float
) -> None:
    """Relabel the pieces whose middle lies on a boundary (within :data:`ON_LINE_M`).

    On a land border a piece belongs to neither side (``ON_BORDER``); on a coast or a gap,
    to the stretch's region. The stretch is that of the border piece nearest to the middle
    (:meth:`geo.border_index.BorderIndex.nearest_stretches`); ``depth`` is each middle's
    distance from the nearest border.
    """
    on = np.flatnonzero(depth <= ON_LINE_M)
    found, stretch, _ = index.nearest_stretches(mids[on], cap)
    on = on[found]
    land = index.stretch_kind[stretch] == "land"
    labels[on[land]] = ON_BORDER
    labels[on[~land]] = [index.names.index(a) for a in index.stretch_a[stretch[~land]]]


def _piece_depths(
    lines: np.ndarray,
    owner: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    known: np.ndarray,
    index: BorderIndex,
    cap: float,
) -> np.ndarray:
    """Largest distance from a boundary over each piece's vertices (at least ``known``).

    A piece is the part of line ``lines[owner]`` from measure ``start`` to ``end``; its
    vertices are those of ``shapely.ops.substring`` (the points at both measures and the
    line's vertices strictly between them, their measures summed as it sums them), all
    measured at once on the border index's grid. A vertex farther than ``cap`` gives
    ``cap``.
    """
    depth = np.array(known, dtype=float)
    todo = np.flatnonzero(end > start)
    if not len(todo):
        return depth
    ends = shapely.get_coordinates(
        shapely.line_interpolate_point(
            np.concatenate([lines[owner[todo]], lines[owner[todo]]]),
            np.concatenate([start[todo], end[todo]]),
        )
    )
    inner_piece, inner_xy = _inner_vertices(lines, owner[todo], start[todo], end[todo])
    piece = np.concatenate([np.tile(np.arange(len(todo)), 2), inner_piece])
    dist = index.seg_grid.nearest_distance(np.concatenate([ends, inner_xy]), cap)
    farthest = np.zeros(len(todo))
    np.maximum.at(farthest, piece, np.minimum(dist, cap))
    depth[todo] = np.maximum(depth[todo], farthest)
    return depth


def _inner_vertices(
    lines: np.ndarray, owner: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The vertices of lines strictly between two measures, for several pieces at once.

    Returns, for every vertex of ``lines[owner[k]]`` whose measure (:func:`_vertex_measures`)
    lies strictly between ``start[k]`` and ``end[k]``, the piece ``k`` and its ``(x, y)``.
    Measures never decrease along a line, so each piece's vertices are one run of its
    line's.
    """
    used, line_of = np.unique(owner, return_inverse=True)
    coords, vertex_line = shapely.get_coordinates(lines[used], return_index=True)
    first = np.searchsorted(vertex_line, np.arange(len(used) + 1))
    lo = np.zeros(len(owner), dtype=np.int64)
    hi = np.zeros(len(owner), dtype=np.int64)
    by_line = np.argsort(line_of, kind="stable")
    bounds = np.searchsorted(line_of[by_line], np.arange(len(used) + 1))
    for k in range(len(used)):
        _, measures = _vertex_measures(coords[first[k] : first[k + 1]])
        pieces = by_line[bounds[k] : bounds[k + 1]]
        lo[pieces] = first[k] + np.searchsorted(measures, start[pieces], side="right")
        hi[pieces] = first[k] + np.searchsorted(measures, end[pieces], side="left")
    count = np.maximum(hi - lo, 0)
    piece = np.repeat(np.arange(len(owner)), count)
    vertex = np.repeat(lo - (np.cumsum(count) - count), count) + np.arange(count.sum())
    return piece, coords[vertex]


def _vertex_measures(coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A line's vertices but its last, and their measures along it.

    Summed one segment at a time in Python floats, as ``shapely.ops.substring`` does, so
    that a vertex is inside a piece exactly when it is in the substring.
    """
    measures = [0.0]
    current = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(coords.tolist()):
        current += ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        measures.append(current)
    return coords[:-1], np.array(measures[:-1])


def _absorb_noise(pieces: list[list[Any]], noise_m: float) -> list[list[Any]]:
    """Give pieces that stay within ``noise_m`` of a boundary to their neighbours.

    Pieces are ``[start, end, label, depth]``; consecutive pieces with equal labels merge.
    """
    if not pieces:
        return []
    long_enough = [p[:] for p in pieces if p[3] >= noise_m]
    if not long_enough:
        # The whole line is shorter than the noise: keep its longest piece.
        best = max(pieces, key=lambda p: p[1] - p[0])
        return [[pieces[0][0], pieces[-1][1], best[2]]]
    # Stretch the kept pieces over the dropped ones: each gap goes to the piece before it.
    long_enough[0][0] = pieces[0][0]
    for prev, nxt in itertools.pairwise(long_enough):
        prev[1] = nxt[0]
    long_enough[-1][1] = pieces[-1][1]
    merged = [long_enough[0]]
    for piece in long_enough[1:]:
        if piece[2] == merged[-1][2]:
            merged[-1][1] = piece[1]
        else:
            merged.append(piece)
    return merged


def _merge_intervals(
    spans: list[tuple[float, float, str]], gap: float
) -> list[tuple[float, float, str]]:
    """Union of intervals closer than ``gap``; the pair is that of the longest member."""
    spans = sorted(spans)
    merged: list[list[Any]] = []
    for s, e, p in spans:
        if merged and s <= merged[-1][1] + gap:
            top = merged[-1]
            top[1] = max(top[1], e)
            top[3][p] += e - s
        else:
            merged.append([s, e, None, defaultdict(float, {p: e - s})])
    return [(s, e, max(w, key=w.get)) for s, e, _, w in merged]


def _apply_along(
    seq: list[list[Any]],
    along: list[tuple[float, float, str]],
    length: float,
    rules: CrossingRules,
) -> tuple[list[list[Any]], list[tuple[tuple[str, str], float]]]:
    """Replace along stretches by single ``ALONG`` pieces that remember where they cross.

    An ``ALONG`` piece is ``[start, end, ALONG, crossing_measure]``: the measure of the last
    side change inside it (or its end when there is none).
    """
    hits: list[tuple[tuple[str, str], float]] = []
    for s, e, pair in along:
        a, b = pair.split("|")
        hits.append(((a, b), e - s))
        inside = [p for p in seq if p[1] > s and p[0] < e]
        changes = [p[0] for p in inside if s < p[0] < e]
        crossing = changes[-1] if changes else e
        before = [p[:] for p in seq if p[1] <= s]
        after = [p[:] for p in seq if p[0] >= e]
        head = [p for p in seq if p[0] < s < p[1]]
        tail = [p for p in seq if p[0] < e < p[1]]
        if head:
            before.append([head[0][0], s, head[0][2], *head[0][3:]])
        if tail:
            after.insert(0, [e, tail[0][1], tail[0][2], *tail[0][3:]])
        seq = [*before, [s, e, ALONG, crossing], *after]
    return seq, hits


def _end_label(seq: list[list[Any]], at_end: bool) -> int | None:
    """Label of the piece at one end of the line, or None when it runs on the border."""
    if not seq:
        return None
    piece = seq[-1] if at_end else seq[0]
    return piece[2] if piece[2] >= OUTSIDE else None


def _walk(
    seq: list[list[Any]],
    line: shapely.LineString,
    row: int,
    oneway: int,
    index: BorderIndex,
    result: ChunkResult,
) -> None:
    """Turn a labelled piece sequence into transitions."""
    record = _Recorder(result, line, row, oneway)
    solid = [(k, p) for k, p in enumerate(seq) if p[2] >= OUTSIDE]
    for (i, prev), (j, nxt) in itertools.pairwise(solid):
        between = seq[i + 1 : j]
        along = any(p[2] == ALONG for p in between)
        if prev[2] == nxt[2] or OUTSIDE in (prev[2], nxt[2]):
            continue
        measure = _crossing_measure(prev, nxt, between)
        record.add(index.names[prev[2]], index.names[nxt[2]], measure, "land", along)
    if len(solid) == 1 and solid[0][1][2] == OUTSIDE:
        result.sea_lines.append(SeaLine(row, line))
        return
    _walk_outside(solid, record, index)


def _crossing_measure(prev: list[Any], nxt: list[Any], between: list[list[Any]]) -> float:
    """Where along the line the passage from ``prev`` to ``nxt`` happens."""
    for p in between:
        if p[2] == ALONG:
            return float(p[3])
    if between:
        return (between[0][0] + between[-1][1]) / 2.0
    return float(prev[1])


def _walk_outside(
    solid: list[tuple[int, list[Any]]], record: _Recorder, index: BorderIndex
) -> None:
    """Resolve runs outside every region: links over water, neighbours known by name."""
    line, row, result = record.line, record.row, record.result
    for pos, (_k, piece) in enumerate(solid):
        if piece[2] != OUTSIDE:
            continue
        prev = solid[pos - 1][1] if pos > 0 else None
        nxt = solid[pos + 1][1] if pos + 1 < len(solid) else None
        if (prev is not None and prev[2] == OUTSIDE) or (nxt is not None and nxt[2] == OUTSIDE):
            continue  # cannot happen after merging; kept for safety
        exit_kind, exit_name = (
            _stretch_at(line, piece[0], prev[2], index) if prev is not None else ("", "")
        )
        entry_kind, entry_name = (
            _stretch_at(line, piece[1], nxt[2], index) if nxt is not None else ("", "")
        )
        if {"gap", "unknown"} & {exit_kind, entry_kind}:
            result.skipped_gap.append(row)
            continue
        if prev is not None and nxt is not None and prev[2] != nxt[2]:
            over_water = exit_kind == "coast" or entry_kind == "coast"
            measure = (
                _water_measure(line, piece, prev[2], nxt[2], index) if over_water else piece[0]
            )
            via = "water" if over_water else "land"
            record.add(index.names[prev[2]], index.names[nxt[2]], measure, via)
            continue
        if prev is not None and exit_kind == "land" and exit_name:
            record.add(index.names[prev[2]], exit_name, piece[0], "land")
        if nxt is not None and entry_kind == "land" and entry_name:
            record.add(entry_name, index.names[nxt[2]], piece[1], "land")
        if prev is not None and nxt is None and exit_kind == "coast":
            water = shapely.ops.substring(line, piece[0], piece[1]).reverse()
            end = line.coords[-1]
            result.sea_ends.append(SeaEnd(row, True, end[0], end[1], index.names[prev[2]], water))
        if prev is None and nxt is not None and entry_kind == "coast":
            water = shapely.ops.substring(line, piece[0], piece[1])
            start = line.coords[0]
            result.sea_ends.append(
                SeaEnd(row, False, start[0], start[1], index.names[nxt[2]], water)
            )


def _land_area(point: shapely.Point, region: int, index: BorderIndex) -> float:
    """Area of the piece of land (one polygon of the region) nearest to ``point``."""
    geom = index.region_geoms[region]
    parts = list(getattr(geom, "geoms", [geom]))
    return float(min(parts, key=lambda part: shapely.distance(point, part)).area)


def _water_measure(
    line: shapely.LineString,
    piece: list[Any],
    before: int,
    after: int,
    index: BorderIndex,
) -> float:
    """Where a link over water crosses: its landfall on the smaller piece of land.

    A bridge or causeway to an island crosses where it reaches the island's coast (the
    Donghai Bridge where it reaches the Yangshan islands as drawn), so the point is on a
    stated line, not in open water; the island is the smaller of the two pieces of land it
    joins. Two pieces of equal area (to 1 m²) keep the middle of the water part.
    """
    start = shapely.line_interpolate_point(line, piece[0])
    end = shapely.line_interpolate_point(line, piece[1])
    left, right = _land_area(start, before, index), _land_area(end, after, index)
    if abs(left - right) < 1.0:
        return float((piece[0] + piece[1]) / 2.0)
    return float(piece[0] if left < right else piece[1])


def _stretch_at(
    line: shapely.LineString, measure: float, region: int, index: BorderIndex
) -> tuple[str, str]:
    """Kind and other side of the region's border stretch nearest to a point of the line."""
    point = shapely.line_interpolate_point(line, measure)
    candidates = index.piece_tree.query(point, predicate="dwithin", distance=50.0)
    if len(candidates) == 0:
        candidates = index.piece_tree.query_nearest(point)
    name = index.names[region]
    own = [c for c in candidates if index.stretch_a[index.piece_stretch[c]] == name]
    pool = own or list(candidates)
    best = min(pool, key=lambda c: shapely.distance(point, index.piece_geoms[c]))
    stretch = index.piece_stretch[best]
    return str(index.stretch_kind[stretch]), str(index.stretch_b[stretch])


@dataclass(frozen=True)
class _Recorder:
    """Records the transitions of one line into a chunk's results."""

    result: ChunkResult
    line: shapely.LineString
    row: int
    oneway: int

    def add(self, first: str, second: str, measure: float, via: str, along: bool = False) -> None:
        """Record a transition from region ``first`` to ``second`` at ``measure``."""
        a, b, sign = _pair(first, second)
        point = shapely.line_interpolate_point(self.line, measure)
        self.result.transitions.append(
            Transition(a, b, point.x, point.y, (self.row,), sign * self.oneway, via, along)
        )


def _stubs(
    lines: np.ndarray,
    lengths: np.ndarray,
    candidates: np.ndarray,
    rows: np.ndarray,
    index: BorderIndex,
    rules: CrossingRules,
    segments: Segments,
    near: NearPairs,
) -> dict[int, list[Stub]]:
    """Line ends at a border: within ``noise_m`` (at least ``join_tolerance_m``) of a piece.

    The reach is the noise distance because a line ending closer than that past the border
    has had its last bit absorbed into the side it came from. Only the ends whose segment
    has a border segment that close among its near pairs are looked up in the index.
    """
    out: dict[int, list[Stub]] = defaultdict(list)
    reach = max(rules.noise_m, rules.join_tolerance_m)
    for at_end in (False, True):
        maybe = _ends_near(segments, near, reach, at_end)
        ends = shapely.get_point(lines[maybe], -1 if at_end else 0)
        pts, stretches, _ = index.nearest_stretches(ends, reach)
        for p, stretch in zip(pts, stretches.tolist()):
            k = int(maybe[p])
            if lengths[k] <= 0:
                continue
            out[k].append(
                Stub(
                    int(rows[candidates[k]]),
                    at_end,
                    OUTSIDE,
                    ends[p].x,
                    ends[p].y,
                    stretch,
                )
            )
    return out


def _ends_near(segments: Segments, near: NearPairs, reach: float, at_end: bool) -> np.ndarray:
    """Lines (sorted) whose first (or last) vertex may lie within ``reach`` of a border.

    It is a superset: a small margin covers rounding.
    """
    seg = near.seg
    pick = segments.last[seg] if at_end else segments.first[seg]
    point = near.p0[pick] + near.r[pick] if at_end else near.p0[pick]
    q0, q1 = near.q0[pick], near.q0[pick] + near.q[pick]
    d2 = point_segment_distance2(point[:, 0], point[:, 1], q0[:, 0], q0[:, 1], q1[:, 0], q1[:, 1])
    return np.unique(segments.owner[seg[pick][d2 <= (reach + 1e-6) ** 2]])


def join_stubs(
    stubs: list[Stub],
    features: pd.DataFrame,
    index: BorderIndex,
    rules: CrossingRules,
) -> tuple[list[Transition], int]:
    """Pair line ends that meet at a border from different sides into transitions.

    Ends are grouped by location (within ``join_tolerance_m``); within a group each end
    on one side is matched once with an end on another side, preferring the same route
    (shared ref, else same name, else same class).

    Returns
    -------
    (transitions, dead_ends)
        The joined transitions and the number of unmatched ends (dead ends at a border).
    """
    if not stubs:
        return [], 0
    groups = near_groups(np.array([(s.x, s.y) for s in stubs]), rules.join_tolerance_m)
    transitions: list[Transition] = []
    dead = 0
    for members in groups.groups():
        used: set[int] = set()
        for i in members:
            if i in used:
                continue
            options = [
                j
                for j in members
                if j != i
                and j not in used
                and stubs[j].label != stubs[i].label
                and stubs[j].row != stubs[i].row
            ]
            if not options:
                continue
            j = max(options, key=lambda j: _route_affinity(features, stubs[i].row, stubs[j].row))
            made = _joined_transition(stubs[i], stubs[j], features, index)
            if made is not None:
                transitions.append(made)
                used.update((i, j))
        dead += sum(1 for i in members if i not in used)
    return transitions, dead


def _route_affinity(features: pd.DataFrame, row_a: int, row_b: int) -> int:
    """3 when two features share a ref, 2 the same name, 1 the same class, else 0."""
    fa, fb = features.loc[row_a], features.loc[row_b]
    refs_a = {r for r in str(fa["ref"]).split(";") if r}
    refs_b = {r for r in str(fb["ref"]).split(";") if r}
    if refs_a & refs_b:
        return 3
    if fa["name"] and fa["name"] == fb["name"]:
        return 2
    return 1 if fa["class"] == fb["class"] else 0


def _joined_transition(
    first: Stub, second: Stub, features: pd.DataFrame, index: BorderIndex
) -> Transition | None:
    """The transition made by two stubs on different sides of the same point."""
    side = {}
    for stub in (first, second):
        if stub.label >= 0:
            side[id(stub)] = index.names[stub.label]
        else:
            kind, name = str(index.stretch_kind[stub.stretch]), str(index.stretch_b[stub.stretch])
            if kind != "land" or not name:
                return None
            side[id(stub)] = name
    from_name, to_name = side[id(first)], side[id(second)]
    if from_name == to_name:
        return None
    a, b, sign = _pair(from_name, to_name)
    # Travel along ``first`` reaches the border going first -> second when the stub is at
    # its end; leaves it going second -> first when the stub is at its start.
    geometric = 1 if first.at_end else -1
    flow = int(features.at[first.row, "oneway"])
    if flow == 0:
        flow = int(features.at[second.row, "oneway"])
        geometric = 1 if not second.at_end else -1
    return Transition(
        a, b, first.x, first.y, (first.row, second.row), sign * geometric * flow, "land"
    )
