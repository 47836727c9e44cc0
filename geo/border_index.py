"""Spatial indexes over a :class:`~geo.regions.RegionSet`, built once and lent out.

Border stretches are cut into short pieces so that bounding-box queries stay tight even
for long, winding borders; the engine then only looks closely at lines near a piece.
:func:`lent_border_index` keeps the indexes of a region set between counts (building one
takes about 30 ms on the embedded data, a quarter of a count) and lends each to one
thread at a time, as GEOS prepared geometries require.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np
import shapely

from geo.regions import RegionSet
from geo.rules import CrossingRules

#: Segments per border piece: short pieces keep the index's bounding boxes tight.
PIECE_SEGMENTS = 16


#: Cell side (metres) of the grid that finds line segments near border segments.
GRID_CELL_M = 1000.0

#: Most cells along either side of that grid (wider data gets wider cells).
GRID_MAX_SIDE_CELLS = 4000

#: Half the length (metres) of the longest line segment the grid's vertex test vouches
#: for: every point of a segment at most twice this long lies within this distance of
#: one of its ends. Longer segments skip that test and go straight to the exact one.
VERTEX_REACH_M = 1000.0

#: Most point and border segment pairs :meth:`SegmentGrid.pairs_within` measures at once
#: (about 100 bytes each while measured).
PAIRS_PER_BLOCK = 1 << 20


@dataclass(frozen=True)
class SegmentGrid:
    """Border segments binned in square cells, to find the line segments near them.

    Two tests, both on coordinate arrays (no geometry is built):

    1. a vertex test: ``near_cells`` marks every cell within ``band + VERTEX_REACH_M`` of
       a border segment, so a line segment of at most ``2 * VERTEX_REACH_M`` with
       neither end in a marked cell is farther than ``band`` from every border;
    2. an exact test on the segments that pass: each border segment is listed in the
       cells that its bounding box, grown by ``band``, meets, so a line segment within
       ``band`` of a border segment shares a cell with it; only the distances of such
       pairs are computed.

    Attributes
    ----------
    x0, y0, cell, nx, ny
        Origin (lower left corner), cell side and cells along x and y.
    band
        The distance the grid answers for (metres).
    segs
        The border segments ``(x0, y0, x1, y1)``.
    near_cells
        Boolean ``(nx, ny)`` raster of the vertex test. Its outermost cells are never
        marked, so a point clipped into the raster from outside falls in an unmarked cell.
    boxes
        The bounding boxes of the border segments grown by ``band``
        ``(xmin, ymin, xmax, ymax)``.
    cell_ids, cell_start, cell_segs
        The cells listing border segments (``cx * ny + cy``, sorted), where each one's list
        starts in ``cell_segs`` (one more entry than cells), and the listed segments.
    """

    x0: float
    y0: float
    cell: float
    nx: int
    ny: int
    band: float
    segs: np.ndarray
    boxes: np.ndarray
    near_cells: np.ndarray
    cell_ids: np.ndarray
    cell_start: np.ndarray
    cell_segs: np.ndarray

    @classmethod
    def build(cls, segs: np.ndarray, band: float) -> SegmentGrid:
        """Bin border segments ``(x0, y0, x1, y1)`` for queries within ``band`` metres."""
        lo = np.minimum(segs[:, :2], segs[:, 2:])
        hi = np.maximum(segs[:, :2], segs[:, 2:])
        reach = band + VERTEX_REACH_M
        low = lo.min(axis=0, initial=0.0) - reach
        high = hi.max(axis=0, initial=0.0) + reach
        cell = max(GRID_CELL_M, float((high - low).max()) / (GRID_MAX_SIDE_CELLS - 4))
        origin = low - cell  # a spare unmarked cell on every side
        nx, ny = ((high - origin) // cell).astype(int) + 2
        grid = cls(
            x0=float(origin[0]),
            y0=float(origin[1]),
            cell=cell,
            nx=int(nx),
            ny=int(ny),
            band=float(band),
            segs=segs,
            boxes=np.hstack([lo - band, hi + band]),
            near_cells=np.zeros((nx, ny), dtype=bool),
            cell_ids=np.zeros(0, dtype=np.int64),
            cell_start=np.zeros(1, dtype=np.int64),
            cell_segs=np.zeros(0, dtype=np.int64),
        )
        _, cx, cy = grid.cells_of_boxes(lo - reach, hi + reach)
        grid.near_cells[cx, cy] = True
        owner, cx, cy = grid.cells_of_boxes(lo - band, hi + band)
        ids = cx * ny + cy
        order = np.lexsort((owner, ids))
        ids, owner = ids[order], owner[order]
        first = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else ids
        return replace(
            grid, cell_ids=ids[first], cell_start=np.r_[first, len(ids)], cell_segs=owner
        )

    def cells_of_boxes(
        self, lo: np.ndarray, hi: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every cell that boxes (corners ``lo``, ``hi``: ``(n, 2)`` arrays) meet.

        Returns ``(box, cx, cy)``: one entry per box and cell, boxes in order. Parts of
        boxes beyond the grid are left out.
        """
        c0 = np.floor((lo - (self.x0, self.y0)) / self.cell)
        c1 = np.floor((hi - (self.x0, self.y0)) / self.cell)
        c0 = np.clip(c0, 0, (self.nx, self.ny)).astype(np.int64)
        c1 = np.clip(c1, -1, (self.nx - 1, self.ny - 1)).astype(np.int64)
        wide = np.maximum(c1[:, 0] - c0[:, 0] + 1, 0)
        high = np.maximum(c1[:, 1] - c0[:, 1] + 1, 0)
        count = wide * high
        box = np.repeat(np.arange(len(lo)), count)
        k = np.arange(len(box)) - np.repeat(np.cumsum(count) - count, count)
        return box, c0[box, 0] + k // high[box], c0[box, 1] + k % high[box]

    def near_segments(
        self, coords: np.ndarray, vertex_owner: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pairs of a line segment and a border segment at most ``band`` apart.

        Parameters
        ----------
        coords, vertex_owner
            The lines' vertices, line after line, and the line of each (as from
            ``shapely.get_coordinates(lines, return_index=True)``).

        Returns
        -------
        (segment, border)
            Each line segment as the position in ``coords`` of its first vertex, and the
            row of the border segment in ``segs``, sorted by segment then border. Every
            pair within ``band`` is there; a few just beyond it may be too.
        """
        empty = np.array([], dtype=np.int64)
        if len(coords) < 2 or len(self.cell_ids) == 0:
            return empty, empty
        x, y = coords[:, 0], coords[:, 1]
        inv = 1.0 / self.cell
        cx = np.clip(((x - self.x0) * inv).astype(np.int64), 0, self.nx - 1)
        cy = np.clip(((y - self.y0) * inv).astype(np.int64), 0, self.ny - 1)
        marked = self.near_cells.ravel()[cx * self.ny + cy]
        dx, dy = np.diff(x), np.diff(y)
        long = dx * dx + dy * dy > (2.0 * VERTEX_REACH_M) ** 2
        seg = np.flatnonzero(
            (marked[:-1] | marked[1:] | long) & (vertex_owner[1:] == vertex_owner[:-1])
        )
        ax, ay, bx, by = x[seg], y[seg], x[seg + 1], y[seg + 1]
        lo = np.stack([np.minimum(ax, bx), np.minimum(ay, by)], axis=1)
        hi = np.stack([np.maximum(ax, bx), np.maximum(ay, by)], axis=1)
        pair, border = self._listed(lo, hi)
        # Boxes first (cheap), then the distance of the pairs whose boxes meet.
        box = self.boxes[border]
        meet = (
            (lo[pair, 0] <= box[:, 2])
            & (hi[pair, 0] >= box[:, 0])
            & (lo[pair, 1] <= box[:, 3])
            & (hi[pair, 1] >= box[:, 1])
        )
        pair, border = pair[meet], border[meet]
        q = self.segs[border]
        d2 = _segment_distance2(
            ax[pair], ay[pair], bx[pair], by[pair], q[:, 0], q[:, 1], q[:, 2], q[:, 3]
        )
        near = d2 <= (self.band * (1.0 + 1e-9)) ** 2
        keys = np.unique(seg[pair[near]] * len(self.segs) + border[near])
        return keys // len(self.segs), keys % len(self.segs)

    def _listed(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The border segments listed in the cells that boxes (corners ``lo``, ``hi``) meet.

        Returns ``(box, border)`` pairs, boxes in order; a segment listed in several of a
        box's cells comes once per cell.
        """
        return self._expand(*self._listing_cells(lo, hi))

    def _listing_cells(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The cells that boxes meet and that list segments: ``(box, slot in cell_ids)``."""
        entry, gx, gy = self.cells_of_boxes(lo, hi)
        ids = gx * self.ny + gy
        slot = np.minimum(np.searchsorted(self.cell_ids, ids), len(self.cell_ids) - 1)
        hit = self.cell_ids[slot] == ids
        return entry[hit], slot[hit]

    def _expand(self, entry: np.ndarray, slot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(entry, border)``: each entry with every segment its cell (``slot``) lists."""
        count = self.cell_start[slot + 1] - self.cell_start[slot]
        pair = np.repeat(entry, count)
        k = np.arange(len(pair)) - np.repeat(np.cumsum(count) - count, count)
        return pair, self.cell_segs[np.repeat(self.cell_start[slot], count) + k]

    def pairs_within(
        self, xy: np.ndarray, within: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs of a point and a border segment at most ``within`` apart, and their distance.

        The distances are those GEOS gives (:func:`geos_point_segment_distance`): the least
        of a point's equals an STRtree ``query_nearest`` of the border pieces with
        ``max_distance=within`` to the last bit, at a fraction of its time (no geometry is
        built). Every pair is found, for any ``within``.

        Parameters
        ----------
        xy
            Points ``(n, 2)`` in the index's metric CRS.
        within
            The distance (metres) beyond which a border is not looked for.

        Returns
        -------
        (point, border, distance)
            The point's row in ``xy`` (points in order), the border segment's in ``segs``
            and their distance; a pair may come more than once.
        """
        empty = np.array([], dtype=np.int64)
        if len(xy) == 0 or len(self.cell_ids) == 0:
            return empty, empty, np.array([], dtype=float)
        # A border segment within ``within`` of a point has its point nearest to it in the
        # point's square of side ``2 * within`` (a millimetre wider for rounding), so in a
        # cell that the square meets and the grid holds, and that cell lists the segment
        # (the segment's box grown by ``band`` meets it). Cells beyond the grid list none.
        square = within + 1e-3
        entry, slot = self._listing_cells(xy - square, xy + square)
        # Measured a block of about PAIRS_PER_BLOCK pairs at a time: where borders are drawn
        # in detail a cell lists hundreds of segments, and all pairs at once would take GBs.
        count = self.cell_start[slot + 1] - self.cell_start[slot]
        block = np.cumsum(count) // PAIRS_PER_BLOCK
        cuts = np.searchsorted(block, np.arange(int(block[-1]) + 2)) if len(block) else [0, 0]
        found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for first, last in itertools.pairwise(cuts):
            point, border = self._expand(entry[first:last], slot[first:last])
            q = self.segs[border]
            dist = geos_point_segment_distance(
                xy[point, 0], xy[point, 1], q[:, 0], q[:, 1], q[:, 2], q[:, 3]
            )
            near = dist <= within
            found.append((point[near], border[near], dist[near]))
        point, border, dist = (np.concatenate(parts) for parts in zip(*found))
        return point, border, dist

    def nearest_distance(self, xy: np.ndarray, within: float) -> np.ndarray:
        """Distance from each point to the nearest border segment; ``inf`` beyond ``within``.

        As :meth:`pairs_within` measures it (GEOS's distance).
        """
        point, _, dist = self.pairs_within(xy, within)
        out = np.full(len(xy), np.inf)
        np.minimum.at(out, point, dist)
        return out


def point_segment_distance2(
    px: np.ndarray, py: np.ndarray, ax: np.ndarray, ay: np.ndarray, bx: np.ndarray, by: np.ndarray
) -> np.ndarray:
    """Squared distance from points ``p`` to segments ``a``-``b`` (coordinate arrays)."""
    ux, uy, vx, vy = bx - ax, by - ay, px - ax, py - ay
    uu = ux * ux + uy * uy
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.clip((vx * ux + vy * uy) / uu, 0.0, 1.0)
    t[~(uu > 0)] = 0.0
    dx, dy = vx - t * ux, vy - t * uy
    return dx * dx + dy * dy


def geos_point_segment_distance(
    px: np.ndarray, py: np.ndarray, ax: np.ndarray, ay: np.ndarray, bx: np.ndarray, by: np.ndarray
) -> np.ndarray:
    """Distance from points ``p`` to segments ``a``-``b``, computed as GEOS computes it.

    The steps and their order are those of GEOS's ``Distance::pointToSegment`` (which
    ``GEOSDistance`` of a point and a line takes the least of over the line's segments), so
    the results are equal to the last bit: the engine compares them with thresholds (the
    noise distance), and a count must not depend on how a distance was found.

    A segment whose ends differ but whose squared length underflows to zero (ends some
    1e-162 apart) gives NaN in that formula; GEOS's least over a line's segments keeps
    ``inf`` where it meets a NaN (``dist < minDistance`` is false), so such a segment is
    given ``inf`` here: never nearer than another, never within any distance.
    """
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    with np.errstate(divide="ignore", invalid="ignore"):
        r = ((px - ax) * dx + (py - ay) * dy) / len2
        s = ((ay - py) * dx - (ax - px) * dy) / len2
    to_a = np.sqrt((px - ax) * (px - ax) + (py - ay) * (py - ay))
    to_b = np.sqrt((px - bx) * (px - bx) + (py - by) * (py - by))
    across = np.abs(s) * np.sqrt(len2)
    at_a = ((ax == bx) & (ay == by)) | (r <= 0.0)
    dist = np.where(at_a, to_a, np.where(r >= 1.0, to_b, across))
    dist[np.isnan(dist)] = np.inf
    return dist


def _segment_distance2(
    px: np.ndarray,
    py: np.ndarray,
    rx: np.ndarray,
    ry: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    sx: np.ndarray,
    sy: np.ndarray,
) -> np.ndarray:
    """Squared distance between segments ``p``-``r`` and ``q``-``s`` (coordinate arrays).

    Segments that cross or touch are at 0; so are collinear ones, overlapping or not
    (callers only need every pair within a distance, a few more do no harm).
    """
    ux, uy, wx, wy = rx - px, ry - py, sx - qx, sy - qy
    p_side = (wx * (py - qy) - wy * (px - qx)) * (wx * (ry - qy) - wy * (rx - qx))
    q_side = (ux * (qy - py) - uy * (qx - px)) * (ux * (sy - py) - uy * (sx - px))
    out = np.minimum(
        np.minimum(
            point_segment_distance2(px, py, qx, qy, sx, sy),
            point_segment_distance2(rx, ry, qx, qy, sx, sy),
        ),
        np.minimum(
            point_segment_distance2(qx, qy, px, py, rx, ry),
            point_segment_distance2(sx, sy, px, py, rx, ry),
        ),
    )
    out[(p_side <= 0) & (q_side <= 0)] = 0.0
    return out


@dataclass(frozen=True)
class BorderIndex:
    """Indexes the crossing engine queries.

    Attributes
    ----------
    names
        Region names, by row of ``region_geoms``.
    region_geoms, region_tree
        Region polygons and their STRtree.
    piece_geoms, piece_tree, piece_stretch
        Border pieces (short LineStrings), their STRtree, and the stretch each belongs to.
    stretch_a, stretch_b, stretch_kind
        Per stretch: its region, the other side's name ("" when none), its kind.
    seg_xy, seg_grid, seg_stretch
        Every straight segment of every stretch as ``(x0, y0, x1, y1)``, a
        :class:`SegmentGrid` of them for the search band, and their stretch: the engine
        finds the lines near a border, their crossings and along stretches on pairs of a
        line segment and a border segment.
    stretch_pair
        Per stretch, its region pair ``"A|B"`` (sorted).
    has_coast
        Whether any stretch is coast (then lines at sea are tracked for links over water).
    land
        The union of all regions, prepared: a fast test of whether a point is at sea.
    """

    names: list[str]
    region_geoms: np.ndarray
    region_tree: shapely.STRtree
    piece_geoms: np.ndarray
    piece_tree: shapely.STRtree
    piece_stretch: np.ndarray
    stretch_a: np.ndarray
    stretch_b: np.ndarray
    stretch_kind: np.ndarray
    seg_xy: np.ndarray
    seg_grid: SegmentGrid
    seg_stretch: np.ndarray
    stretch_pair: np.ndarray
    has_coast: bool
    land: shapely.Geometry

    def nearest_stretches(
        self, points: np.ndarray, within: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The border stretch nearest to each point, where one lies within ``within``.

        The answer of ``piece_tree.query_nearest(points, max_distance=within,
        all_matches=False)`` mapped to the pieces' stretches, found on the segment grid
        (:meth:`SegmentGrid.pairs_within`, GEOS's distances): the nearest segments' stretch
        when they all belong to one, else the tree's pick among the equals (it is asked
        for those points only).

        Parameters
        ----------
        points
            Non-empty shapely points in the index's metric CRS.
        within
            The distance (metres) beyond which a border is not looked for.

        Returns
        -------
        (point, stretch, distance)
            The positions in ``points`` (in order) of the points with a border within
            reach, the row of each one's nearest stretch and its distance.
        """
        point, border, dist = self.seg_grid.pairs_within(shapely.get_coordinates(points), within)
        least = np.full(len(points), np.inf)
        np.minimum.at(least, point, dist)
        nearest = dist == least[point]
        point, stretch = point[nearest], self.seg_stretch[border[nearest]]
        found = np.unique(point)
        low = np.full(len(points), len(self.stretch_kind))
        high = np.full(len(points), -1)
        np.minimum.at(low, point, stretch)
        np.maximum.at(high, point, stretch)
        chosen = low[found]
        tied = np.flatnonzero(chosen != high[found])
        if len(tied):
            at, piece = self.piece_tree.query_nearest(
                points[found[tied]], max_distance=within, all_matches=False
            )
            chosen[tied[at]] = self.piece_stretch[piece]
        return found, chosen, least[found]

    def thread_copy(self) -> BorderIndex:
        """A copy whose GEOS objects (prepared polygons, trees) are its own.

        GEOS prepared geometries build their internal indexes lazily and are not safe to
        use from two threads at once; each thread scanning chunks uses its own copy. The
        arrays are shared (they are only read).
        """
        region_geoms = shapely.from_wkb(shapely.to_wkb(self.region_geoms))
        shapely.prepare(region_geoms)
        land = shapely.from_wkb(shapely.to_wkb(self.land))
        shapely.prepare(land)
        pieces = shapely.from_wkb(shapely.to_wkb(self.piece_geoms))
        return replace(
            self,
            region_geoms=region_geoms,
            region_tree=shapely.STRtree(region_geoms),
            piece_geoms=pieces,
            piece_tree=shapely.STRtree(pieces),
            land=land,
        )


def cut_into_pieces(
    geoms: np.ndarray, segments: int = PIECE_SEGMENTS
) -> tuple[np.ndarray, np.ndarray]:
    """Cut LineStrings into pieces of at most ``segments`` segments.

    Returns
    -------
    (pieces, owner)
        The pieces, and for each the index of the line it came from.
    """
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    if len(coords) == 0:
        return np.array([], dtype=object), np.array([], dtype=np.int64)
    # Vertex position within its own line, then the piece each vertex starts.
    starts = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
    position = np.arange(len(coords)) - np.repeat(starts, np.diff(np.r_[starts, len(coords)]))
    piece_of = position // segments
    # The last vertex of a piece is also the first of the next one: duplicate it.
    is_break = (position % segments == 0) & (position > 0)
    dup = np.flatnonzero(is_break)
    all_coords = np.concatenate([coords, coords[dup]])
    all_owner = np.concatenate([owner, owner[dup]])
    all_piece = np.concatenate([piece_of, piece_of[dup] - 1])
    order = np.lexsort((np.r_[np.arange(len(coords)), dup], all_piece, all_owner))
    all_coords, all_owner, all_piece = all_coords[order], all_owner[order], all_piece[order]
    key = all_owner.astype(np.int64) * (1 << 32) + all_piece
    _, piece_index = np.unique(key, return_inverse=True)
    counts = np.bincount(piece_index)
    keep = counts[piece_index] >= 2
    _, piece_index = np.unique(key[keep], return_inverse=True)
    pieces = shapely.linestrings(all_coords[keep], indices=piece_index)
    first = np.r_[0, np.flatnonzero(np.diff(piece_index)) + 1]
    return pieces, all_owner[keep][first]


def build_border_index(region_set: RegionSet, rules: CrossingRules) -> BorderIndex:
    """Build the indexes for ``region_set`` with the band width of ``rules``."""
    stretches = region_set.stretches
    geoms = stretches.geometry.values.to_numpy() if len(stretches) else np.array([], dtype=object)
    pieces, piece_stretch = cut_into_pieces(np.asarray(geoms, dtype=object))
    kinds = stretches["kind"].to_numpy(dtype=object)
    a = stretches["a"].to_numpy(dtype=object)
    b = stretches["b"].to_numpy(dtype=object)
    coords, owner = shapely.get_coordinates(np.asarray(geoms, dtype=object), return_index=True)
    same = owner[1:] == owner[:-1]
    seg_xy = np.hstack([coords[:-1][same], coords[1:][same]])
    seg_stretch = owner[:-1][same]
    pair = np.array(["|".join(sorted((a[k], b[k]))) for k in range(len(stretches))], dtype=object)
    # Copies: preparing the region set's own polygons would share their GEOS state with
    # every other index and thread that reads the region set.
    region_geoms = shapely.from_wkb(shapely.to_wkb(region_set.regions.geometry.values.to_numpy()))
    shapely.prepare(region_geoms)
    land = shapely.union_all(region_geoms) if len(region_geoms) else shapely.Polygon()
    shapely.prepare(land)
    return BorderIndex(
        names=list(region_set.regions["name"]),
        region_geoms=region_geoms,
        region_tree=shapely.STRtree(region_geoms),
        piece_geoms=pieces,
        piece_tree=shapely.STRtree(pieces),
        piece_stretch=piece_stretch,
        stretch_a=a,
        stretch_b=b,
        stretch_kind=kinds,
        seg_xy=seg_xy,
        seg_grid=SegmentGrid.build(seg_xy, rules.search_band_m),
        seg_stretch=seg_stretch,
        stretch_pair=pair,
        has_coast=bool((kinds == "coast").any()),
        land=land,
    )


class _IndexShelf:
    """The built indexes of one region set and band width that no thread is using."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.free: list[BorderIndex] = []


#: Indexes kept per region set and band for later counts; more at once are built and let go.
MAX_SHELVED = 4

#: Shelves by ``(id(region set), search band)``; a shelf goes when its region set does.
_SHELVES: dict[tuple[int, float], _IndexShelf] = {}
_SHELVES_LOCK = threading.Lock()


def _shelf_of(region_set: RegionSet, band_m: float) -> _IndexShelf:
    """The shelf of ``region_set`` and ``band_m``, made on first use."""
    key = (id(region_set), band_m)
    with _SHELVES_LOCK:
        shelf = _SHELVES.get(key)
        if shelf is None:
            shelf = _SHELVES[key] = _IndexShelf()
            weakref.finalize(region_set, _SHELVES.pop, key, None)
    return shelf


@contextmanager
def lent_border_index(region_set: RegionSet, rules: CrossingRules) -> Iterator[BorderIndex]:
    """Lend an index of ``region_set`` (:func:`build_border_index`) to this thread.

    An index no other thread is using is taken from the region set's shelf, or built when
    there is none, and put back when the block ends: a region set is indexed once per
    thread that counts on it at the same time, not once per count. Region sets are not
    changed after they are built (the app shares them between sessions); an index would
    not see such a change.

    Parameters
    ----------
    region_set
        The regions; its indexes are kept while it is alive.
    rules
        The crossing rules; indexes differ by ``rules.search_band_m``.

    Yields
    ------
    BorderIndex
        Used by this thread alone until the block ends.
    """
    shelf = _shelf_of(region_set, rules.search_band_m)
    with shelf.lock:
        index = shelf.free.pop() if shelf.free else None
    if index is None:
        index = build_border_index(region_set, rules)
    try:
        yield index
    finally:
        with shelf.lock:
            if len(shelf.free) < MAX_SHELVED:
                shelf.free.append(index)


def points_in_regions(points: np.ndarray, index: BorderIndex) -> tuple[np.ndarray, np.ndarray]:
    """Which region(s) each point lies in (boundary included).

    Returns ``(point positions, region rows)`` pairs. The tree narrows by bounding box,
    then each region's prepared polygon tests its candidate points in one vectorised call
    (an STRtree ``intersects`` predicate query does not use prepared polygons and is
    two orders of magnitude slower on detailed borders).
    """
    if len(points) == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    point_idx, region_idx = index.region_tree.query(points)
    hit = np.zeros(len(point_idx), dtype=bool)
    for region in np.unique(region_idx):
        sel = region_idx == region
        hit[sel] = shapely.intersects(index.region_geoms[region], points[point_idx[sel]])
    return point_idx[hit], region_idx[hit]
