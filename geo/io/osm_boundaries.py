"""Regions from OpenStreetMap boundary relations, including the incomplete ones extracts hold.

Which relations are regions: ``boundary=administrative`` relations of ``type=boundary`` or
``multipolygon`` with way members, that are not ``maritime=yes`` (territorial waters).
Relations of ``type=multilinestring`` ("France — Monaco") are border segments, not regions.

An extract of one country or province holds its own relation whole but only the border
ways of its neighbours' relations. So:

* a relation whose member ways are all present becomes a region polygon;
* an incomplete relation with at most :data:`MAX_MISSING_SHARE` of its ways missing, whose
  gaps are each at most ``gap_close_max_m`` wide, is closed with straight lines across the
  gaps; those lines are border stretches of kind ``gap``, across which nothing is counted;
  a warning says so;
* any other relation at the same admin level is used only to *name* the other side of the
  border ways it shares with a region: ``(region, that name)`` is a land pair;
* a border way of a region that no other relation at that level shares is ``coast`` when it
  is tagged ``natural=coastline`` or belongs to a maritime relation, else ``unknown``.

A focus region named by no relation is refused (:func:`resolve_relation`) with the names of
the relations that can be regions, those that assemble; the others (the neighbours' relations
the extract holds only part of: ``Lleida`` and ``España`` in Andorra's) are named apart, as
only partly in the file (:attr:`geo.region_names.RegionNames.partial`), never offered as a
region that would then fail in turn.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from functools import partial
from typing import Any

import geopandas as gpd
import shapely
from pyproj import CRS

from geo.errors import NoBoundariesError, UnknownRegionError
from geo.io.osm_file import BoundaryRelation, OsmData
from geo.projection import WGS84, metric_crs_for
from geo.region_names import RegionNames
from geo.regions import STRETCH_COLUMNS, RegionSet, pairs_from_stretches
from geo.text import Bilingual

#: Largest share of missing member ways for which an incomplete relation is still closed.
MAX_MISSING_SHARE = 0.25
#: Widest gap (metres) in an incomplete relation closed with a straight line, by default.
GAP_CLOSE_MAX_M = 5000.0
#: Which of some relations can be regions: the ids of those that can (:func:`assembling_ids`,
#: or :func:`closable_ids` before the member ways' nodes are read).
Usable = Callable[[list[BoundaryRelation]], Collection[int]]
#: A region relation assembled: the relation, its polygon and the lines that closed its gaps.
Assembled = tuple[BoundaryRelation, shapely.Geometry, list[shapely.LineString]]
#: Tags of a relation read as its Chinese names (the first present is ``name_zh``).
ZH_NAME_TAGS: tuple[str, ...] = ("name:zh", "name:zh-Hans", "name:zh-Hant")
#: Tags read as its English names (the first present is ``name_en``).
EN_NAME_TAGS: tuple[str, ...] = ("name:en", "int_name")


def other_names(rel: BoundaryRelation) -> tuple[str, ...]:
    """A relation's Chinese and English names (:data:`ZH_NAME_TAGS`, :data:`EN_NAME_TAGS`)."""
    found = (rel.tags.get(tag, "").strip() for tag in (*ZH_NAME_TAGS, *EN_NAME_TAGS))
    return tuple(dict.fromkeys(n for n in found if n and n != rel.name))


def relation_names(
    rels: list[BoundaryRelation], usable: Collection[int] | None = None
) -> RegionNames:
    """The relations' names, each with its other names (a region named by any of them).

    ``usable``: the ids of the relations that can be regions (None: all of them); a name
    that none of them bears is :attr:`~geo.region_names.RegionNames.partial`.
    """
    others: dict[str, list[str]] = defaultdict(list)
    for rel in rels:
        others[rel.name].extend(other_names(rel))
    partial: set[str] = set()
    if usable is not None:
        partial = {r.name for r in rels} - {r.name for r in rels if r.osm_id in usable}
    return RegionNames.of([r.name for r in rels], others, partial=partial)


