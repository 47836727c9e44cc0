"""The border tables as text, JSON and CSV: the overview, two years compared, the timeline.

The JSON shapes are a contract (extend, never rename), described in
``docs/border-tables.md``. Every JSON object has ``kind`` (``"overview"``, ``"compare"``
or ``"timeline"``), ``source``, ``attribution``, ``statuses``, ``region`` and ``caption``
(``{"en": ..., "zh": ...}``), then its tables. Navigation grades are numbers (1-7, 1 the
best) in JSON and CSV, Roman numerals in the text table.

CSV is made for a spreadsheet: UTF-8 with a byte order mark, so that Excel shows Chinese
names; the year counted, the basis and the statuses are columns of every row.

Coverage is said as the plain count says it (:func:`geo.io.report.to_table`): a cell of a
border and layer not covered reads "not covered", one partly covered reads its figures and
"partly covered" (in the command's language, as its warnings: 未覆盖, 部分覆盖); the text lists
under the table why, in English and Chinese, and what would cover it; the JSON has
``partly`` beside ``covered`` and a ``coverage`` list like the plain count's; the CSV has
``{layer}_partly`` (overview) or ``partly`` (timeline, the comparison's counts) and the
reasons in English and Chinese (``coverage_note_en``, ``coverage_note_zh``). The comparison
marks a cell partly covered in either year once, after both years' figures, and a note of
one of its two years only starts with that year. The overview is also written as an Excel
workbook (:func:`overview_xlsx`, through pandas and openpyxl): the same table, the counting
basis and year on a sheet of their own, and every header in English and Chinese. The
comparison's and the timeline's CSV hold two tables one after the other, separated by an
empty line (counts, then the changes or the documented figures); a program should read the
JSON instead.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, cast

import pandas as pd

from geo.basis import basis_record
from geo.compare import Comparison
from geo.coverage import BorderNote
from geo.io.json_text import dumps
from geo.io.report import warning_line
from geo.labels import (
    LAYER_LABELS,
    NOT_COVERED,
    PARTLY_COVERED,
    change_label,
    column_label,
    grade_both,
    grade_text,
)
from geo.overview import PORTS, Overview, capacity_name, counted_year
from geo.pair_export import basis_name
from geo.text import Bilingual
from geo.timeline import Timeline
from geo.values import is_missing, json_records

#: The first character of every CSV: the UTF-8 byte order mark (for Excel).
BOM = "\ufeff"

#: Formats each border table can be written in.
FORMATS = ("table", "json", "csv")

#: What each layer's cell holds, after "routes / interfaces /" (ports: their own cell).
_CAPACITY_HEADER = {
    "lanes": "lanes",
    "tracks": "tracks",
    "best_grade": "best grade",
    "max_diameter": "max mm",
}


def _dump(data: dict[str, Any]) -> str:
    return dumps(data) + "\n"


def _csv(frame: pd.DataFrame) -> str:
    """A frame as CSV text (lists joined by ``;``, missing values empty)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, (list, tuple))).any():
            out[column] = out[column].map(
                lambda v: ";".join(str(x) for x in v) if isinstance(v, (list, tuple)) else v
            )
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def _with_grades(frame: pd.DataFrame) -> pd.DataFrame:
    """A Roman numeral column after each best-grade column (``..._best_grade_roman``)."""
    out = frame.copy()
    for column in [c for c in frame.columns if c.endswith("_best_grade")]:
        at = list(out.columns).index(column) + 1
        out.insert(at, f"{column}_roman", [grade_text(v) for v in out[column]])
    return out


def _statuses(statuses: Sequence[str]) -> str:
    return "+".join(statuses)


def _number(value: object) -> str:
    return "?" if is_missing(value) else f"{int(value):,}"  # type: ignore[call-overload]


def _capacity(layer: str, value: object, missing: object, interfaces: object) -> str:
    """A capacity as the table shows it: a Roman grade, ``?`` unknown, ``–`` for none."""
    if is_missing(value):
        text = "–" if not interfaces else "?"
    elif capacity_name(layer) == "best_grade":
        text = grade_text(value)
    else:
        text = f"{int(value):,}"  # type: ignore[call-overload]
    if not is_missing(missing) and int(missing):  # type: ignore[call-overload]
        text += f" ({int(missing)} unknown)"  # type: ignore[call-overload]
    return text




