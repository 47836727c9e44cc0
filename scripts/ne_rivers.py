"""Waterway geometry of the embedded dataset from Natural Earth rivers (used by ``build_data.py``).

The rivers come from ``../shared/naturalearth-east-china/ne_10m_rivers_lake_centerlines.geojson``
(Natural Earth 1:10m rivers and lake centrelines, public domain; the same pinned file
``scripts/build_context.py`` reads). A waterway link in ``sources/links/waterways.yaml``
that follows a river drawn there names it instead of listing places::

    natural_earth:
      names: [Yangtze]                  # Natural Earth ``name`` (exact), and/or
      rivernums: [582]                  # its ``rivernum`` (for a river with no name)
      bbox: [118.2, 31.5, 118.8, 32.1]  # west, south, east, north (WGS84): the part drawn

:func:`assemble` takes every feature of those names or numbers (rivers and lake centrelines alike: a
river through a lake is drawn as the lake's centreline), clips them to the box and merges
them (shapely ``line_merge``). Natural Earth's rivers are generalised for 1:10m maps: the
line lies within about 1-2 km of the river's course, the basis of the link's
``accuracy_m``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from geo.errors import JieguiError
from geo.io.pinned import check_file
from geo.text import Bilingual

ROOT = Path(__file__).resolve().parent.parent
#: The shared copy, beside the project (``build_data.py --shared`` names another folder).
SUBFOLDER = Path("naturalearth-east-china")
FILE = "ne_10m_rivers_lake_centerlines.geojson"
#: Its sha256, as pinned for ``scripts/build_context.py`` (the same file).
SHA256 = "b2855911a5310782856a778e8c6dfdb3656843092f223bdf4ee11086cdfc9f72"
ATTRIBUTION = "Rivers: Natural Earth (public domain)"
ATTRIBUTION_ZH = "河流：Natural Earth（公有领域）"


@dataclass(frozen=True)
class Assembled:
    """A waterway's line and the Natural Earth features it was built from."""

    geometry: shapely.Geometry
    names: tuple[str, ...]
    rivernums: tuple[int, ...]


def shared_file(shared: Path | None) -> Path:
    """The rivers file under ``shared`` (default ``../shared``)."""
    return (ROOT.parent / "shared" if shared is None else shared) / SUBFOLDER / FILE


def load_rivers(path: Path) -> list[dict[str, Any]]:
    """The features of the pinned rivers file (refused unless it is the pinned version)."""
    check_file(path, SHA256, pinned_in="SHA256 in scripts/ne_rivers.py")
    return list(json.loads(path.read_text(encoding="utf-8"))["features"])


def checksums(path: Path) -> dict[str, str]:
    """``{"naturalearth-east-china/<file>": sha256}`` of the file read."""
    check_file(path, SHA256, pinned_in="SHA256 in scripts/ne_rivers.py")
    return {(SUBFOLDER / FILE).as_posix(): SHA256}


def assemble(spec: Mapping[str, Any], rivers: list[dict[str, Any]], link: str) -> Assembled:
    """The line of a link's ``natural_earth`` entry: its named rivers clipped to its box.

    Raises
    ------
    JieguiError
        When the entry has no box or names, or nothing of those names lies in the box.
    """
    names = set(spec.get("names") or [])
    numbers = {int(n) for n in spec.get("rivernums") or []}
    box = spec.get("bbox")
    if not (names or numbers) or not (isinstance(box, list) and len(box) == 4):
        raise JieguiError(
            Bilingual(
                f"{link}: natural_earth needs names or rivernums and a bbox [west, south, "
                "east, north]; add them.",
                f"{link}：natural_earth 需要 names 或 rivernums 以及 bbox [西, 南, 东, 北]；"
                "请补上。",
            )
        )
    clip = shapely.box(*box)
    kept = [
        f
        for f in rivers
        if f["properties"].get("name") in names or f["properties"].get("rivernum") in numbers
    ]
    pieces = [shape(f["geometry"]).intersection(clip) for f in kept]
    merged = shapely.line_merge(shapely.union_all([p for p in pieces if not p.is_empty]))
    if merged.is_empty:
        raise JieguiError(
            Bilingual(
                f"{link}: no Natural Earth river {sorted(names)} {sorted(numbers)} lies in its "
                "bbox; fix the names, numbers or the bbox.",
                f"{link}：bbox 内没有 Natural Earth 河流 {sorted(names)} {sorted(numbers)}；"
                "请修改名称、编号或 bbox。",
            )
        )
    used = [f for f, p in zip(kept, pieces, strict=True) if not p.is_empty]
    return Assembled(
        merged,
        tuple(sorted({str(f["properties"]["name"]) for f in used if f["properties"]["name"]})),
        tuple(sorted({int(f["properties"]["rivernum"]) for f in used})),
    )
