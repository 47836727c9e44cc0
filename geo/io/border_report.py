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
under the table why, in English and Chinese (in Chinese only for a Chinese table), and what
would cover it; the JSON has
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

The text tables are written in one language (``lang``), every line of them: in Chinese
(``zh``) their words come from :mod:`geo.io.table_words` and :mod:`geo.labels`, and regions
and features are named by the Chinese names the data give (:class:`geo.names_zh.ChineseNames`,
as the data name them where none is given); figures, ids, route numbers and commands are the
same in both. JSON, CSV and XLSX do not depend on the language.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from geo.basis import basis_record
from geo.compare import Comparison
from geo.coverage import BorderNote
from geo.io.count_words import text_width
from geo.io.json_text import dumps
from geo.io.report import warning_line
from geo.io.table_words import CAPACITY_HEADERS, LIST_JOINER, measure_word, pick, say, unit_word
from geo.labels import (
    CHANGE_LABELS,
    LAYER_LABELS,
    NEW_LABELS,
    NOT_COVERED,
    PARTLY_COVERED,
    PORT_HOW_LABELS,
    change_label,
    column_label,
    grade_both,
    grade_text,
    status_label,
    year_span,
)
from geo.names_zh import ChineseNames
from geo.overview import PORTS, Overview, capacity_name, counted_year
from geo.pair_export import basis_name
from geo.text import Bilingual, as_bilingual
from geo.timeline import Timeline
from geo.values import is_missing, json_records

#: The first character of every CSV: the UTF-8 byte order mark (for Excel).
BOM = "\ufeff"

#: Formats each border table can be written in.
FORMATS = ("table", "json", "csv")

#: How wide the comparison's and the timeline's layer and change columns are in English
#: (characters); in Chinese, as wide as their widest word (:meth:`_Language.width`).
_LAYER_WIDTH = 10
_CHANGE_WIDTH = 13


@dataclass(frozen=True)
class _Language:
    """The language a text table is written in, and the Chinese names it may use.

    English (any ``lang`` but ``zh``) names regions and features as the data do; Chinese
    by their Chinese names where the data give them (``names``), and writes every word of
    the table in Chinese (:mod:`geo.io.table_words`, :mod:`geo.labels`).
    """

    lang: str = "en"
    names: ChineseNames = field(default_factory=ChineseNames)

    @property
    def zh(self) -> bool:
        """Whether the table is in Chinese."""
        return self.lang == "zh"

    def say(self, key: str, **fields: object) -> str:
        """A text of :data:`geo.io.table_words.WORDS` in this language."""
        return say(key, self.lang, **fields)

    def pick(self, label: Bilingual | dict[str, str]) -> str:
        """One language of a :class:`Bilingual` or of a label of :mod:`geo.labels`."""
        return pick(label if isinstance(label, Bilingual) else Bilingual(**label), self.lang)

    def place(self, name: object) -> str:
        """A region's name: its Chinese name in Chinese where the data give one."""
        return self.names.place(name) if self.zh else str(name)

    def border(self, a: object, b: object) -> str:
        """``A – B``, both places in this language."""
        return _border(self.place(a), self.place(b))

    def feature(self, ids: object, name: object) -> str:
        """A feature's name: in Chinese, the first of ``ids``' Chinese name, if any."""
        found = self.names.feature(ids) if self.zh else None
        return found or str(name or "")

    def layer(self, layer: str) -> str:
        """A layer in a row: as the data name it in English, its Chinese name in Chinese."""
        return LAYER_LABELS.get(layer, {"zh": layer})["zh"] if self.zh else layer

    def width(self, english: int, words: Iterable[str]) -> int:
        """A column's width: ``english`` in English, else its widest word's."""
        return max((text_width(w) for w in words), default=0) if self.zh else english


#: An English table, naming everything as the data do.
_ENGLISH = _Language()


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


def _capacity(
    layer: str, value: object, missing: object, interfaces: object, lang: str = "en"
) -> str:
    """A capacity as the table shows it: a Roman grade, ``?`` unknown, ``–`` for none.

    Interfaces of unknown capacity are counted after it: ``30 (3 unknown)``,
    ``30（3 个未知）``.
    """
    if is_missing(value):
        text = "–" if not interfaces else "?"
    elif capacity_name(layer) == "best_grade":
        text = grade_text(value)
    else:
        text = f"{int(value):,}"  # type: ignore[call-overload]
    if not is_missing(missing) and int(missing):  # type: ignore[call-overload]
        text += say("unknown", lang, count=int(missing))  # type: ignore[call-overload]
    return text


