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

from collections.abc import Mapping
from typing import Any, TypeAlias

import pandas as pd

from geo.analysis import CrossingResult
from geo.basis import Basis, basis_record, caption, get_basis
from geo.coverage import Cover
from geo.io.count_words import (
    PAIR_KINDS_ZH,
    WORDS,
    capacity_words,
    pad,
    text_width,
    word,
)
from geo.io.json_text import dumps
from geo.io.table_words import measure_word
from geo.labels import (
    LAYER_LABELS,
    NOT_COVERED,
    PARTLY_COVERED,
    Language,
    class_label,
    grade_both,
    grade_text,
)
from geo.names_zh import region_names_zh
from geo.text import Bilingual, as_bilingual
from geo.values import json_records, json_safe
from layers import LINE_LAYERS

#: Documented figures beside computed ones, a note on how to get them (in English, or in
#: both languages), or nothing.
Documented: TypeAlias = "pd.DataFrame | str | Bilingual | None"


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
    result: CrossingResult,
    *,
    source: str,
    attribution: str | Bilingual,
    documented: Documented = None,
) -> dict[str, Any]:
    """The JSON contract of a run (its texts in English: the attribution, a note's)."""
    regions = result.region_set.regions
    extra: dict[str, Any] = {}
    if isinstance(documented, pd.DataFrame):
        extra["documented"] = json_records(documented)
    elif documented is not None:
        extra["documented_note"] = as_bilingual(documented).en
    return {
        "source": source,
        "attribution": as_bilingual(attribution).en,
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
    result: CrossingResult,
    *,
    source: str,
    attribution: str | Bilingual,
    documented: Documented = None,
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
        "attribution": as_bilingual(attribution).en,
        "warnings": [w.en for w in result.warnings],
        "basis": basis_record(result.statuses, result.as_of),
    }


def _documented_lines(
    documented: Documented,
    lang: Language = "en",
    *,
    names_zh: Mapping[str, str] | None = None,
    explanations_zh: Mapping[tuple[str, str, str], str] | None = None,
) -> list[str]:
    """The documented figures beside the computed ones, a note on how to get them, or none.

    In Chinese, the borders, layers and measures are named in Chinese and the explanations
    are the dataset's Chinese ones (``explanations_zh``, by border, layer and measure:
    :func:`geo.reconcile.explanations_zh`), else as the comparison gives them.
    """
    if documented is None:
        return []
    if isinstance(documented, str | Bilingual):
        note = as_bilingual(documented)
        return [note.zh if lang == "zh" else note.en, ""]
    if documented.empty:
        return [word("documented_none", lang), ""]
    named = documented[documented["layer"].isin(LINE_LAYERS)].get("basis", pd.Series())
    main = get_basis(str(named.iloc[0])) if len(named) else None
    phrase = (main or get_basis("open+construction")).phrase
    lines = [word("documented_head", lang, phrase=phrase.zh if lang == "zh" else phrase.en)]
    for row in documented.to_dict("records"):
        lines.append(_documented_row(row, main, lang, names_zh or {}, explanations_zh or {}))
    return [*lines, ""]


def _documented_row(
    row: dict[str, Any],
    main: Basis | None,
    lang: Language,
    names_zh: Mapping[str, str],
    explanations_zh: Mapping[tuple[str, str, str], str],
) -> str:
    """One documented figure beside the computed one, with the explanation of a difference."""
    zh = lang == "zh"
    computed = word("not_computed", lang) if pd.isna(row["computed"]) else f"{row['computed']:,.0f}"
    own = row.get("basis")
    counted = ""
    if main and own != main.name:
        label = get_basis(str(own)).label
        counted = word("counted_in", lang, basis=label.zh if zh else label.en)
    text = row["explanation"]
    if zh and text:
        key = (str(row["border"]), str(row["layer"]), str(row["measure"]))
        unexplained = text == WORDS["unexplained"].en
        text = WORDS["unexplained"].zh if unexplained else explanations_zh.get(key, text)
    border, layer, measure = str(row["border"]), str(row["layer"]), str(row["measure"])
    if zh:
        border = "–".join(names_zh.get(n, n) for n in border.split("–"))
        layer = LAYER_LABELS.get(layer, {"zh": layer})["zh"]
        measure = measure_word(measure, "zh")
    return word(
        "documented_row",
        lang,
        border=pad(border, 22, lang),
        layer=pad(layer, 10, lang),
        measure=pad(measure, 12, lang),
        documented=f"{row['documented']:,.0f}",
        computed=computed,
        counted=counted,
        explanation=word("explanation", lang, text=text) if text else "",
    )