def _cell(record: dict[str, Any], suffix: str = "", lang: str = "en") -> str:
    """One layer of one border: ``routes / interfaces / capacity`` (ports: ``n, berths, TEU``).

    "not covered" when not covered; ``, partly covered`` after the figures when partly. The
    coverage words are in ``lang``, as the warnings are (:func:`_in`: ``未覆盖``,
    ``，部分覆盖``); the figures are the same in both.
    """
    if not record[f"covered{suffix}"]:
        return _in(NOT_COVERED, lang)
    text = _figures(record, suffix)
    return _partly(text, lang) if record.get(f"partly{suffix}") else text


def _partly(text: str, lang: str = "en") -> str:
    """A covered cell's figures marked partly covered, in ``lang`` (Chinese: ``，部分覆盖``)."""
    comma = "，" if lang == "zh" else ", "
    return f"{text}{comma}{_in(PARTLY_COVERED, lang)}"


def _in(label: dict[str, str], lang: str) -> str:
    """A label of :mod:`geo.labels` in the text table's ``lang`` (English unless ``zh``)."""
    return label["zh"] if lang == "zh" else label["en"]


def _figures(record: dict[str, Any], suffix: str) -> str:
    """The figures of a covered cell."""
    layer = record["layer"]
    if layer == PORTS:
        return ", ".join(_number(record[f"{m}{suffix}"]) for m in ("interfaces", "capacity", "teu"))
    return " / ".join(
        [
            _number(record[f"routes{suffix}"]),
            _number(record[f"interfaces{suffix}"]),
            _capacity(
                layer,
                record[f"capacity{suffix}"],
                record[f"capacity_missing{suffix}"],
                record[f"interfaces{suffix}"],
            ),
        ]
    )


def _layer_header(layer: str) -> str:
    label = LAYER_LABELS.get(layer, {"en": layer})["en"]
    if layer == PORTS:
        return f"{label} (ports, berths, TEU)"
    return f"{label} ({_CAPACITY_HEADER.get(capacity_name(layer), capacity_name(layer))})"


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to the widest cell as a terminal shows it (:func:`_width`)."""
    widths = [max(_width(r[k]) for r in [header, *rows]) for k in range(len(header))]
    return [
        "  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(row, widths)).rstrip()
        for row in [header, *rows]
    ]


def _width(text: str) -> int:
    """How many columns a terminal gives ``text``: two for a wide character (汉字, ，)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _border(a: object, b: object) -> str:
    return f"{a} – {b}"


def _title(what: str, region: str | None, caption: str, neighbour: str | None = None) -> str:
    borders = "Every border" if region is None else f"Borders of {region}"
    if region is not None and neighbour is not None:
        borders = f"The border {_border(region, neighbour)}"
    return f"{borders}, {caption}: {what}"


def _note_lines(
    notes: Sequence[BorderNote], *, span: Callable[[BorderNote], str] | None = None
) -> list[str]:
    """Under a table: per border, why its layers are not wholly covered, and the fixes.

    In English and Chinese, worded as the plain count words them
    (:func:`geo.io.report.to_table`); ``span``: each note's years, written before it (the
    timeline's :func:`_span`, the comparison's :func:`_compare_span`).
    """
    if not notes:
        return []
    lines = ["Coverage (覆盖范围):"]
    for (a, b), group in _by_border(notes).items():
        lines.append(f"  {_border(a, b)}")
        for note in group:
            years = span(note) if span is not None else ""
            lines.append(f"    {years}{note.note.en}")
            lines.append(f"    {years}{note.note.zh}")
    return [*lines, ""]


def _by_border(notes: Sequence[BorderNote]) -> dict[tuple[str, str], list[BorderNote]]:
    out: dict[tuple[str, str], list[BorderNote]] = {}
    for note in notes:
        out.setdefault((note.a, note.b), []).append(note)
    return out


def _span(note: BorderNote) -> str:
    """``1990-2003: `` (the years a timeline's note holds for)."""
    if note.first_year is None:
        return ""
    if note.first_year == note.last_year:
        return f"{note.first_year}: "
    return f"{note.first_year}-{note.last_year}: "


def _compare_span(comparison: Comparison) -> Callable[[BorderNote], str]:
    """A comparison's note's years: none when it holds in both, else ``2006: ``."""

    def span(note: BorderNote) -> str:
        both = (note.first_year, note.last_year) == (comparison.year_a, comparison.year_b)
        return "" if both else f"{note.first_year}: "

    return span