def resolve_relation(rels: list[BoundaryRelation], region: str, usable: Usable) -> str:
    """The name of the relation ``region`` names (any of its names: :mod:`geo.region_names`).

    Which relations can be regions (``usable``) is asked only when no relation bears the
    name, for the sentence refusing it.

    Raises
    ------
    UnknownRegionError
        When no relation bears the name: the closest names of relations that can be regions
        are suggested, else they are listed, and those only partly in the file named apart.
        :class:`geo.errors.AmbiguousRegionError` when two relations bear it.
    """
    names = relation_names(rels)
    if not names.matches(region):
        names = relation_names(rels, usable(rels))
    return names.resolve(region)


def assembling_ids(
    rels: list[BoundaryRelation], data: OsmData, gap_close_max_m: float = GAP_CLOSE_MAX_M
) -> set[int]:
    """The ids of the relations that assemble into a polygon (their member ways read)."""
    return {r.osm_id for r in rels if _assemble(r, data, gap_close_max_m)[0] is not None}


def closable_ids(rels: list[BoundaryRelation], present: Collection[int]) -> set[int]:
    """The ids of the relations that may assemble, told from which member ways are ``present``.

    Those with no member way missing, or with few enough missing to be closed
    (:data:`MAX_MISSING_SHARE`): all that can be told before the ways' nodes are read (the
    first pass, :func:`geo.io.osm_near_borders.check_region_named`). One of them may still
    fail to assemble (a gap too wide, rings that do not close); that is said, in its own
    sentence, once the ways are read.
    """
    out = set()
    for rel in rels:
        missing = sum(1 for ref, _ in rel.members if ref not in present)
        if missing < len(rel.members) and missing <= MAX_MISSING_SHARE * len(rel.members):
            out.add(rel.osm_id)
    return out


def _first_tag(rel: BoundaryRelation, tags: tuple[str, ...]) -> str:
    return next((rel.tags[t].strip() for t in tags if rel.tags.get(t, "").strip()), "")


def is_region_relation(rel: BoundaryRelation) -> bool:
    """Whether a boundary relation describes an area (not a border segment or sea)."""
    return (
        rel.tags.get("type", "boundary") in ("boundary", "multipolygon")
        and rel.tags.get("maritime") != "yes"
        and bool(rel.members)
        and rel.admin_level is not None
    )


def _level(rel: BoundaryRelation) -> int:
    """The admin level of a region relation (:func:`is_region_relation` requires one)."""
    if rel.admin_level is None:
        raise ValueError(f"relation r{rel.osm_id} has no admin_level; it is not a region")
    return rel.admin_level


def choose_admin_level(
    data: OsmData,
    region: str | None,
    admin_level: int | None,
    *,
    usable: Usable | None = None,
) -> int:
    """The admin level to work at: given, else the focus region's, else the coarsest complete.

    ``usable`` tells which relations can be regions, for the sentence refusing a region no
    relation is named (:func:`resolve_relation`); by default those that assemble
    (:func:`assembling_ids`, the member ways read).
    """
    usable = usable or partial(assembling_ids, data=data)
    candidates = [r for r in data.relations if is_region_relation(r)]
    if not candidates:
        raise NoBoundariesError(
            Bilingual(
                "The OSM file holds no administrative boundary relations; use an extract that "
                "includes them, or give a boundaries file.",
                "这个 OSM 文件中没有行政边界关系，"
                "请换用包含行政边界的数据文件，或另行提供边界文件。",
            )
        )
    if admin_level is not None:
        if not any(r.admin_level == admin_level for r in candidates):
            levels = ", ".join(str(v) for v in sorted({_level(r) for r in candidates}))
            raise NoBoundariesError(
                Bilingual(
                    f"The OSM file has no boundary relation at admin_level {admin_level}; "
                    f"levels present: {levels}.",
                    f"这个 OSM 文件中没有 admin_level {admin_level} 的边界关系，"
                    f"文件中有的级别为：{levels}，请改用其中之一。",
                )
            )
        return admin_level
    if region is not None:
        region = resolve_relation(candidates, region, usable)
        named = [r for r in candidates if r.name == region]
        return _level(min(named, key=lambda r: (_missing(r, data) > 0, _level(r))))
    complete = [_level(r) for r in candidates if _missing(r, data) == 0]
    return min(complete or [_level(r) for r in candidates])


def _missing(rel: BoundaryRelation, data: OsmData) -> int:
    return sum(1 for ref, _ in rel.members if ref not in data.boundary_ways)