def warning_line(warning: Bilingual, lang: str = "en") -> str:
    """A warning as a text report's line, in ``lang``: ``Warning: ...`` or ``警告：...``.

    A warning is a sentence the engine wrote in both languages, so the command line's
    ``--lang zh`` reads it in Chinese, as it reads the errors, the progress and the rest of
    the plain count's report (:func:`to_table`).
    """
    return f"警告：{warning.zh}" if lang == "zh" else f"Warning: {warning.en}"


def to_table(
    result: CrossingResult,
    *,
    source: str,
    attribution: str | Bilingual,
    documented: Documented = None,
    lang: str = "en",
    features_zh: Mapping[str, str] | None = None,
    explanations_zh: Mapping[tuple[str, str, str], str] | None = None,
) -> str:
    """A plain-text report: counts per pair and layer, interfaces, warnings.

    Below the source, the basis and year counted (:func:`geo.basis.caption`). A border and
    layer the data do not cover shows "not covered" instead of its zeros, one partly
    covered says so, and each border's notes say why and what would cover it.

    Every line is in ``lang`` (its words: :mod:`geo.io.count_words`). The English report
    gives the Chinese beside the basis, the coverage marks and the notes; the Chinese one
    is Chinese only: regions named by their Chinese names where the data give them
    (``result.region_set.regions``' ``name_zh``), interfaces by their features' Chinese
    names (``features_zh``: ``{feature id: name_zh}``,
    :func:`geo.names_zh.feature_names_zh`), documented differences explained by
    ``explanations_zh`` (:func:`geo.reconcile.explanations_zh`), and the attribution's
    Chinese when it is a :class:`~geo.text.Bilingual`. Numbers, ids, route numbers and
    commands are the same in both.
    """
    language: Language = "zh" if lang == "zh" else "en"
    names = region_names_zh(result.region_set.regions) if language == "zh" else {}
    label = caption(result.statuses, result.as_of)
    lines = [
        word("source", language, source=source),
        word("counted", language, en=label.en, zh=label.zh),
        "",
    ]
    summary = result.summary
    if summary.empty:
        lines.append(word("no_pairs", language))
    notes = coverage_notes(result)
    for (a, b, kind), pair_rows in summary.groupby(["a", "b", "pair_kind"], sort=False):
        lines.append(_border_line(str(a), str(b), str(kind), language, names))
        lines.extend(_summary_line(row, language) for row in pair_rows.to_dict("records"))
        mine = [(group, cover) for na, nb, group, cover, _ in notes if (na, nb) == (a, b)]
        lines.extend(_coverage_lines(result, str(a), str(b), mine, language))
        lines.append("")
    if len(result.interfaces):
        lines.append(word("interfaces_head", language))
        records = interface_records(result)
        width = max(_width(str(r["id"]), language) for r in records)
        lines.extend(_interface_line(r, width, language, names, features_zh or {}) for r in records)
        lines.append("")
    lines.extend(
        _documented_lines(documented, language, names_zh=names, explanations_zh=explanations_zh)
    )
    lines.extend(warning_line(warning, language) for warning in result.warnings)
    credit = as_bilingual(attribution)
    if credit.en:
        lines.append(credit.zh if language == "zh" else credit.en)
    return "\n".join(lines).rstrip() + "\n"


def _width(text: str, lang: Language) -> int:
    """A cell's width: its characters in English, a terminal's columns in Chinese."""
    return text_width(text) if lang == "zh" else len(text)


def _border_line(a: str, b: str, kind: str, lang: Language, names: Mapping[str, str]) -> str:
    """A border's head: ``Anhui – Jiangsu (land border)`` / ``安徽省 – 江苏省（陆地边界）``."""
    if lang == "zh":
        return word(
            "border", lang, a=names.get(a, a), b=names.get(b, b), kind=PAIR_KINDS_ZH.get(kind, kind)
        )
    return word("border", lang, a=a, b=b, kind=kind)


def _coverage_lines(
    result: CrossingResult,
    a: str,
    b: str,
    notes: list[tuple[list[str], Cover]],
    lang: Language = "en",
) -> list[str]:
    """Under a border: why each group of layers is not wholly covered, then the fixes.

    The English report gives each line in English and then in Chinese (the layers named as
    the data name them); the Chinese report in Chinese only, the layers named in Chinese.
    """
    if result.coverage is None or not notes:
        return []
    lines: list[str] = []
    fixes: dict[Bilingual, None] = {}
    for names, cover in notes:
        head = Bilingual(**(PARTLY_COVERED if cover.covered else NOT_COVERED))
        if lang == "zh":
            reason = result.coverage.reason(cover, names[0], in_chinese=True)
            listed = WORDS["layers_joiner"].zh.join(
                LAYER_LABELS.get(n, {"zh": n})["zh"] for n in names
            )
            lines.append(word("why", "zh", layers=listed, head=head.zh, reason=reason.zh))
        else:
            reason = result.coverage.reason(cover, names[0])
            listed = WORDS["layers_joiner"].en.join(names)
            lines.append(word("why", "en", layers=listed, head=head.en, reason=reason.en))
            # Beside the English, its Chinese, the layers as the data name them (a space after).
            lines.append(word("why", "zh", layers=f"{listed} ", head=head.zh, reason=reason.zh))
        fixes[result.coverage.fix(a, b, cover)] = None
    for fix in fixes:
        if lang != "zh":
            lines.append(word("fix", "en", fix=fix.en))
        lines.append(word("fix", "zh", fix=fix.zh))
    return lines