def _reasons(
    notes: Sequence[BorderNote], span: Callable[[BorderNote], str] | None = None
) -> tuple[str, str]:
    """Notes' reasons as one English and one Chinese text: ``highways partly covered: ...``.

    ``span``: each note's years, written before it (:func:`_note_lines`).
    """
    en, zh = [], []
    for note in notes:
        years = span(note) if span is not None else ""
        listed = ", ".join(note.layers)
        listed_zh = "、".join(LAYER_LABELS.get(n, {"zh": n})["zh"] for n in note.layers)
        state = PARTLY_COVERED if note.cover.covered else NOT_COVERED
        en.append(f"{years}{listed} {state['en']}: {note.reason.en}")
        zh.append(f"{years}{listed_zh}{state['zh']}：{note.reason_zh}")
    return "; ".join(en), "；".join(zh)


def _footer(warnings: Sequence[Bilingual], attribution: str, lang: str = "en") -> list[str]:
    """The warnings in ``lang`` (:func:`geo.io.report.warning_line`), then the attribution."""
    lines = [warning_line(w, lang) for w in warnings]
    if attribution:
        lines.append(attribution)
    return lines


# ------------------------------------------------------------------------------- overview


def overview_table(view: Overview, *, source: str, attribution: str, lang: str = "en") -> str:
    """The overview as text: one row per border, one cell per layer.

    The warnings and the cells' coverage words are in ``lang`` (:func:`_cell`).
    """
    lines = [
        f"Source: {source}",
        _title(
            "routes / interfaces / capacity per layer",
            view.region,
            view.caption["en"],
            view.neighbour,
        ),
        "",
    ]
    totals = view.totals
    layers = list(dict.fromkeys(totals["layer"]))
    rows = []
    for (a, b), group in totals.groupby(["a", "b"], sort=False):
        cells = {r["layer"]: _cell(r, lang=lang) for r in group.to_dict("records")}
        rows.append([_border(a, b), *(cells.get(layer, "") for layer in layers)])
    if rows:
        lines += _grid(["Border", *(_layer_header(n) for n in layers)], rows)
    else:
        lines.append("No region pairs.")
    lines.append("")
    lines += _note_lines(view.coverage_notes)
    lines += _port_lines(view.ports, view.interfaces)
    lines += _footer(view.warnings, attribution, lang)
    return "\n".join(lines).rstrip() + "\n"


def _port_lines(ports: pd.DataFrame, interfaces: pd.DataFrame) -> list[str]:
    if ports.empty:
        return []
    names = {}
    if len(interfaces):
        for iid, ref, name in zip(interfaces["id"], interfaces["ref"], interfaces["name"]):
            names[str(iid)] = " ".join(str(x) for x in (ref, name) if x)
    lines = ["Ports counted on a border:"]
    for r in ports.to_dict("records"):
        if r["how"] == "reached":
            links = ", ".join(f"{names.get(v) or v} ({v})" for v in str(r["via"]).split(";"))
            how = f"reached across it by {links}"
        else:
            how = "on the border"
        lines.append(f"  {_border(r['a'], r['b'])}: {r['name']} ({r['port']}), {how}")
    return [*lines, ""]


def overview_json(view: Overview, *, source: str, attribution: str) -> dict[str, Any]:
    """The overview's JSON contract (``docs/border-tables.md``)."""
    borders = []
    for (a, b, kind), group in view.totals.groupby(["a", "b", "pair_kind"], sort=False):
        layers = {}
        for record in json_records(group):
            layer = record.pop("layer")
            for key in ("a", "b", "pair_kind"):
                record.pop(key)
            if layer != PORTS:
                record.pop("teu")
            layers[layer] = record
        borders.append({"a": a, "b": b, "pair_kind": kind, "layers": layers})
    return {
        "kind": "overview",
        "source": source,
        "attribution": attribution,
        "as_of": view.as_of,
        "year": view.year,
        "statuses": list(view.statuses),
        "region": view.region,
        "neighbour": view.neighbour,
        "caption": view.caption,
        "borders": borders,
        "coverage": [note.as_dict() for note in view.coverage_notes],
        "ports": json_records(view.ports),
        "warnings": [w.en for w in view.warnings],
    }


