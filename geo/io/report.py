"""Output of a crossing run: JSON (the stable contract), GeoJSON and a text table.

JSON contract (extend, never rename): one object with

* ``pairs``: ``a``, ``b``, ``layer``, ``class``, ``routes``, ``interfaces``, ``lanes``,
  ``lanes_missing``, ``along_km`` (plus ``pair_kind``, ``capacity``, ``capacity_unit``),
  ``covered`` and ``partly`` (whether the data hold that border's links of that layer, all
  or some: where ``covered`` is false the counts are not zeros but "not looked at";
  :mod:`geo.coverage`);
* ``interfaces``: ``id``, ``a``, ``b``, ``layer``, ``class``, ``ref``, ``name``,
  ``carriageways``, ``lanes``, ``bridge``, ``tunnel``, ``status``, ``lon``, ``lat``,
  ``source_ids`` (a list) (plus ``lanes_per_carriageway``, ``lanes_missing``, ``capacity``,
  ``capacity_unit``, ``via``, ``along``). ``id`` is stable: ``LAYER/A–B/ANCHOR``, the layer,
  the region pair sorted, and the smallest source id of the interface's lines, with
  ``#2``, ``#3`` ... for a line forming several interfaces on one border
  (:func:`geo.interfaces.interface_ids`); the same interface has the same id in every
  year, basis and focus region; characters other than letters, digits and
  :data:`geo.interfaces.ID_CHARACTERS` become ``_``. Compare ids whole; do not parse them;
* ``warnings``: sentences, in English (the engine's warnings are Bilingual; the JSON keeps
  the English of each, as it always did: docs/language.md);
* ``basis``: the counting basis (:func:`geo.basis.basis_record`): ``name``
  (``open``, ``open+construction``, ``planned``, or null for another list of statuses),
  ``statuses``, ``label`` and ``caption`` (each ``{"en", "zh"}``) and ``as_of``;
* ``coverage``: one entry per border and group of layers not wholly covered, in the
  order of ``pairs``: ``a``, ``b``, ``layers``, ``covered``, ``partly``, ``since``,
  ``reason`` (``{"en", "zh"}``: why, a clause) and ``note`` (``{"en", "zh"}``: one sentence
  saying why, and what would cover it);

and, beside them, ``source``, ``attribution``, ``regions`` and ``rules``; with documented
figures, ``documented`` (rows of :data:`geo.reconcile.RECONCILE_COLUMNS`, each with the
``basis`` it is counted in) or ``documented_note``.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import pandas as pd

from geo.analysis import CrossingResult
from geo.basis import basis_record, caption, get_basis
from geo.coverage import Cover
from geo.io.json_text import dumps
from geo.labels import grade_both
from geo.text import Bilingual
from geo.values import json_records, json_safe
from layers import LINE_LAYERS

#: Documented figures beside computed ones, a note on how to get them, or nothing.
Documented: TypeAlias = "pd.DataFrame | str | None"


def interface_records(result: CrossingResult) -> list[dict[str, Any]]:
    """Interfaces as JSON-ready dicts (``source_ids`` as a list)."""
    columns = [c for c in result.interfaces.columns if c != "geometry"]
    records = json_records(result.interfaces, columns)
    for record in records:
        record["source_ids"] = [s for s in str(record["source_ids"] or "").split(";") if s]
    return records


def coverage_notes(result: CrossingResult) -> list[tuple[str, str, list[str], Cover, Bilingual]]:
    """The borders of a run whose layers are not wholly covered, with their notes.

    Returns
    -------
    list of (a, b, layers, cover, note)
        One per border and group of layers sharing a cover, in the order of the summary's
        pairs (``a`` as the summary has it: the focus region first).
    """
    if result.coverage is None or result.summary.empty:
        return []
    out = []
    summary = result.summary
    for (a, b), rows in summary.groupby(["a", "b"], sort=False):
        layers = list(dict.fromkeys(rows["layer"]))
        for names, cover, note in result.coverage.notes(a, b, layers, as_of=result.as_of):
            out.append((str(a), str(b), names, cover, note))
    return out


def _coverage_records(result: CrossingResult) -> list[dict[str, Any]]:
    return [
        {
            "a": a,
            "b": b,
            "layers": layers,
            "covered": cover.covered,
            "partly": cover.partly,
            "since": cover.since,
            "reason": result.coverage.reason(cover, layers[0]).as_dict()
            if result.coverage
            else None,
            "note": note.as_dict(),
        }
        for a, b, layers, cover, note in coverage_notes(result)
    ]


def to_json_dict(
    result: CrossingResult, *, source: str, attribution: str, documented: Documented = None
) -> dict[str, Any]:
    """The JSON contract of a run."""
    regions = result.region_set.regions
    extra: dict[str, Any] = {}
    if isinstance(documented, pd.DataFrame):
        extra["documented"] = json_records(documented)
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
        "pairs": json_records(result.summary),
        "interfaces": interface_records(result),
        "warnings": [w.en for w in result.warnings],
        "basis": basis_record(result.statuses, result.as_of),
        "coverage": _coverage_records(result),
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
        "warnings": [w.en for w in result.warnings],
        "basis": basis_record(result.statuses, result.as_of),
    }


def _documented_lines(documented: Documented) -> list[str]:
    if documented is None:
        return []
    if isinstance(documented, str):
        return [documented, ""]
    if documented.empty:
        return ["No documented figure is of the borders and layers counted here.", ""]
    named = documented[documented["layer"].isin(LINE_LAYERS)].get("basis", pd.Series())
    main = get_basis(str(named.iloc[0])) if len(named) else None
    phrase = main.phrase.en if main else "links open or under construction"
    lines = [
        f"Against the documented figures (computed from the geometry, counting {phrase} "
        "that year, as the report does):"
    ]
    for row in documented.to_dict("records"):
        computed = "n/a" if pd.isna(row["computed"]) else f"{row['computed']:,.0f}"
        own = row.get("basis")
        counted = f" ({get_basis(str(own)).label.en})" if main and own != main.name else ""
        lines.append(
            f"  {row['border']:<22} {row['layer']:<10} {row['measure']:<12} "
            f"documented {row['documented']:,.0f}, computed {computed}{counted}"
            + (f" — {row['explanation']}" if row["explanation"] else "")
        )
    return [*lines, ""]


def warning_line(warning: Bilingual, lang: str = "en") -> str:
    """A warning as a text report's line, in ``lang``: ``Warning: ...`` or ``警告：...``.

    The text reports' other lines are English (with the Chinese beside some), but a
    warning is a sentence the engine wrote in both languages, so the command line's
    ``--lang zh`` reads it in Chinese, as it reads the errors and the progress.
    """
    return f"警告：{warning.zh}" if lang == "zh" else f"Warning: {warning.en}"


def to_table(
    result: CrossingResult,
    *,
    source: str,
    attribution: str,
    documented: Documented = None,
    lang: str = "en",
) -> str:
    """A plain-text report: counts per pair and layer, interfaces, warnings.

    Below the source, the basis and year counted (:func:`geo.basis.caption`, in English and
    Chinese). A border and layer the data do not cover shows "not covered" instead of its
    zeros, one partly covered says so, and each border's notes say what would cover it.
    The warnings are in ``lang`` (:func:`warning_line`).
    """
    label = caption(result.statuses, result.as_of)
    lines = [f"Source: {source}", f"Counted: {label.en} ({label.zh})", ""]
    summary = result.summary
    if summary.empty:
        lines.append("No region pairs.")
    notes = coverage_notes(result)
    for (a, b, kind), pair_rows in summary.groupby(["a", "b", "pair_kind"], sort=False):
        lines.append(f"{a} – {b} ({kind} border)")
        lines.extend(_summary_line(row) for row in pair_rows.to_dict("records"))
        mine = [(names, cover) for na, nb, names, cover, _ in notes if (na, nb) == (a, b)]
        lines.extend(_coverage_lines(result, str(a), str(b), mine))
        lines.append("")
    if len(result.interfaces):
        lines.append("Interfaces:")
        records = interface_records(result)
        width = max(len(str(r["id"])) for r in records)
        lines.extend(_interface_line(r, width) for r in records)
        lines.append("")
    lines.extend(_documented_lines(documented))
    lines.extend(warning_line(warning, lang) for warning in result.warnings)
    if attribution:
        lines.append(attribution)
    return "\n".join(lines).rstrip() + "\n"


def _coverage_lines(
    result: CrossingResult, a: str, b: str, notes: list[tuple[list[str], Cover]]
) -> list[str]:
    """Under a border: why each group of layers is not wholly covered, then the fixes."""
    if result.coverage is None or not notes:
        return []
    lines: list[str] = []
    fixes: dict[Bilingual, None] = {}
    for names, cover in notes:
        head = "partly covered" if cover.covered else "not covered"
        reason = result.coverage.reason(cover, names[0])
        listed = ", ".join(names)
        lines.append(f"  {listed} {head}: {reason.en}.")
        lines.append(f"  {listed} {'部分覆盖' if cover.covered else '未覆盖'}：{reason.zh}。")
        fixes[result.coverage.fix(a, b, cover)] = None
    for fix in fixes:
        lines.append(f"  To cover it: {fix.en}.")
        lines.append(f"  如需覆盖：{fix.zh}。")
    return lines


def _summary_line(row: dict[str, Any]) -> str:
    """One summary row: its counts, or "not covered" (with what was found all the same)."""
    cls = row["class"] if not pd.isna(row["class"]) else "-"
    lanes = "" if pd.isna(row["lanes"]) else f", {int(row['lanes'])} lanes"
    missing = row["lanes_missing"] and row["layer"] == "highways"
    note = f" ({row['lanes_missing']} without lane data)" if missing else ""
    along = f", {row['along_km']:.1f} km along the border" if row["along_km"] else ""
    counts = f"{row['routes']} route(s), {row['interfaces']} interface(s){lanes}{note}{along}"
    head = f"  {row['layer']:<10} {cls:<13} "
    if not row.get("covered", True):
        found = f" (found all the same: {counts})" if row["interfaces"] or row["along_km"] else ""
        return f"{head}not covered 未覆盖{found}"
    return head + counts + (" — partly covered 部分覆盖" if row.get("partly") else "")


def _interface_line(r: dict[str, Any], width: int) -> str:
    """One interface: id, pair, class, route, carriageways, capacity, place."""
    label = " ".join(x for x in (r["ref"], r["name"]) if x) or "(unnamed)"
    unit = "lanes" if r["layer"] == "highways" else r["capacity_unit"]
    if r["capacity"] is None:
        lanes = f"{unit} unknown"
    elif unit == "navigation grade":
        lanes = f"navigation grade {grade_both(r['capacity'])}"  # IV (IV级): 1 is the best
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
    return (
        f"  {r['id']:<{width}}  {r['a']} – {r['b']}  {r['class']:<12} {label}; "
        f"{r['carriageways']} {lines_word}, {lanes}"
        f"{'; ' + extra if extra else ''}; {r['lat']:.5f} N {r['lon']:.5f} E"
    )


def render(
    result: CrossingResult,
    fmt: str,
    *,
    source: str,
    attribution: str,
    documented: Documented = None,
    lang: str = "en",
) -> str:
    """Render ``result`` as ``table``, ``json`` or ``geojson`` text.

    ``lang`` is the language of the table's warnings; the JSON keeps the English ones.
    """
    if fmt == "table":
        return to_table(
            result, source=source, attribution=attribution, documented=documented, lang=lang
        )
    builder = to_json_dict if fmt == "json" else to_geojson_dict
    data = builder(result, source=source, attribution=attribution, documented=documented)
    return dumps(data) + "\n"