def _summary_line(row: dict[str, Any], lang: Language = "en") -> str:
    """One summary row: its counts, or "not covered" (with what was found all the same)."""
    zh = lang == "zh"
    layer = str(row["layer"])
    cls = str(row["class"]) if not pd.isna(row["class"]) else "-"
    lanes = "" if pd.isna(row["lanes"]) else word("lanes", lang, n=int(row["lanes"]))
    missing = row["lanes_missing"] and layer == "highways"
    note = word("lanes_missing", lang, n=row["lanes_missing"]) if missing else ""
    along = word("along", lang, km=row["along_km"]) if row["along_km"] else ""
    counts = word(
        "counts",
        lang,
        routes=word("routes", lang, n=row["routes"]),
        interfaces=word("interfaces", lang, n=row["interfaces"]),
    )
    counts += lanes + note + along
    if zh:
        cls = class_label(layer, cls, "zh") if cls != "-" else cls
        layer = LAYER_LABELS.get(layer, {"zh": layer})["zh"]
    head = f"  {pad(layer, 10, lang)} {pad(cls, 13, lang)} "
    if not row.get("covered", True):
        found = word("found", lang, counts=counts) if row["interfaces"] or row["along_km"] else ""
        return head + word("not_covered", lang) + found
    return head + counts + (word("partly", lang) if row.get("partly") else "")


def _interface_line(
    r: dict[str, Any],
    width: int,
    lang: Language = "en",
    names: Mapping[str, str] | None = None,
    features_zh: Mapping[str, str] | None = None,
) -> str:
    """One interface: id, pair, class, route, carriageways, capacity, place.

    In Chinese the regions, the class and the route's name are Chinese where known
    (``names``: the regions', ``features_zh``: the features' by id).
    """
    zh = lang == "zh"
    layer = str(r["layer"])
    unit = "lanes" if layer == "highways" else str(r["capacity_unit"])
    grade = (grade_text(r["capacity"], "zh") or "?") if zh else grade_both(r["capacity"])
    capacity = capacity_words(unit, r["capacity"], grade, lang)
    parts = [
        word(key, lang)
        for key, on in (
            ("bridge", r["bridge"]),
            ("tunnel", r["tunnel"]),
            ("over_water", r["via"] == "water"),
        )
        if on
    ]
    joiner = WORDS["extra_joiner"].zh if zh else WORDS["extra_joiner"].en
    extra = word("extra", lang, parts=joiner.join(parts)) if parts else ""
    a, b, cls, name = str(r["a"]), str(r["b"]), str(r["class"]), r["name"]
    if zh:
        places, features = names or {}, features_zh or {}
        a, b = places.get(a, a), places.get(b, b)
        cls = class_label(layer, cls, "zh")
        name = next((features[i] for i in r["source_ids"] if i in features), name)
    label = " ".join(x for x in (r["ref"], name) if x) or word("unnamed", lang)
    lines_key = "carriageways" if layer == "highways" else "lines"
    return word(
        "interface",
        lang,
        id=pad(str(r["id"]), width, lang),
        a=a,
        b=b,
        cls=pad(cls, 12, lang),
        label=label,
        lines=word(lines_key, lang, n=r["carriageways"]),
        capacity=capacity,
        extra=extra,
        lat=r["lat"],
        lon=r["lon"],
    )


def render(
    result: CrossingResult,
    fmt: str,
    *,
    source: str,
    attribution: str | Bilingual,
    documented: Documented = None,
    lang: str = "en",
    features_zh: Mapping[str, str] | None = None,
    explanations_zh: Mapping[tuple[str, str, str], str] | None = None,
) -> str:
    """Render ``result`` as ``table``, ``json`` or ``geojson`` text.

    ``lang`` is the language of the table, whose Chinese names the features and explains
    the documented differences by ``features_zh`` and ``explanations_zh`` (:func:`to_table`);
    the JSON keeps the English of its texts, as it always did.
    """
    if fmt == "table":
        return to_table(
            result,
            source=source,
            attribution=attribution,
            documented=documented,
            lang=lang,
            features_zh=features_zh,
            explanations_zh=explanations_zh,
        )
    builder = to_json_dict if fmt == "json" else to_geojson_dict
    data = builder(result, source=source, attribution=attribution, documented=documented)
    return dumps(data) + "\n"