def region_set_from_osm(
    data: OsmData,
    *,
    region: str | None = None,
    admin_level: int | None = None,
    maritime_gap_m: float = 30000.0,
    gap_close_max_m: float = GAP_CLOSE_MAX_M,
) -> RegionSet:
    """Build a :class:`RegionSet` from the boundary relations of an OSM file.

    Parameters
    ----------
    data
        What :func:`geo.io.osm_file.read_osm` read.
    region
        Focus region, by any of its names (OSM ``name``, ``name:zh``, ``name:en``:
        :mod:`geo.region_names`); decides the admin level when none is given.
    admin_level
        OSM ``admin_level`` of the regions.
    maritime_gap_m
        Distance across water within which two regions form a maritime pair.
    gap_close_max_m
        Widest gap in an incomplete relation that is closed with a straight line.

    Returns
    -------
    RegionSet
    """
    def usable(rels: list[BoundaryRelation]) -> set[int]:
        return assembling_ids(rels, data, gap_close_max_m)

    level = choose_admin_level(data, region, admin_level, usable=usable)
    rels = [r for r in data.relations if is_region_relation(r) and r.admin_level == level]
    if region is not None:
        region = resolve_relation(rels, region, usable)
    built, warnings = _assembled_regions(rels, data, level, region, gap_close_max_m)
    rows, stretch_rows = _region_rows(built, data, _owners(rels), _sea_ways(data))
    regions = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    metric: CRS = metric_crs_for(tuple(regions.total_bounds))
    regions = regions.to_crs(metric)
    stretches = gpd.GeoDataFrame(
        stretch_rows, columns=STRETCH_COLUMNS, geometry="geometry", crs=WGS84
    ).to_crs(metric)
    pairs = pairs_from_stretches(stretches, maritime_gap_m=maritime_gap_m)
    unknown = stretches[stretches["kind"] == "unknown"]
    if len(unknown):
        km = unknown.geometry.length.sum() / 1000.0
        owners = sorted(set(unknown["a"]))
        warnings.append(
            Bilingual(
                f"{km:.1f} km of border of {', '.join(owners)} is shared with no other "
                f"admin_level {level} relation in the file and is not coastline; lines "
                "crossing there are not counted.",
                f"{'、'.join(owners)} 有 {km:.1f} 公里边界不与文件中任何其他 admin_level {level} "
                "关系相邻，也不是海岸线；在那里跨越的线路不被统计。",
            )
        )
    names = {r.name: other_names(r) for r in rels}
    others = {row["name"]: names[_relation_name(row)] for row in rows}
    # Neighbours known only by name (their relation incomplete in the file) keep theirs too.
    others |= {name: o for name, o in names.items() if name not in others}
    return RegionSet(
        regions,
        stretches,
        pairs,
        CRS(metric),
        warnings,
        other_names={name: o for name, o in others.items() if o},
    )


def _relation_name(row: dict[str, Any]) -> str:
    """The relation's own name of a region row (without the `` (r123)`` of a namesake)."""
    suffix = f" (r{str(row['osm_id']).removeprefix('relation/')})"
    return str(row["name"]).removesuffix(suffix)


def _assembled_regions(
    rels: list[BoundaryRelation],
    data: OsmData,
    level: int,
    region: str | None,
    gap_close_max_m: float,
) -> tuple[list[Assembled], list[Bilingual]]:
    """The relations that could be assembled into polygons, and the warnings about the others.

    A relation's warning is kept when it is about the focus region, or when there is none.

    Raises
    ------
    NoBoundariesError
        When no relation could be assembled.
    UnknownRegionError
        When the focus region could not be.
    """
    warnings: list[Bilingual] = []
    built: list[Assembled] = []
    for rel in rels:
        polygon, gaps, note = _assemble(rel, data, gap_close_max_m)
        if note and (region is None or rel.name == region):
            warnings.append(note)
        if polygon is not None:
            built.append((rel, polygon, gaps))
    if not built:
        usable = _assembling_levels(data, gap_close_max_m, skip=level)
        hint_en = hint_zh = ""
        if usable:
            listed = ", ".join(f"{lvl} ({n})" for lvl, n in usable.items())
            hint_en = (
                f" Levels whose relations do assemble (number of regions): {listed}; "
                f"choose one with --admin-level {next(iter(usable))}."
            )
            hint_zh = (
                f"能拼成多边形的级别（地区数）：{listed}，"
                f"可用 --admin-level {next(iter(usable))} 等指定。"
            )
        raise NoBoundariesError(
            Bilingual(
                f"No boundary relation at admin_level {level} could be assembled into a "
                "polygon from this file (member ways are missing); use an extract that holds "
                "the whole relation, or give a boundaries file." + hint_en,
                f"这个文件中 admin_level {level} 的边界关系都拼不成多边形（缺少成员路径），"
                "请换用包含完整边界关系的数据文件，或另行提供边界文件。" + hint_zh,
            )
        )
    if region is not None and region not in {rel.name for rel, _, _ in built}:
        available = ", ".join(sorted(r.name for r, _, _ in built))
        raise UnknownRegionError(
            Bilingual(
                f"The boundary of {region!r} cannot be assembled from this file (too many "
                f"member ways are missing); regions available: {available}.",
                f"无法用这个文件拼出 {region!r} 的边界（缺少的成员路径太多）；"
                f"可用的地区有：{available}。",
            )
        )
    return built, warnings