def _cell(record: dict[str, Any], suffix: str = "", lang: str = "en") -> str:
    """One layer of one border: ``routes / interfaces / capacity`` (ports: ``n, berths, TEU``).

    "not covered" when not covered; ``, partly covered`` after the figures when partly. The
    words are in ``lang``, as the warnings are (:func:`_in`: ``未覆盖``, ``，部分覆盖``,
    ``（3 个未知）``); the figures are the same in both.
    """
    if not record[f"covered{suffix}"]:
        return _in(NOT_COVERED, lang)
    text = _figures(record, suffix, lang)
    return _partly(text, lang) if record.get(f"partly{suffix}") else text


def _partly(text: str, lang: str = "en") -> str:
    """A covered cell's figures marked partly covered, in ``lang`` (Chinese: ``，部分覆盖``)."""
    comma = "，" if lang == "zh" else ", "
    return f"{text}{comma}{_in(PARTLY_COVERED, lang)}"


def _in(label: dict[str, str], lang: str) -> str:
    """A label of :mod:`geo.labels` in the text table's ``lang`` (English unless ``zh``)."""
    return label["zh"] if lang == "zh" else label["en"]


def _figures(record: dict[str, Any], suffix: str, lang: str = "en") -> str:
    """The figures of a covered cell (unknown capacities counted in ``lang``)."""
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
                lang,
            ),
        ]
    )


def _layer_header(layer: str, lang: str = "en") -> str:
    """A layer's column header: ``Highways (lanes)``, ``公路（车道）``."""
    label = pick(Bilingual(**LAYER_LABELS.get(layer, {"en": layer, "zh": layer})), lang)
    capacity = PORTS if layer == PORTS else capacity_name(layer)
    words = CAPACITY_HEADERS.get(capacity, Bilingual(capacity, capacity))
    return say("layer_header", lang, layer=label, capacity=pick(words, lang))


def _header(layers: Sequence[str], lang: str) -> list[str]:
    """The grid's header: the border, then each layer's (:func:`_layer_header`)."""
    return [say("border", lang), *(_layer_header(n, lang) for n in layers)]


def _pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (:func:`_width`)."""
    return text + " " * max(0, width - text_width(text))


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to the widest cell as a terminal shows it (:func:`_width`)."""
    widths = [max(text_width(r[k]) for r in [header, *rows]) for k in range(len(header))]
    return [
        "  ".join(
            cell + " " * (width - text_width(cell)) for cell, width in zip(row, widths)
        ).rstrip()
        for row in [header, *rows]
    ]


def _border(a: object, b: object) -> str:
    return f"{a} – {b}"


def _title(
    what: str,
    region: str | None,
    caption: dict[str, str],
    neighbour: str | None = None,
    language: _Language = _ENGLISH,
) -> str:
    """The table's title: which borders, what is counted (``caption``), and ``what``."""
    borders = language.say("every_border")
    if region is not None:
        borders = language.say("borders_of", region=language.place(region))
    if region is not None and neighbour is not None:
        borders = language.say("the_border", border=language.border(region, neighbour))
    return language.say("title", borders=borders, caption=language.pick(caption), what=what)


#: A note's years, written before it, in a language (:func:`_span`, :func:`_compare_span`).
Span = Callable[[BorderNote, str], str]


def _note_lines(
    notes: Sequence[BorderNote],
    *,
    span: Span | None = None,
    language: _Language = _ENGLISH,
) -> list[str]:
    """Under a table: per border, why its layers are not wholly covered, and the fixes.

    Worded as the plain count words them (:func:`geo.io.report.to_table`): in English and
    Chinese, one line each; in Chinese only for a Chinese table, its regions and layers
    named in Chinese (:meth:`geo.coverage.BorderNote.in_chinese`). ``span``: each note's
    years, written before it (the timeline's :func:`_span`, the comparison's
    :func:`_compare_span`).
    """
    if not notes:
        return []
    lines = [language.say("coverage")]
    for (a, b), group in _by_border(notes).items():
        lines.append(f"  {language.border(a, b)}")
        for note in group:
            years = span(note, language.lang) if span is not None else ""
            if language.zh:
                lines.append(f"    {years}{note.in_chinese(language.names.places)}")
                continue
            lines.append(f"    {years}{note.note.en}")
            lines.append(f"    {years}{note.note.zh}")
    return [*lines, ""]


def _by_border(notes: Sequence[BorderNote]) -> dict[tuple[str, str], list[BorderNote]]:
    out: dict[tuple[str, str], list[BorderNote]] = {}
    for note in notes:
        out.setdefault((note.a, note.b), []).append(note)
    return out


