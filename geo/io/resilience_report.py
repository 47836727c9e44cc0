"""The what-if results as text: a table, JSON (contract in docs/resilience.md) or GeoJSON.

JSON ``resilience`` version 1: ``{"format": "jiegui-resilience", "version": 1, "source",
"attribution", "as_of", "band_km", "critical_min", "borders": [...], "warnings": [{"en",
"zh"}]}``; each border item: ``a``, ``b``, ``layer``, ``min_cut``, ``min_cut_counted``,
``other_crossings``, ``untied``, ``critical``, ``places``, ``interfaces`` (per closure),
``pairs`` (the open network's trips) and ``closures`` (each closure's trips). GeoJSON: the
detour routes (LineStrings, WGS84), one feature per closure and pair whose route changes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from geo.labels import LAYER_LABELS
from geo.names_zh import ChineseNames
from geo.resilience import OTHER, ResilienceResult
from geo.text import Bilingual

FORMAT = "jiegui-resilience"
VERSION = 1

_HEAD = {
    "title": Bilingual("{a} – {b} · {layer}", "{a} – {b} · {layer}"),
    "cut": Bilingual(
        "Edge-disjoint paths between the sides' places (min cut): {cut} "
        "({counted} through the interfaces of the count alone)",
        "两侧地点之间互不共边的路径数（最小割）：{cut}（仅经由统计接口：{counted}）",
    ),
    "other": Bilingual(
        "Crossings of the network the count has no interface for: {n}",
        "网络中未对应统计接口的过境段：{n}",
    ),
    "places": Bilingual("Places: {names}", "起讫地点：{names}"),
    "columns": Bilingual(
        "closed | trips using it (population-weighted) | place pairs using it | "
        "place pairs slowed | +min (mean) | +min (max) | +km (max) | place pairs cut off | "
        "moves to | critical",
        "关闭接口 | 经此出行占比（按人口加权） | 经此的起讫地点对 | 行程变长的起讫地点对 | "
        "平均增加分钟 | 最多增加分钟 | 最多增加公里 | 中断的起讫地点对 | 转移至 | 关键",
    ),
    "other_crossing": Bilingual("other crossing", "其他跨界路段"),
    "yes": Bilingual("yes", "是"),
    "no": Bilingual("no", "否"),
    "none": Bilingual("no closure measured (see the notes)", "未计算任何关闭情景（见说明）"),
    "note": Bilingual("Note: {text}", "说明：{text}"),
    "units": Bilingual(
        "Trips are the fastest routes between each pair of places (a city or a port, one on "
        "each side); a trip uses every interface its route crosses (a route may cross the "
        "border more than once); shares are weighted by population (a port has none), counts "
        "of place pairs are not (pairs slowed and pairs cut off are among the pairs using "
        "it); moves to: the share of the trips moved (and still joined) whose new route "
        "crosses each interface, a trip counting in each interface it crosses, so the shares "
        "may sum past 100%; minutes use assumed speeds (layers/), not timetables.",
        "出行为每对起讫地点（城市或港口，两侧各一）之间的最快路径；出行经过其路径穿越的每个接口"
        "（路径可能多次穿越边界）；占比按人口加权（港口无人口），起讫地点对数不加权（行程变长的与"
        "中断的起讫地点对均属经此的起讫地点对）；转移至：被转移（且仍连通）的出行中新路径穿越各接口"
        "的占比，出行计入其穿越的每个接口，故各占比之和可超过 100%；分钟数基于假定速度（layers/），"
        "并非时刻表。",
    ),
}


def _say(key: str, lang: str, **values: Any) -> str:
    text = _HEAD[key].zh if lang == "zh" else _HEAD[key].en
    return text.format(**values)


def to_table(
    results: Sequence[ResilienceResult],
    *,
    source: str,
    attribution: str,
    lang: str,
    names: ChineseNames | None = None,
    attribution_zh: str = "",
) -> str:
    """A plain-text report, one block per border and layer, in ``lang``.

    In Chinese, ``names`` (the source's, :meth:`geo.names_zh.ChineseNames.of`) names the
    regions and the interfaces by the data's Chinese names where it has them (route
    numbers and ids as they are); else, and in English, they are named as the data name
    them. The layers are named in ``lang`` (:data:`geo.labels.LAYER_LABELS`), and the last
    line credits the data with ``attribution_zh`` in Chinese (``attribution`` when "").
    """
    zh = names if lang == "zh" and names is not None else ChineseNames()
    out: list[str] = []
    comma = "、" if lang == "zh" else ", "
    for r in results:
        layer = LAYER_LABELS.get(r.layer, {"zh": r.layer})["zh"] if lang == "zh" else r.layer
        out.append(_say("title", lang, a=zh.place(r.a), b=zh.place(r.b), layer=layer))
        out.append(_say("cut", lang, cut=r.min_cut, counted=r.min_cut_counted))
        out.append(_say("other", lang, n=r.other_crossings))
        places = r.places["name_zh" if lang == "zh" else "name_en"].tolist()
        out.append(_say("places", lang, names=comma.join(places) or "-"))
        if r.interfaces.empty:
            out.append(_say("none", lang))
        else:
            out.append(_say("columns", lang))
            rows = r.interfaces.to_dict("records")
            named = {str(x["id"]): _label(x, r.sources, zh) for x in rows}
            named[OTHER] = _say("other_crossing", lang)
            for row in rows:
                moves = (
                    comma.join(f"{named.get(k, k)} {v:.0%}" for k, v in row["moves_to"].items())
                    or "-"
                )
                flag = _say("yes" if row["critical"] else "no", lang)
                label = _label(row, r.sources, zh)
                out.append(
                    f"{label} | {row['base_share']:.0%} | {row['pairs_moved']} | "
                    f"{row['pairs_slower']} | {row['added_min_mean']:.1f} | "
                    f"{row['added_min_max']:.1f} | {row['added_km_max']:.1f} | "
                    f"{row['disconnected_pairs']} | {moves} | {flag}"
                )
        for w in r.warnings:
            out.append(_say("note", lang, text=w.zh if lang == "zh" else w.en))
        out.append("")
    out.append(_say("units", lang))
    credit = (attribution_zh or attribution) if lang == "zh" else attribution
    out.append(f"{source} · {credit}")
    return "\n".join(out) + "\n"


def _label(row: dict[str, Any], sources: Mapping[str, str], names: ChineseNames) -> str:
    """An interface (or a set closed together) as a planner names it: ref and name, else id.

    The name is the Chinese one of ``names`` when every interface of the set has one (by
    the features forming it, ``sources``); else the row's.
    """
    parts = [p for p in str(row["id"]).split(",") if p in sources]
    found = [n for n in (names.feature(sources[p]) for p in parts) if n]
    name = " + ".join(found) if parts and len(found) == len(parts) else row.get("name")
    named = " ".join(str(v or "") for v in (row.get("ref"), name)).strip()
    return named or str(row["id"])


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-safe dicts (NaN and infinities become null)."""
    rows = frame.to_dict("records")
    for row in rows:
        for k, v in row.items():
            if isinstance(v, float) and not math.isfinite(v):
                row[k] = None
            elif hasattr(v, "item"):
                row[k] = v.item()
    return rows