def _assembling_levels(data: OsmData, gap_close_max_m: float, *, skip: int) -> dict[int, int]:
    """The admin levels (other than ``skip``) at which relations assemble, with their counts.

    Asked only when none assembles at the level chosen, to name the levels that would work.
    """
    counts: dict[int, int] = {}
    for rel in data.relations:
        if not is_region_relation(rel) or rel.admin_level == skip:
            continue
        if _assemble(rel, data, gap_close_max_m)[0] is not None:
            counts[_level(rel)] = counts.get(_level(rel), 0) + 1
    return dict(sorted(counts.items()))


def _owners(rels: list[BoundaryRelation]) -> dict[int, list[BoundaryRelation]]:
    """``{way id: the relations that have it as a member}``."""
    owners: dict[int, list[BoundaryRelation]] = defaultdict(list)
    for rel in rels:
        for ref, _ in rel.members:
            owners[ref].append(rel)
    return owners


def _sea_ways(data: OsmData) -> set[int]:
    """Ids of the ways on the sea side: members of maritime relations, or coastline."""
    return {
        ref for r in data.relations if r.tags.get("maritime") == "yes" for ref, _ in r.members
    } | data.coastline_ways


def _region_rows(
    built: list[Assembled],
    data: OsmData,
    owners: dict[int, list[BoundaryRelation]],
    sea_ways: set[int],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of the regions (WGS84) and of their border stretches.

    A name that several relations share is made unique with the relation id.
    """
    names = Counter(rel.name for rel, _, _ in built)
    rows, stretch_rows = [], []
    for rel, polygon, gaps in built:
        name = rel.name if names[rel.name] == 1 else f"{rel.name} (r{rel.osm_id})"
        rows.append(
            {
                "name": name,
                "admin_level": rel.admin_level,
                "osm_id": f"relation/{rel.osm_id}",
                "complete": not gaps and _missing(rel, data) == 0,
                "name_zh": _first_tag(rel, ZH_NAME_TAGS),
                "name_en": _first_tag(rel, EN_NAME_TAGS),
                "geometry": polygon,
            }
        )
        stretch_rows.extend(_member_stretches(rel, name, data, owners, sea_ways))
        for gap in gaps:
            stretch_rows.append({"a": name, "b": "", "kind": "gap", "geometry": gap})
    return rows, stretch_rows


def _member_stretches(
    rel: BoundaryRelation,
    name: str,
    data: OsmData,
    owners: dict[int, list[BoundaryRelation]],
    sea_ways: set[int],
) -> list[dict[str, Any]]:
    """A region's border stretches, one per member way present in the file.

    ``land`` to the other relation at the level that shares the way (the first by name),
    else ``coast`` on the sea side, else ``unknown``.
    """
    out = []
    for ref, _ in rel.members:
        geom = data.boundary_ways.get(ref)
        if geom is None:
            continue
        others = sorted({o.name for o in owners[ref] if o is not rel and o.name != rel.name})
        if others:
            kind, other = "land", others[0]
        elif ref in sea_ways:
            kind, other = "coast", ""
        else:
            kind, other = "unknown", ""
        out.append({"a": name, "b": other, "kind": kind, "geometry": geom})
    return out


def _assemble(
    rel: BoundaryRelation, data: OsmData, gap_close_max_m: float
) -> tuple[shapely.Geometry | None, list[shapely.LineString], Bilingual | None]:
    """Polygon of a relation, the straight lines that closed its gaps, and a warning."""
    present = [data.boundary_ways[ref] for ref, _ in rel.members if ref in data.boundary_ways]
    missing = len(rel.members) - len(present)
    label = f"Boundary relation {rel.name!r} (r{rel.osm_id}, admin_level {rel.admin_level})"
    label_zh = f"边界关系 {rel.name!r}（r{rel.osm_id}，admin_level {rel.admin_level}）"
    if not present:
        return None, [], None
    if missing == 0:
        area = shapely.build_area(shapely.GeometryCollection(present))
        return (area if not area.is_empty else None), [], None
    of = f"{missing} of {len(rel.members)} member ways missing"
    of_zh = f"{len(rel.members)} 条成员路中缺 {missing} 条"
    if missing / len(rel.members) > MAX_MISSING_SHARE:
        return (
            None,
            [],
            Bilingual(
                f"{label} is incomplete in this file ({of}) and is used only to name the other "
                "side of the borders it shares.",
                f"{label_zh}在此文件中不完整（{of_zh}），仅用于给它所共享边界的另一侧命名。",
            ),
        )
    gaps = _closing_lines(present, data)
    widest = max((g.length for g in _metric(gaps)), default=0.0)
    if not gaps or widest > gap_close_max_m:
        return (
            None,
            [],
            Bilingual(
                f"{label} is incomplete in this file ({of}) and its gaps are too wide to close; "
                "use a complete extract.",
                f"{label_zh}在此文件中不完整（{of_zh}），缺口太宽无法闭合；请使用完整的数据摘录。",
            ),
        )
    area = shapely.build_area(shapely.GeometryCollection(present + gaps))
    if area.is_empty:
        return (
            None,
            [],
            Bilingual(
                f"{label} is incomplete in this file and could not be closed.",
                f"{label_zh}在此文件中不完整，无法闭合。",
            ),
        )
    widths = ", ".join(f"{g.length / 1000.0:.2f} km" for g in _metric(gaps))
    return (
        area,
        gaps,
        Bilingual(
            f"{label} is incomplete in this file: {missing} of {len(rel.members)} member ways are "
            f"missing; its outline was closed with straight lines across {len(gaps)} gap(s) "
            f"({widths}), where no crossing is counted.",
            f"{label_zh}在此文件中不完整：{of_zh}；其轮廓以直线跨越 {len(gaps)} 处缺口闭合"
            f"（{widths}），那里不统计跨界。",
        ),
    )


def _metric(lines: list[shapely.LineString]) -> list[shapely.LineString]:
    if not lines:
        return []
    series = gpd.GeoSeries(lines, crs=WGS84)
    return list(series.to_crs(metric_crs_for(tuple(series.total_bounds))))


def _closing_lines(present: list[shapely.LineString], data: OsmData) -> list[shapely.LineString]:
    """Straight lines joining the dangling ends of a relation's ways, nearest first."""
    merged = shapely.line_merge(shapely.union_all(present))
    chains = [g for g in shapely.get_parts(merged) if not g.is_closed]
    ends = [shapely.Point(c.coords[k]) for c in chains for k in (0, -1)]
    if not ends:
        return []
    metric_ends = _metric_points(ends)
    open_ends = set(range(len(ends)))
    closing = []
    while len(open_ends) >= 2:
        best = min(
            (
                (metric_ends[i].distance(metric_ends[j]), i, j)
                for i in open_ends
                for j in open_ends
                if (i < j and i // 2 != j // 2) or (i < j and len(open_ends) == 2)
            ),
            default=None,
        )
        if best is None:
            break
        _, i, j = best
        closing.append(shapely.LineString([ends[i], ends[j]]))
        open_ends -= {i, j}
    return closing


def _metric_points(points: list[shapely.Point]) -> list[shapely.Point]:
    series = gpd.GeoSeries(points, crs=WGS84)
    return list(series.to_crs(metric_crs_for(tuple(series.total_bounds))))


__all__ = [
    "GAP_CLOSE_MAX_M",
    "assembling_ids",
    "choose_admin_level",
    "closable_ids",
    "is_region_relation",
    "region_set_from_osm",
    "resolve_relation",
]