def _span(note: BorderNote, lang: str = "en") -> str:
    """``1990-2003: `` (the years a timeline's note holds for); ``1990—2003 年：``."""
    if note.first_year is None:
        return ""
    return _years(note.first_year, note.last_year, lang)


def _years(first: int, last: int | None, lang: str) -> str:
    """``1990-2003: `` or ``2006: ``; in Chinese ``1990—2003 年：``, ``2006 年：``."""
    last = first if last is None else last
    if lang == "zh":
        return say("note_years", lang, years=year_span(first, last, "zh"))
    return say("note_years", lang, years=first if first == last else f"{first}-{last}")


def _compare_span(comparison: Comparison) -> Span:
    """A comparison's note's years: none when it holds in both, else ``2006: ``."""

    def span(note: BorderNote, lang: str = "en") -> str:
        both = (note.first_year, note.last_year) == (comparison.year_a, comparison.year_b)
        if both or note.first_year is None:
            return ""
        return _years(note.first_year, note.first_year, lang)

    return span


def _reasons(notes: Sequence[BorderNote], span: Span | None = None) -> tuple[str, str]:
    """Notes' reasons as one English and one Chinese text: ``highways partly covered: ...``.

    ``span``: each note's years, written before it (:func:`_note_lines`).
    """
    en, zh = [], []
    for note in notes:
        years = span(note, "en") if span is not None else ""
        listed = ", ".join(note.layers)
        listed_zh = "、".join(LAYER_LABELS.get(n, {"zh": n})["zh"] for n in note.layers)
        state = PARTLY_COVERED if note.cover.covered else NOT_COVERED
        en.append(f"{years}{listed} {state['en']}: {note.reason.en}")
        zh.append(f"{years}{listed_zh}{state['zh']}：{note.reason_zh}")
    return "; ".join(en), "；".join(zh)


def _footer(
    warnings: Sequence[Bilingual], attribution: str | Bilingual, lang: str = "en"
) -> list[str]:
    """The warnings in ``lang`` (:func:`geo.io.report.warning_line`), then the attribution.

    The attribution in ``lang`` too, when the source gives it in Chinese
    (:attr:`geo.io.sources.Source.attribution_zh`; a plain string reads the same in both).
    """
    lines = [warning_line(w, lang) for w in warnings]
    credit = pick(as_bilingual(attribution), lang)
    if credit:
        lines.append(credit)
    return lines


# ------------------------------------------------------------------------------- overview


def overview_table(
    view: Overview,
    *,
    source: str,
    attribution: str | Bilingual,
    lang: str = "en",
    names: ChineseNames | None = None,
) -> str:
    """The overview as text: one row per border, one cell per layer.

    Every line is in ``lang``: the title, headers, cells (:func:`_cell`), notes, ports and
    warnings; in Chinese, regions and features are named by their Chinese ``names`` where
    the data give them (:class:`geo.names_zh.ChineseNames`).
    """
    language = _Language(lang, names or ChineseNames())
    lines = [
        language.say("source", source=source),
        _title(language.say("per_layer"), view.region, view.caption, view.neighbour, language),
        "",
    ]
    totals = view.totals
    layers = list(dict.fromkeys(totals["layer"]))
    rows = []
    for (a, b), group in totals.groupby(["a", "b"], sort=False):
        cells = {r["layer"]: _cell(r, lang=lang) for r in group.to_dict("records")}
        rows.append([language.border(a, b), *(cells.get(layer, "") for layer in layers)])
    if rows:
        lines += _grid(_header(layers, lang), rows)
    else:
        lines.append(language.say("no_pairs"))
    lines.append("")
    lines += _note_lines(view.coverage_notes, language=language)
    lines += _port_lines(view.ports, view.interfaces, language)
    lines += _footer(view.warnings, attribution, lang)
    return "\n".join(lines).rstrip() + "\n"