def to_json_dict(
    results: Sequence[ResilienceResult],
    *,
    source: str,
    attribution: str,
    as_of: int | None,
    band_km: float,
    critical_min: float,
) -> dict[str, Any]:
    """The JSON contract (version :data:`VERSION`) of the results."""
    borders = []
    warnings: list[dict[str, str]] = []
    for r in results:
        pairs = r.pairs
        borders.append(
            {
                "a": r.a,
                "b": r.b,
                "layer": r.layer,
                "min_cut": r.min_cut,
                "min_cut_counted": r.min_cut_counted,
                "other_crossings": r.other_crossings,
                "untied": list(r.untied),
                "critical": r.critical,
                "places": _records(r.places.drop(columns=["node"])),
                "interfaces": _records(r.interfaces),
                "pairs": _records(pairs[pairs["closed"] == ""].drop(columns=["closed"])),
                "closures": _records(pairs[pairs["closed"] != ""]),
            }
        )
        warnings += [w.as_dict() for w in r.warnings]
    return {
        "format": FORMAT,
        "version": VERSION,
        "source": source,
        "attribution": attribution,
        "as_of": as_of,
        "band_km": band_km,
        "critical_min": critical_min,
        "borders": borders,
        "warnings": warnings,
    }


def to_geojson_dict(results: Sequence[ResilienceResult], *, attribution: str) -> dict[str, Any]:
    """The detour routes of every result as one GeoJSON FeatureCollection (WGS84)."""
    features = []
    for r in results:
        for row in r.routes.to_dict("records"):
            geom = row.pop("geometry")
            features.append(
                {
                    "type": "Feature",
                    "properties": {"a": r.a, "b": r.b, "layer": r.layer, **row},
                    "geometry": json.loads(json.dumps(geom.__geo_interface__)),
                }
            )
    return {"type": "FeatureCollection", "attribution": attribution, "features": features}


def render(
    results: Sequence[ResilienceResult],
    fmt: str,
    *,
    source: str,
    attribution: str,
    lang: str,
    as_of: int | None,
    band_km: float,
    critical_min: float,
    names: ChineseNames | None = None,
    attribution_zh: str = "",
) -> str:
    """``table``, ``json`` or ``geojson`` text of the results.

    ``names`` and ``attribution_zh``: the Chinese table's (:func:`to_table`).
    """
    if fmt == "table":
        return to_table(
            results,
            source=source,
            attribution=attribution,
            lang=lang,
            names=names,
            attribution_zh=attribution_zh,
        )
    if fmt == "json":
        data = to_json_dict(
            results,
            source=source,
            attribution=attribution,
            as_of=as_of,
            band_km=band_km,
            critical_min=critical_min,
        )
    else:
        data = to_geojson_dict(results, attribution=attribution)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
