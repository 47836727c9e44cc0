"""The band around shared borders inside which features are fetched.

Counting crossings needs only the features near a border, so a download covers a band
around the borders, not whole regions (whole provinces overwhelm Overpass). The band is:

* every land stretch (and every stretch whose other side is unknown) of the chosen border,
  buffered by ``width_m`` on both sides; and
* the water between the two regions, where their coasts come within ``sea_gap_m`` of
  each other (the lens where both coasts are within ``sea_gap_m``, minus all land), also
  buffered by ``width_m`` so that the landings of a bridge are inside. This is what brings
  the Donghai Bridge (about 30 km over sea) into a Zhejiang–Shanghai download.

Overpass returns a way whole when any part of it lies in the band, so a line that crosses
the border is complete even where it leaves the band.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import shapely

from geo.errors import InvalidParameterError
from geo.projection import WGS84
from geo.regions import RegionSet
from geo.text import Bilingual

#: Default half-width of the band on each side of a border, in metres.
DEFAULT_BAND_M = 3000.0
#: Coasts are simplified to this tolerance (metres) before the sea lens is buffered.
COAST_SIMPLIFY_M = 200.0

_BORDER_KINDS = ("land", "unknown")


@dataclass(frozen=True)
class Band:
    """A fetch band.

    Attributes
    ----------
    polygon
        The band in WGS84 (lon, lat).
    area_km2
        Its area.
    border_km
        Length of the land border it follows.
    note
        What the band follows, in one sentence (shown to the user and kept in the manifest).
    note_zh
        The same in Chinese.
    """

    polygon: shapely.Geometry
    area_km2: float
    border_km: float
    note: str
    note_zh: str = ""

    @property
    def says(self) -> Bilingual:
        """:attr:`note` and :attr:`note_zh`, for a person to read."""
        return Bilingual(self.note, self.note_zh or self.note)


def border_band(
    region_set: RegionSet,
    *,
    width_m: float = DEFAULT_BAND_M,
    region: str | None = None,
    neighbour: str | None = None,
    sea_gap_m: float = 30000.0,
) -> Band:
    """Build the band around the borders of ``region`` (with ``neighbour``, if given).

    Parameters
    ----------
    region_set
        Regions and their labelled border stretches.
    width_m
        Half-width of the band, metres on each side of the border.
    region
        Keep the borders of this region (all borders when ``None``).
    neighbour
        Keep only the border between ``region`` and this region.
    sea_gap_m
        Add the water between the two sides where their coasts are within this distance;
        0 leaves the sea out.

    Returns
    -------
    Band

    Raises
    ------
    InvalidParameterError
        For a width that is not a positive number, a sea gap that is not 0 or positive, a
        neighbour without a region, or an unknown region.
    """
    # NaN passes any comparison and an infinite width stops GEOS: both are refused here too,
    # whoever calls (the command line checks its options first, the page bounds its inputs).
    if not (math.isfinite(width_m) and width_m > 0):
        raise InvalidParameterError(
            Bilingual(
                f"The band width must be a positive number of metres (got {width_m:g} m); give "
                "e.g. 3000.",
                f"条带宽度应为以米计的正数（收到的是 {width_m:g} 米），例如 3000。",
            )
        )
    if not (math.isfinite(sea_gap_m) and sea_gap_m >= 0):
        raise InvalidParameterError(
            Bilingual(
                f"The gap of water to bridge must be 0 or a positive number of metres (got "
                f"{sea_gap_m:g} m); give e.g. 30000, or 0 to leave the sea out.",
                f"跨越水面的间距应为 0 或以米计的正数（收到的是 {sea_gap_m:g} 米），"
                "例如 30000；填 0 则不计海上部分。",
            )
        )
    if neighbour is not None and region is None:
        raise InvalidParameterError(
            Bilingual(
                "A neighbour needs a region; give --region as well.",
                "指定相邻地区时必须同时指定本地区，请一并给出 --region。",
            )
        )
    # Any of their names; the data's from here on.
    region = None if region is None else region_set.require(region)
    neighbour = None if neighbour is None else region_set.require(neighbour)
    stretches = region_set.stretches
    keep = stretches["kind"].isin(_BORDER_KINDS)
    if region is not None:
        side = (stretches["a"] == region) | (stretches["b"] == region)
        if neighbour is not None:
            side = ((stretches["a"] == region) & (stretches["b"] == neighbour)) | (
                (stretches["a"] == neighbour) & (stretches["b"] == region)
            )
        keep &= side
    border = shapely.union_all(stretches.geometry.values[keep.to_numpy()])
    parts = []
    if not border.is_empty:
        parts.append(shapely.buffer(border, width_m))
    sea = _sea_lens(region_set, region, neighbour, sea_gap_m) if sea_gap_m > 0 else None
    if sea is not None and not sea.is_empty:
        parts.append(shapely.buffer(sea, width_m))
    what = _describe(region, neighbour)
    if parts:
        metric = shapely.union_all(parts)
        note = f"{width_m / 1000:g} km either side of {what}"
        note_zh = f"{_describe_zh(region, neighbour)}两侧各 {width_m / 1000:g} 公里"
        if sea is not None and not sea.is_empty:
            note += f", and the water between coasts less than {sea_gap_m / 1000:g} km apart"
            note_zh += f"，以及海岸相距不到 {sea_gap_m / 1000:g} 公里的水域"
    else:
        regions = region_set.regions
        chosen = regions if region is None else regions[regions["name"] == region]
        if chosen.empty:
            raise InvalidParameterError(
                Bilingual(
                    f"There is no polygon to build a band around for {what}; give a "
                    "boundaries file or an OSM file that holds the region's boundary.",
                    f"{_describe_zh(region, neighbour)}没有可用来生成条带的多边形，"
                    "请提供含该地区边界的边界文件或 OSM 文件。",
                )
            )
        metric = shapely.buffer(shapely.union_all(chosen.geometry.boundary.values), width_m)
        note = (
            f"{width_m / 1000:g} km either side of the whole boundary of {what}: no shared "
            "border with another region is known"
        )
        note_zh = (
            f"{_describe_zh(region, neighbour)}整条边界两侧各 {width_m / 1000:g} 公里："
            "不知道与其他地区共享的边界"
        )
    wgs = gpd.GeoSeries([metric], crs=region_set.crs).to_crs(WGS84).iloc[0]
    return Band(
        polygon=shapely.make_valid(wgs),
        area_km2=round(float(metric.area) / 1e6, 1),
        border_km=round(float(border.length) / 1000.0, 1),
        note=note,
        note_zh=note_zh,
    )


def _describe(region: str | None, neighbour: str | None) -> str:
    if region is None:
        return "every border in the data"
    if neighbour is None:
        return f"the borders of {region}"
    return f"the border {region}–{neighbour}"


def _describe_zh(region: str | None, neighbour: str | None) -> str:
    """:func:`_describe` in Chinese."""
    if region is None:
        return "数据中的所有边界"
    if neighbour is None:
        return f"{region} 的边界"
    return f"{region}–{neighbour} 边界"


def _sea_lens(
    region_set: RegionSet, region: str | None, neighbour: str | None, gap_m: float
) -> shapely.Geometry | None:
    """Water where the coasts of ``region`` and another region come within ``gap_m``.

    Only stretches labelled coast count, so two regions whose land border is their only
    contact add nothing.
    """
    if region is None:
        return None
    stretches = region_set.stretches
    coast = stretches[stretches["kind"] == "coast"]
    coasts = {
        name: shapely.simplify(shapely.union_all(group.geometry.values), COAST_SIMPLIFY_M)
        for name, group in coast.groupby("a")
    }
    if region not in coasts:
        return None
    others = [neighbour] if neighbour is not None else [n for n in coasts if n != region]
    land = shapely.union_all(region_set.regions.geometry.values)
    mine = coasts[region]
    lenses = []
    for other in others:
        theirs = coasts.get(other)
        if theirs is None or shapely.distance(mine, theirs) > gap_m:
            continue
        lens = shapely.intersection(shapely.buffer(mine, gap_m), shapely.buffer(theirs, gap_m))
        lenses.append(shapely.difference(lens, land))
    if not lenses:
        return None
    return shapely.union_all(lenses)


__all__ = ["DEFAULT_BAND_M", "Band", "border_band"]