def _port_lines(
    ports: pd.DataFrame, interfaces: pd.DataFrame, language: _Language = _ENGLISH
) -> list[str]:
    """Each port counted on a border, and how: on it, or reached by the links named."""
    if ports.empty:
        return []
    names = {}
    if len(interfaces):
        for iid, ref, name, ids in zip(
            interfaces["id"], interfaces["ref"], interfaces["name"], interfaces["source_ids"]
        ):
            named = language.feature(ids, name)
            names[str(iid)] = " ".join(str(x) for x in (ref, named) if x)
    lines = [language.say("ports")]
    joiner = language.pick(LIST_JOINER)
    for r in ports.to_dict("records"):
        if r["how"] == "reached":
            links = joiner.join(
                language.say("named", name=names.get(v) or v, id=v)
                for v in str(r["via"]).split(";")
            )
            how = language.say("reached", links=links)
        else:
            how = language.pick(PORT_HOW_LABELS["on_border"])
        name = language.feature([r["port"]], r["name"])
        port = language.say(
            "port", border=language.border(r["a"], r["b"]), name=name, port=r["port"], how=how
        )
        lines.append(f"  {port}")
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
    comparison: Comparison,
    *,
    source: str,
    attribution: str | Bilingual,
    lang: str = "en",
    names: ChineseNames | None = None,
) -> str:
    """Two years as text: each border's cells at A -> B, then what changed.

    Every line is in ``lang``, as the overview's (:func:`overview_table`): the cells
    (:func:`_cell`), the notes, the changes (:func:`_change_lines`) and the warnings
    (:func:`geo.io.report.warning_line`).
    """
    language = _Language(lang, names or ChineseNames())
    year_a, year_b = comparison.year_a, comparison.year_b
    lines = [
        language.say("source", source=source),
        _title(
            language.say("per_layer_years", year_a=year_a, year_b=year_b),
            comparison.region,
            comparison.caption,
            comparison.neighbour,
            language,
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
        rows.append([language.border(a, b), *(cells.get(layer, "") for layer in layers)])
    if rows:
        lines += _grid(_header(layers, lang), rows)
    lines.append("")
    lines += _note_lines(
        comparison.coverage_notes, span=_compare_span(comparison), language=language
    )
    lines += _change_lines(comparison, language)
    lines += _footer(comparison.overview_b.warnings, attribution, lang)
    return "\n".join(lines).rstrip() + "\n"


def _change_lines(comparison: Comparison, language: _Language = _ENGLISH) -> list[str]:
    """What changed, per border: one line per interface and kind of change.

    Its layer and kind (:func:`geo.labels.change_label`) in columns, its route number and
    name (in Chinese: its first feature's Chinese name, where the data give one), its id,
    the change (:func:`_what`), the years and the features, as the data name them.
    """
    changes = comparison.changes
    span = {"year_a": comparison.year_a, "year_b": comparison.year_b}
    if changes.empty:
        return [language.say("nothing_changed", **span), ""]
    lines = [language.say("what_changed", **span)]
    joiner = language.pick(LIST_JOINER)
    layer_width = language.width(_LAYER_WIDTH, map(language.layer, set(changes["layer"])))
    kinds = [*CHANGE_LABELS.values(), *NEW_LABELS.values()]
    change_width = language.width(_CHANGE_WIDTH, (language.pick(k) for k in kinds))
    for (a, b), group in changes.groupby(["a", "b"], sort=False):
        lines.append(f"  {language.border(a, b)}")
        for r in group.to_dict("records"):
            name = language.feature(r["source_ids"], r["name"])
            label = " ".join(x for x in (r["ref"], name) if x) or language.say("unnamed")
            years = joiner.join(str(y) for y in r["years"]) or language.say("not_dated")
            # The change in words: a new interface still being built "construction started"
            # (dated by the start of works), as the page says it (geo.labels.change_label).
            kind = language.pick(change_label(r["change"], r.get("status_b")))
            change = language.say(
                "change",
                link=language.say("named", name=label, id=r["id"]),
                what=_what(r, language.lang),
                years=years,
                features=joiner.join(r["source_ids"]),
            )
            layer = language.layer(r["layer"])
            lines.append(f"    {_pad(layer, layer_width)} {_pad(kind, change_width)} {change}")
    return [*lines, ""]


def _what(r: dict[str, Any], lang: str = "en") -> str:
    """``: 4 -> 6 lanes`` or ``: construction -> open`` for a change row (in ``lang``).

    In Chinese, ``：4 -> 6 车道``, ``：在建 -> 已通车``: statuses in the words of the layer
    (:func:`geo.labels.status_label`), grades as ``IV级``; in English as the data name
    them, grades in both (:func:`geo.labels.grade_both`).
    """
    colon = "：" if lang == "zh" else ": "
    if r["change"] == "status":
        return f"{colon}{_status(r, 'a', lang)} -> {_status(r, 'b', lang)}"
    if r["change"] in ("widened", "narrowed", "capacity_data"):
        unit = r["capacity_unit"]
        if unit == "navigation grade":
            before, after = _grade(r["capacity_a"], lang), _grade(r["capacity_b"], lang)
            return colon + say("grade", lang, grade=f"{before} -> {after}")
        figures = f"{_number(r['capacity_a'])} -> {_number(r['capacity_b'])}"
        return f"{colon}{figures} {unit_word(unit, lang)}"
    side = "b" if r["change"] == "opened" else "a"
    record = r[f"capacity_{side}"]
    if r["capacity_unit"] == "navigation grade":
        size = say("grade", lang, grade=_grade(record, lang))
    else:
        size = f"{_number(record)} {unit_word(r['capacity_unit'], lang)}"
    return colon + say("size_status", lang, size=size, status=_status(r, side, lang))


def _status(r: dict[str, Any], side: str, lang: str) -> str:
    """A change row's status in year A or B (``side``): the data's word, or in Chinese."""
    status = r[f"status_{side}"]
    return status_label(r["layer"], status, "zh") if lang == "zh" else f"{status}"


def _grade(grade: object, lang: str) -> str:
    """A grade in a change row: ``IV (IV级)`` in English, ``IV级`` in Chinese, else ``?``."""
    if lang == "zh":
        return grade_text(grade, "zh") or "?"
    return grade_both(grade)


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


def timeline_table(
    line: Timeline,
    *,
    source: str,
    attribution: str | Bilingual,
    lang: str = "en",
    names: ChineseNames | None = None,
) -> str:
    """The timeline as text: per border and layer, the years in which a count changed.

    Every line is in ``lang``, as the overview's (:func:`overview_table`): the layers, the
    cells (:func:`_cell`), the notes and the documented figures.
    """
    language = _Language(lang, names or ChineseNames())
    lines = [
        language.say("source", source=source),
        _title(
            language.say("in_years_changed"),
            line.region,
            line.caption,
            line.neighbour,
            language,
        ),
        "",
    ]
    rows = line.rows
    width = language.width(_LAYER_WIDTH, map(language.layer, set(rows["layer"])))
    for (a, b), pair in rows.groupby(["a", "b"], sort=False):
        lines.append(language.border(a, b))
        for layer, group in pair.groupby("layer", sort=False):
            shown = ""
            for record in group.sort_values("year").to_dict("records"):
                cell = _cell(record, lang=lang)
                if cell != shown:
                    name = _pad(language.layer(str(layer)) if not shown else "", width)
                    lines.append(f"  {name} {record['year']}  {cell}")
                    shown = cell
        lines.append("")
    lines += _note_lines(line.coverage_notes, span=_span, language=language)
    lines += _documented_lines(line.documented, language)
    lines += _footer([], attribution, lang)
    return "\n".join(lines).rstrip() + "\n"


def _documented_lines(documented: pd.DataFrame, language: _Language) -> list[str]:
    """The documented figures a timeline marks, one line each (none: no line)."""
    if documented.empty:
        return []
    lines = [language.say("documented")]
    for r in documented.to_dict("records"):
        row = language.say(
            "documented_row",
            border=language.border(r["a"], r["b"]),
            layer=language.layer(r["layer"]),
            measure=measure_word(r["measure"], language.lang),
            value=f"{r['value']:,.0f}",
            year=r["year"],
        )
        lines.append(f"  {row}")
    return [*lines, ""]


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
    attribution: str | Bilingual,
    lang: str = "en",
    names: ChineseNames | None = None,
) -> str:
    """``table`` as ``table``, ``json`` or ``csv`` text.

    A text table is written in ``lang``, every line of it (English unless ``zh``); in
    Chinese its regions and features are named by their Chinese ``names`` where the data
    give them, and its coverage notes are the Chinese ones only. JSON and CSV are the same
    in both (the JSON's ``attribution`` is the English one).
    """
    credit = as_bilingual(attribution)
    if isinstance(table, Overview):
        if fmt == "csv":
            return overview_csv(table)
        if fmt == "json":
            return _dump(overview_json(table, source=source, attribution=credit.en))
        return overview_table(table, source=source, attribution=credit, lang=lang, names=names)
    if isinstance(table, Comparison):
        if fmt == "csv":
            return compare_csv(table)
        if fmt == "json":
            return _dump(compare_json(table, source=source, attribution=credit.en))
        return compare_table(table, source=source, attribution=credit, lang=lang, names=names)
    if fmt == "csv":
        return timeline_csv(table)
    if fmt == "json":
        return _dump(timeline_json(table, source=source, attribution=credit.en))
    return timeline_table(table, source=source, attribution=credit, lang=lang, names=names)
