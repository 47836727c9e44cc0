"""The point layers of the embedded dataset: the port's phases and the report's cities.

Called by ``scripts/build_data.py`` (kept apart so that the line layers' build stays small):

* :func:`with_phases`: a port authored with ``phases`` (each with its opening, berths,
  design TEU and source) gets ``capacity_by_year`` (berths) and ``teu_by_year`` (design
  capacity, TEU a year) added up from them, and its phases as JSON, so that the berths and
  TEU of any year are the phases open by then and the report's "phase 1" figures can be
  compared with phase 1 alone (:mod:`geo.reconcile`).
* :func:`build_cities`: ``sources/cities.csv`` (the 2006 report's figures of Zhejiang's
  cities, one row per city and figure, each quoting the report in Chinese with an English
  translation) becomes ``cities.geojson`` (one point per prefecture city, at its GeoNames
  place, with its figures) and ``cities.csv`` (the rows, checked: each value is the number
  its Chinese quote states).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from geo.errors import JieguiError
from geo.text import Bilingual

#: The measures a city row may give, and the unit each is in.
CITY_MEASURES: dict[str, str] = {
    "projects": "projects",
    "agreed_yuan": "yuan",
    "realised_yuan": "yuan",
    "farm_supply_yuan": "yuan",
    "farm_supply_share": "percent",
    "university_projects": "projects",
    "university_benefit_yuan": "yuan",
}
CITY_COLUMNS = (
    "id", "city_zh", "city_en", "geonameid", "measure", "value", "unit", "qualifier",
    "period", "period_zh", "quote_zh", "quote_en", "source",
)  # fmt: skip
QUALIFIERS = ("", "about", "more than")

#: A number in a Chinese quote, with what may follow it: 多 (more than), 亿 (10^8), %.
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(多)?\s*(亿)?\s*(%)?")

Point = Callable[[Mapping[str, Any], Mapping[int, dict[str, Any]], str], tuple[float, float]]


def quoted_value(quote: str) -> float:
    """The one figure a Chinese quote states, in yuan, a count or per cent.

    ``亿`` is 10^8 (``142.7 亿元`` is 14,270,000,000 yuan); ``多`` (more than) and ``近``
    (nearly) are qualifiers, not part of the number.

    Examples
    --------
    >>> quoted_value("协议总金额 142.7 亿元"), quoted_value("产生直接经济效益 10 多亿元")
    (14270000000.0, 1000000000.0)
    """
    found = _NUMBER.findall(quote)
    if len(found) != 1:
        raise JieguiError(
            Bilingual(
                f"cities.csv: the quote {quote!r} should state exactly one number; fix the quote.",
                f"cities.csv：引文 {quote!r} 应恰好给出一个数字；请修改引文。",
            )
        )
    number, _, hundred_million, _ = found[0]
    value = float(number) * (1e8 if hundred_million else 1)
    return float(round(value, 2))


def with_phases(link: dict[str, Any]) -> dict[str, Any]:
    """A port link with its berths and TEU by year added up from its ``phases``.

    A phase whose berths are not known makes the berths unknown from its year on (the
    total is not known then); its TEU still adds up. Links without phases are returned as
    they are.
    """
    phases = link.get("phases")
    if not phases:
        return link
    if link.get("capacity_by_year") or link.get("teu_by_year") or link.get("teu"):
        raise JieguiError(
            Bilingual(
                f"links/: {link['id']} has phases; its capacity_by_year and teu are added up "
                "from them, so do not give them as well.",
                f"links/：{link['id']} 已有分期（phases），其 capacity_by_year 与 teu 由分期累加，"
                "请勿另行给出。",
            )
        )
    berths: dict[int, int | None] = {}
    teu: dict[int, int] = {}
    total_berths: int | None = 0
    total_teu = 0
    rows = []
    for phase in sorted(phases, key=lambda p: str(p["opened"])):
        if not phase.get("source"):
            raise JieguiError(
                Bilingual(
                    f"links/: {link['id']} phase {phase.get('phase')} has no source; add one.",
                    f"links/：{link['id']} 第 {phase.get('phase')} 期没有来源；请补上。",
                )
            )
        year = int(str(phase["opened"])[:4])
        added = phase.get("berths")
        total_berths = None if added is None or total_berths is None else total_berths + added
        total_teu += int(phase["teu"])
        berths[year] = total_berths
        teu[year] = total_teu
        rows.append(
            {
                "phase": int(phase["phase"]),
                "opened": str(phase["opened"]),
                "berths": added,
                "teu": int(phase["teu"]),
            }
        )
    out = dict(link)
    out["capacity_by_year"] = berths
    out["teu_by_year"] = json.dumps(teu)
    out["teu"] = total_teu
    out["phases"] = json.dumps(rows)
    out["teu_note"] = (
        "design capacity of the phases open in the year shown (TEU a year), added up from "
        "each phase's sourced capacity; not throughput"
    )
    out["sources"] = [*link["sources"], *(f"phase {p['phase']}: {p['source']}" for p in phases)]
    return out


def read_cities(path: Path) -> list[dict[str, str]]:
    """The rows of ``sources/cities.csv``, checked (see the module docstring)."""
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != CITY_COLUMNS:
        raise JieguiError(
            Bilingual(
                f"cities.csv: the columns should be {', '.join(CITY_COLUMNS)}.",
                f"cities.csv：列应为 {', '.join(CITY_COLUMNS)}。",
            )
        )
    rows = list(reader)
    seen: set[str] = set()
    for row in rows:
        where = f"cities.csv: {row['id']}"
        if row["id"] in seen:
            raise JieguiError(
                Bilingual(f"{where} is used twice; give each row its own id.",
                          f"{where} 重复出现；请给每行不同的 id。")
            )
        seen.add(row["id"])
        if CITY_MEASURES.get(row["measure"]) != row["unit"]:
            raise JieguiError(
                Bilingual(
                    f"{where}: {row['measure']} in {row['unit']} is not a known figure; "
                    f"use one of {', '.join(CITY_MEASURES)}.",
                    f"{where}：以 {row['unit']} 计的 {row['measure']} 不是已知指标；"
                    f"请用 {', '.join(CITY_MEASURES)} 之一。",
                )
            )
        if row["qualifier"] not in QUALIFIERS:
            raise JieguiError(
                Bilingual(
                    f"{where}: qualifier {row['qualifier']!r} is not in {QUALIFIERS}; use one.",
                    f"{where}：限定词 {row['qualifier']!r} 不在 {QUALIFIERS} 中；请用其一。",
                )
            )
        for column in ("quote_zh", "quote_en", "source", "city_zh", "city_en", "period"):
            if not row[column].strip():
                raise JieguiError(
                    Bilingual(f"{where} has no {column}; fill it in.",
                              f"{where} 缺少 {column}；请填写。")
                )
        if float(row["value"]) != quoted_value(row["quote_zh"]):
            raise JieguiError(
                Bilingual(
                    f"{where}: value {row['value']} is not the number its quote states "
                    f"({row['quote_zh']}); fix the value.",
                    f"{where}：数值 {row['value']} 与引文所述数字不符（{row['quote_zh']}）；"
                    "请修改数值。",
                )
            )
    return rows


def build_cities(
    path: Path, places: Mapping[int, dict[str, Any]], point: Point, attribution: str
) -> tuple[dict[str, Any], str]:
    """``cities.geojson`` and ``cities.csv`` from ``sources/cities.csv``.

    Parameters
    ----------
    path
        ``sources/cities.csv``.
    places
        GeoNames places by id (``scripts/build_data.py``).
    point
        ``build_data._point``: a place's coordinates.
    attribution
        The GeoNames credit added to each city's source (in both languages:
        :func:`geo.feature_facts.bilingual_source`).
    """
    rows = read_cities(path)
    by_city: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_city.setdefault(row["city_en"], []).append(row)
    features = []
    for city, figures in by_city.items():
        first = figures[0]
        if {(r["city_zh"], r["geonameid"]) for r in figures} != {
            (first["city_zh"], first["geonameid"])
        }:
            raise JieguiError(
                Bilingual(
                    f"cities.csv: {city} has more than one Chinese name or place; give one.",
                    f"cities.csv：{city} 有多个中文名或地点；请只给一个。",
                )
            )
        lon, lat = point(
            {"geonameid": int(first["geonameid"]), "name": city}, places, f"cities.csv {city}"
        )
        props: dict[str, Any] = {
            "id": f"yrd:city-{city.lower()}",
            "layer": "cities",
            "class": "prefecture_city",
            "name": city,
            "name_en": city,
            "name_zh": first["city_zh"],
            "status": "open",
            "province": "Zhejiang",
            "report_year": 2006,
            "accuracy_m": 5000,
            "alignment": (
                f"The GeoNames place of {city} (geonameid {first['geonameid']}, the same id "
                "as Natural Earth's populated place): the city's centre, standing for the "
                "whole prefecture-level city the report speaks of."
            ),
            "source": " | ".join(
                dict.fromkeys([*(r["source"] for r in figures), attribution])
            ),
            "figures": json.dumps(
                [
                    {k: r[k] for k in ("id", "measure", "value", "unit", "qualifier", "period",
                                       "period_zh", "quote_zh", "quote_en")}
                    for r in figures
                ],
                ensure_ascii=False,
            ),
        }
        for measure in CITY_MEASURES:
            found = [float(r["value"]) for r in figures if r["measure"] == measure]
            value = found[0] if found else None
            props[measure] = int(value) if value is not None and value.is_integer() else value
        props["capacity"] = props["projects"]
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            }
        )
    return {"type": "FeatureCollection", "features": features}, path.read_text(encoding="utf-8")