def _overview_rows(view: Overview) -> pd.DataFrame:
    """The wide table with its grades as numerals; the year, basis and statuses first.

    ``as_of`` is the year counted (:attr:`geo.overview.Overview.year`: for the data as
    tagged, the year they describe), as every export's rows carry it; ``basis`` the basis's
    name (:func:`geo.pair_export.basis_name`); the coverage notes last.
    """
    table = _with_grades(view.table)
    year = view.year if view.year is not None else counted_year(view.as_of, None)
    table.insert(0, "statuses", _statuses(view.statuses))
    table.insert(0, "basis", basis_name(view.statuses))
    table.insert(0, "as_of", year)
    by_border = _by_border(view.coverage_notes)
    notes = [_reasons(by_border.get((str(a), str(b)), [])) for a, b in zip(table["a"], table["b"])]
    table["coverage_note_en"] = [en for en, _ in notes]
    table["coverage_note_zh"] = [zh for _, zh in notes]
    return table


def overview_csv(view: Overview) -> str:
    """The wide table as CSV: the year counted, the basis and statuses first (see above)."""
    return BOM + _csv(_overview_rows(view))


#: The sheets of :func:`overview_xlsx`.
XLSX_SHEETS = ("overview", "basis", "columns")


def overview_xlsx(view: Overview, *, source: str, attribution: str) -> bytes:
    """The overview as an Excel workbook (``.xlsx``).

    Sheets (:data:`XLSX_SHEETS`): ``overview``, the rows of :func:`overview_csv` (year and
    statuses first, missing values empty); ``basis``, what was counted: the source, the
    region, the year, the counting basis (:func:`geo.basis.basis_record`: name, statuses,
    label and caption in English and Chinese) and the attribution; ``columns``, each
    column's header in English and Chinese (:func:`geo.labels.column_label`). The
    workbook's title names the basis and year too.
    """
    table = _overview_rows(view)
    record = basis_record(view.statuses, view.as_of)
    label = cast(dict[str, str], record["label"])
    caption = cast(dict[str, str], record["caption"])
    about = pd.DataFrame(
        [
            ("source", source),
            ("region", view.region if view.region is not None else "every pair"),
            ("as_of", "" if view.as_of is None else view.as_of),
            ("basis", record["name"] or ""),
            ("statuses", _statuses(view.statuses)),
            ("basis_en", label["en"]),
            ("basis_zh", label["zh"]),
            ("caption_en", caption["en"]),
            ("caption_zh", caption["zh"]),
            ("attribution", attribution),
        ],
        columns=["field", "value"],
    )
    headers = pd.DataFrame(
        [(c, column_label(c, "en"), column_label(c, "zh")) for c in table.columns],
        columns=["column", "en", "zh"],
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in zip(XLSX_SHEETS, (table, about, headers)):
            frame.to_excel(writer, sheet_name=name, index=False)
        writer.book.properties.title = f"Jiegui overview, {source}: {caption['en']}"
        writer.book.properties.subject = caption["zh"]
    return buffer.getvalue()


# -------------------------------------------------------------------------------- compare


def compare_table(
    comparison: Comparison, *, source: str, attribution: str, lang: str = "en"
) -> str:
    """Two years as text: each border's cells at A -> B, then what changed.

    The warnings (:func:`geo.io.report.warning_line`) and the cells' coverage words
    (:func:`_cell`) are in ``lang``.
    """
    year_a, year_b = comparison.year_a, comparison.year_b
    lines = [
        f"Source: {source}",
        _title(
            f"routes / interfaces / capacity per layer, {year_a} -> {year_b}",
            comparison.region,
            comparison.caption["en"],
            comparison.neighbour,
        ),
        "",
    ]
    counts = comparison.counts
    layers = list(dict.fromkeys(counts["layer"]))
    rows = []
    for (a, b), group in counts.groupby(["a", "b"], sort=False):
        cells = {}
        for record in group.to_dict("records"):
            record["covered_a"] = record["covered_b"] = record["covered"]
            before, after = _cell(record, "_a", lang), _cell(record, "_b", lang)
            cell = before if before == after else f"{before} -> {after}"
            # Partly covered in either year: said once, after both years' figures.
            cells[record["layer"]] = _partly(cell, lang) if record["partly"] else cell
        rows.append([_border(a, b), *(cells.get(layer, "") for layer in layers)])
    if rows:
        lines += _grid(["Border", *(_layer_header(n) for n in layers)], rows)
    lines.append("")
    lines += _note_lines(comparison.coverage_notes, span=_compare_span(comparison))
    lines += _change_lines(comparison)
    lines += _footer(comparison.overview_b.warnings, attribution, lang)
    return "\n".join(lines).rstrip() + "\n"


def _change_lines(comparison: Comparison) -> list[str]:
    changes = comparison.changes
    span = f"{comparison.year_a} -> {comparison.year_b}"
    if changes.empty:
        return [f"Nothing changed {span}.", ""]
    lines = [f"What changed {span} (matched by interface id):"]
    for (a, b), group in changes.groupby(["a", "b"], sort=False):
        lines.append(f"  {_border(a, b)}")
        for r in group.to_dict("records"):
            label = " ".join(x for x in (r["ref"], r["name"]) if x) or "(unnamed)"
            what = _what(r)
            years = ", ".join(str(y) for y in r["years"]) or "year not dated"
            # The change in words: a new interface still being built "construction started"
            # (dated by the start of works), as the page says it (geo.labels.change_label).
            kind = change_label(r["change"], r.get("status_b"))["en"]
            lines.append(
                f"    {r['layer']:<10} {kind:<13} {label} ({r['id']}){what}; {years}; "
                f"features {', '.join(r['source_ids'])}"
            )
    return [*lines, ""]


def _what(r: dict[str, Any]) -> str:
    """``: 4 -> 6 lanes`` or ``: construction -> open`` for a change row."""
    if r["change"] == "status":
        return f": {r['status_a']} -> {r['status_b']}"
    if r["change"] in ("widened", "narrowed", "capacity_data"):
        unit = r["capacity_unit"]
        if unit == "navigation grade":
            before, after = grade_both(r["capacity_a"]), grade_both(r["capacity_b"])
            return f": grade {before} -> {after}"
        return f": {_number(r['capacity_a'])} -> {_number(r['capacity_b'])} {unit}"
    record = r["capacity_b"] if r["change"] == "opened" else r["capacity_a"]
    status = r["status_b"] if r["change"] == "opened" else r["status_a"]
    if r["capacity_unit"] == "navigation grade":
        size = f"grade {grade_both(record)}"
    else:
        size = f"{_number(record)} {r['capacity_unit']}"
    return f": {size}, {status}"


def compare_json(comparison: Comparison, *, source: str, attribution: str) -> dict[str, Any]:
    """The comparison's JSON contract (``docs/border-tables.md``)."""
    return {
        "kind": "compare",
        "source": source,
        "attribution": attribution,
        "years": [comparison.year_a, comparison.year_b],
        "statuses": list(comparison.statuses),
        "region": comparison.region,
        "neighbour": comparison.neighbour,
        "caption": comparison.caption,
        "counts": json_records(comparison.counts),
        "changes": json_records(comparison.changes),
        "coverage": [note.as_dict() for note in comparison.coverage_notes],
        "warnings": [w.en for w in comparison.overview_b.warnings],
    }


def compare_csv(comparison: Comparison) -> str:
    """The counts, an empty line, then the changes; years and statuses as columns.

    Each counts row ends with why its border and layer is not wholly covered
    (``coverage_note_en``, ``coverage_note_zh``; a note of one year only starts with it;
    empty when it is wholly covered in both years).
    """
    counts = comparison.counts.copy()
    changes = comparison.changes.copy()
    for frame in (counts, changes):
        frame.insert(0, "statuses", _statuses(comparison.statuses))
        frame.insert(0, "year_b", comparison.year_b)
        frame.insert(0, "year_a", comparison.year_a)
    span = _compare_span(comparison)
    notes = [
        _reasons(
            [n for n in comparison.coverage_notes if (n.a, n.b) == (a, b) and layer in n.layers],
            span,
        )
        for a, b, layer in zip(counts["a"], counts["b"], counts["layer"])
    ]
    counts["coverage_note_en"] = [en for en, _ in notes]
    counts["coverage_note_zh"] = [zh for _, zh in notes]
    return BOM + _csv(counts) + "\n" + _csv(changes)


# ------------------------------------------------------------------------------- timeline


def timeline_table(line: Timeline, *, source: str, attribution: str, lang: str = "en") -> str:
    """The timeline as text: per border and layer, the years in which a count changed.

    The cells' coverage words are in ``lang`` (:func:`_cell`), as the other tables' are.
    """
    lines = [
        f"Source: {source}",
        _title(
            "routes / interfaces / capacity, in the years they changed",
            line.region,
            line.caption["en"],
            line.neighbour,
        ),
        "",
    ]
    rows = line.rows
    for (a, b), pair in rows.groupby(["a", "b"], sort=False):
        lines.append(_border(a, b))
        for layer, group in pair.groupby("layer", sort=False):
            shown = ""
            for record in group.sort_values("year").to_dict("records"):
                cell = _cell(record, lang=lang)
                if cell != shown:
                    name = f"{layer:<10}" if not shown else " " * 10
                    lines.append(f"  {name} {record['year']}  {cell}")
                    shown = cell
        lines.append("")
    lines += _note_lines(line.coverage_notes, span=_span)
    if not line.documented.empty:
        lines.append("Documented figures (counting links open or under construction):")
        for r in line.documented.to_dict("records"):
            lines.append(
                f"  {_border(r['a'], r['b'])} {r['layer']} {r['measure']} "
                f"{r['value']:,.0f} in {r['year']}"
            )
        lines.append("")
    lines += _footer([], attribution)
    return "\n".join(lines).rstrip() + "\n"


def timeline_json(line: Timeline, *, source: str, attribution: str) -> dict[str, Any]:
    """The timeline's JSON contract (``docs/border-tables.md``)."""
    return {
        "kind": "timeline",
        "source": source,
        "attribution": attribution,
        "first_year": line.first_year,
        "last_year": line.last_year,
        "statuses": list(line.statuses),
        "region": line.region,
        "neighbour": line.neighbour,
        "caption": line.caption,
        "rows": json_records(line.rows),
        "documented": json_records(line.documented),
        "coverage": [note.as_dict() for note in line.coverage_notes],
    }


def timeline_csv(line: Timeline) -> str:
    """The rows (year, basis and statuses first), an empty line, the documented figures.

    Each row ends with why its border and layer is not wholly covered that year
    (``coverage_note_en``, ``coverage_note_zh``; empty when it is).
    """
    rows = line.rows.copy()
    rows.insert(1, "statuses", _statuses(line.statuses))
    rows.insert(1, "basis", basis_name(line.statuses))
    notes = [
        _reasons(_year_notes(line.coverage_notes, a, b, layer, year))
        for year, a, b, layer in zip(rows["year"], rows["a"], rows["b"], rows["layer"])
    ]
    rows["coverage_note_en"] = [en for en, _ in notes]
    rows["coverage_note_zh"] = [zh for _, zh in notes]
    text = BOM + _csv(rows)
    if not line.documented.empty:
        text += "\n" + _csv(line.documented)
    return text


def _year_notes(
    notes: Sequence[BorderNote], a: object, b: object, layer: object, year: int
) -> list[BorderNote]:
    """The notes of one border, layer and year (a timeline row)."""
    return [
        note
        for note in notes
        if (note.a, note.b) == (a, b) and layer in note.layers and _holds(note, int(year))
    ]


def _holds(note: BorderNote, year: int) -> bool:
    """Whether a note holds in ``year`` (one of no year holds in every year)."""
    first, last = note.first_year, note.last_year
    return (first is None or first <= year) and (last is None or year <= last)


# --------------------------------------------------------------------------------- render


def render_border_table(
    table: Overview | Comparison | Timeline,
    fmt: str,
    *,
    source: str,
    attribution: str,
    lang: str = "en",
) -> str:
    """``table`` as ``table``, ``json`` or ``csv`` text.

    A text table's warnings and its cells' coverage words ("not covered", "partly covered")
    are in ``lang``; its headers and other words stay English, with the Chinese beside the
    coverage notes.
    """
    if isinstance(table, Overview):
        if fmt == "csv":
            return overview_csv(table)
        if fmt == "json":
            return _dump(overview_json(table, source=source, attribution=attribution))
        return overview_table(table, source=source, attribution=attribution, lang=lang)
    if isinstance(table, Comparison):
        if fmt == "csv":
            return compare_csv(table)
        if fmt == "json":
            return _dump(compare_json(table, source=source, attribution=attribution))
        return compare_table(table, source=source, attribution=attribution, lang=lang)
    if fmt == "csv":
        return timeline_csv(table)
    if fmt == "json":
        return _dump(timeline_json(table, source=source, attribution=attribution))
    return timeline_table(table, source=source, attribution=attribution, lang=lang)
