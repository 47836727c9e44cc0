"""Output of a crossing run: JSON (the stable contract), GeoJSON and a text table.

JSON contract (extend, never rename): one object with

* ``pairs``: ``a``, ``b``, ``layer``, ``class``, ``routes``, ``interfaces``, ``lanes``,
  ``lanes_missing``, ``along_km`` (plus ``pair_kind``, ``capacity``, ``capacity_unit``);
* ``interfaces``: ``id``, ``a``, ``b``, ``layer``, ``class``, ``ref``, ``name``,
  ``carriageways``, ``lanes``, ``bridge``, ``tunnel``, ``status``, ``lon``, ``lat``,
  ``source_ids`` (a list) (plus ``lanes_per_carriageway``, ``lanes_missing``, ``capacity``,
  ``capacity_unit``, ``via``, ``along``);
* ``warnings``: sentences;

and, beside them, ``source``, ``attribution``, ``regions`` and ``rules``.
"""

from __future__ import annotations

import json
from typing import Any, TypeAlias

import pandas as pd

from geo.analysis import CrossingResult
from geo.values import json_safe

#: Documented figures beside computed ones, a note on how to get them, or nothing.
Documented: TypeAlias = "pd.DataFrame | str | None"



def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    return [
        {c: json_safe(v) for c, v in zip(columns, row)}
        for row in frame[columns].itertuples(index=False, name=None)
    ]


def interface_records(result: CrossingResult) -> list[dict[str, Any]]:
    """Interfaces as JSON-ready dicts (``source_ids`` as a list)."""
    columns = [c for c in result.interfaces.columns if c != "geometry"]
    records = _records(result.interfaces, columns)
    for record in records:
        record["source_ids"] = [s for s in str(record["source_ids"] or "").split(";") if s]
    return records


def to_json_dict(
    result: CrossingResult, *, source: str, attribution: str, documented: Documented = None
) -> dict[str, Any]:
    """The JSON contract of a run."""
    regions = result.region_set.regions
    extra: dict[str, Any] = {}
    if isinstance(documented, pd.DataFrame):
        extra["documented"] = _records(documented, list(documented.columns))
    elif isinstance(documented, str):
        extra["documented_note"] = documented
    return {
        "source": source,
        "attribution": attribution,
        "regions": [
            {"name": r.name, "admin_level": json_safe(r.admin_level), "complete": bool(r.complete)}
            for r in regions.itertuples()
        ],
        "rules": result.rules.as_dict(),
        "pairs": _records(result.summary, list(result.summary.columns)),
        "interfaces": interface_records(result),
        "warnings": list(result.warnings),
        **extra,
    }


def to_geojson_dict(
    result: CrossingResult, *, source: str, attribution: str, documented: Documented = None
) -> dict[str, Any]:
    """Interfaces as a GeoJSON FeatureCollection (WGS84), warnings as a foreign member.

    Documented figures are not part of the GeoJSON (use ``--format json``).
    """
    features = [
        {
            "type": "Feature",
            "id": record["id"],
            "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
            "properties": record,
        }
        for record in interface_records(result)
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "source": source,
        "attribution": attribution,
        "warnings": list(result.warnings),
    }


def _documented_lines(documented: Documented) -> list[str]:
    if documented is None:
        return []
    if isinstance(documented, str):
        return [documented, ""]
    if documented.empty:
        return ["No documented figure is of the borders and layers counted here.", ""]
    lines = [
        "Against the documented figures (computed from the geometry, counting links open "
        "or under construction that year, as the report does):"
    ]
    for row in documented.to_dict("records"):
        computed = "n/a" if pd.isna(row["computed"]) else f"{row['computed']:,.0f}"
        lines.append(
            f"  {row['border']:<22} {row['layer']:<10} {row['measure']:<12} "
            f"documented {row['documented']:,.0f}, computed {computed}"
            + (f" — {row['explanation']}" if row["explanation"] else "")
        )
    return [*lines, ""]


def to_table(
    result: CrossingResult, *, source: str, attribution: str, documented: Documented = None
) -> str:
    """A plain-text report: counts per pair and layer, interfaces, warnings."""
    lines = [f"Source: {source}", ""]
    summary = result.summary
    if summary.empty:
        lines.append("No region pairs.")
    for (a, b, kind), pair_rows in summary.groupby(["a", "b", "pair_kind"], sort=False):
        lines.append(f"{a} – {b} ({kind} border)")
        for row in pair_rows.to_dict("records"):
            cls = row["class"] if not pd.isna(row["class"]) else "-"
            lanes = "" if pd.isna(row["lanes"]) else f", {int(row['lanes'])} lanes"
            missing = row["lanes_missing"] and row["layer"] == "highways"
            note = f" ({row['lanes_missing']} without lane data)" if missing else ""
            along = f", {row['along_km']:.1f} km along the border" if row["along_km"] else ""
            lines.append(
                f"  {row['layer']:<10} {cls:<13} {row['routes']} route(s), "
                f"{row['interfaces']} interface(s){lanes}{note}{along}"
            )
        lines.append("")
    if len(result.interfaces):
        lines.append("Interfaces:")
        for r in interface_records(result):
            label = " ".join(x for x in (r["ref"], r["name"]) if x) or "(unnamed)"
            unit = "lanes" if r["layer"] == "highways" else r["capacity_unit"]
            if r["capacity"] is None:
                lanes = f"{unit} unknown"
            elif unit == "navigation grade":
                lanes = f"navigation grade {r['capacity']}"
            else:
                lanes = f"{r['capacity']} {unit}"
            lines_word = "carriageway(s)" if r["layer"] == "highways" else "line(s)"
            extra = ", ".join(
                x
                for x, on in (
                    ("bridge", r["bridge"]),
                    ("tunnel", r["tunnel"]),
                    ("over water", r["via"] == "water"),
                )
                if on
            )
            lines.append(
                f"  {r['id']:<13} {r['a']} – {r['b']}  {r['class']:<12} {label}; "
                f"{r['carriageways']} {lines_word}, {lanes}"
                f"{'; ' + extra if extra else ''}; {r['lat']:.5f} N {r['lon']:.5f} E"
            )
        lines.append("")
    lines.extend(_documented_lines(documented))
    for warning in result.warnings:
        lines.append(f"Warning: {warning}")
    if attribution:
        lines.append(attribution)
    return "\n".join(lines).rstrip() + "\n"


def render(
    result: CrossingResult,
    fmt: str,
    *,
    source: str,
    attribution: str,
    documented: Documented = None,
) -> str:
    """Render ``result`` as ``table``, ``json`` or ``geojson`` text."""
    if fmt == "table":
        return to_table(result, source=source, attribution=attribution, documented=documented)
    builder = to_json_dict if fmt == "json" else to_geojson_dict
    data = builder(result, source=source, attribution=attribution, documented=documented)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
