"""What the page shows of coverage and of every border, derived from a count: no drawing.

* :func:`layer_covers`: per layer, whether the pair shown (or all the region's borders) is
  covered, partly covered or not covered (:mod:`geo.coverage`), for the cards;
* :func:`cover_notes`: the notes saying why a border is not wholly covered and what would
  cover it (:meth:`geo.coverage.Coverage.notes`);
* :func:`overview_display`: the overview (:func:`geo.overview.overview_of`) as the page's
  sortable table: the numbers (sorted on), what each cell reads ("not covered",
  grades as Roman numerals, ``?`` for unknown) and which cells are partly covered;
* :func:`overview_notes`: why the overview's borders are not wholly covered, and what would
  cover them (the overview's own notes, worded for the page).

The report's comparison with the page's basis beside it is :mod:`app.report_view`'s.

Nothing here imports streamlit; the texts come from :mod:`app.labels` and the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from app.labels import say
from app.language import current
from app.page_text import border_label
from geo.coverage import BorderNote, Coverage
from geo.errors import layer_spec
from geo.labels import LAYER_LABELS, column_label, grade_text
from geo.overview import PORTS, Overview, capacity_name
from geo.summary import pair_mask
from geo.text import Bilingual
from geo.values import is_missing

#: A layer's coverage for the cards: wholly, partly, or not covered.
COVERED, PARTLY, NOT_COVERED = "covered", "partly", "not"

#: The columns of :func:`layer_covers`.
COVER_COLUMNS = ["layer", "state", "borders", "covered_borders"]


def layer_covers(
    summary: pd.DataFrame, region: str, neighbour: str | None, layer_names: Sequence[str]
) -> pd.DataFrame:
    """Per line layer, how far the data cover the pair shown.

    Parameters
    ----------
    summary
        A count's summary (:attr:`geo.analysis.CrossingResult.summary`), with ``covered``
        and ``partly`` when the count was given a coverage (else every border is covered).
    region, neighbour
        The pair; ``neighbour`` None for all the region's borders.
    layer_names
        The layers shown; point layers are left out.

    Returns
    -------
    pandas.DataFrame
        :data:`COVER_COLUMNS`: ``state`` is :data:`COVERED`, :data:`PARTLY` (some of the
        borders, or of a border's links, are not held) or :data:`NOT_COVERED` (none of the
        borders is); ``borders`` and ``covered_borders`` count the borders of that layer.
    """
    rows = summary[pair_mask(summary, region, neighbour)]
    covered_of: dict[tuple[object, object, object], bool] = {}
    partly_of: dict[tuple[object, object, object], bool] = {}
    for key, covered, partly in zip(
        zip(rows["layer"], rows["a"], rows["b"]),
        _flags(rows, "covered", True),
        _flags(rows, "partly", False),
    ):  # a few rows per border: plain Python is quicker than grouping frames
        covered_of[key] = covered_of.get(key, True) and bool(covered)
        partly_of[key] = partly_of.get(key, False) or bool(partly)
    out = []
    for layer in layer_names:
        if layer_spec(layer).geometry != "line":
            continue
        borders = [key for key in covered_of if key[0] == layer]
        n_covered = sum(covered_of[key] for key in borders)
        if borders and n_covered == 0:
            state = NOT_COVERED
        elif n_covered < len(borders) or any(covered_of[k] and partly_of[k] for k in borders):
            state = PARTLY
        else:
            state = COVERED
        out.append((layer, state, len(borders), n_covered))
    return pd.DataFrame(out, columns=COVER_COLUMNS)


def _flags(rows: pd.DataFrame, column: str, default: bool) -> pd.Series:
    """A boolean column of summary rows, ``default`` where the summary has none."""
    if column not in rows.columns:
        return pd.Series(default, index=rows.index, dtype=bool)
    return rows[column].fillna(default).astype(bool)


def cover_notes(
    coverage: Coverage | None,
    summary: pd.DataFrame,
    region: str,
    neighbour: str | None,
    layer_names: Sequence[str],
    as_of: int | None,
    names_zh: Mapping[str, str] | None = None,
) -> tuple[Bilingual, ...]:
    """The notes on the pair's borders that are not wholly covered, with what would cover them.

    One note per border and group of layers sharing a cover
    (:meth:`geo.coverage.Coverage.notes`), the region first in each; none when every border
    shown is covered (or the source says nothing of coverage). ``names_zh``: the regions'
    Chinese names, for the notes in Chinese.
    """
    if coverage is None:
        return ()
    lines = [n for n in layer_names if layer_spec(n).geometry == "line"]
    rows = summary[pair_mask(summary, region, neighbour)]
    others = dict.fromkeys(b if a == region else a for a, b in zip(rows["a"], rows["b"]))
    notes: list[Bilingual] = []
    for other in others:
        notes += [
            note
            for _, _, note in coverage.notes(
                region, str(other), lines, as_of=as_of, names_zh=names_zh
            )
        ]
    return tuple(notes)


# ------------------------------------------------------------------------- the overview


@dataclass(frozen=True)
class OverviewDisplay:
    """The overview as the page shows it (see :func:`overview_display`).

    Attributes
    ----------
    values
        One row per border: ``Border``, the counts under their headers
        (:func:`geo.labels.column_label`) as numbers (``Int64``), what a click on a header
        sorts by, then ``Coverage``. A cell of a border and layer not covered is missing
        (and only such a cell: the table shows :func:`not_covered_text` for a missing value);
        a capacity not known, or of no interface, is 0 (shown as ``?`` or ``–``).
    text
        The same shape: what each cell reads.
    partly
        The same shape: True for the cells of a partly covered border and layer.
    pairs
        The border ``(a, b)`` of each row.
    notes
        Why borders of the table are not wholly covered (:func:`overview_notes`).
    """

    values: pd.DataFrame
    text: pd.DataFrame
    partly: pd.DataFrame
    pairs: tuple[tuple[str, str], ...]
    notes: tuple[Bilingual, ...] = ()


def not_covered_text() -> str:
    """What a cell of a border and layer not covered reads, in the page's language."""
    return say("not_covered")


def overview_columns(layers: Sequence[str]) -> list[str]:
    """The wide table's columns the page shows per layer (counts and capacity, not flags)."""
    columns = []
    for layer in layers:
        if layer == PORTS:
            columns += [f"{PORTS}_count", f"{PORTS}_berths", f"{PORTS}_teu"]
        else:
            cap = capacity_name(layer)
            columns += [f"{layer}_routes", f"{layer}_interfaces", f"{layer}_{cap}"]
    return columns


def overview_display(
    view: Overview, *, border_header: str, coverage_header: str
) -> OverviewDisplay:
    """The overview's wide table as the page shows it.

    Parameters
    ----------
    view
        The overview of the page's count (:func:`geo.overview.overview_of`): its
        ``{layer}_covered`` and ``{layer}_partly`` say which cells are not or partly
        covered, as the command line's overview says it.
    border_header, coverage_header
        The headers of the first and the last column (:mod:`app.labels`).

    Returns
    -------
    OverviewDisplay
        A cell of a border and layer not covered reads "not covered" (never 0); a
        capacity reads ``?`` when unknown, ``–`` when there is nothing to measure, and
        ``(n unknown)`` after it when some of its interfaces lack data; grades read as
        Roman numerals.
    """
    table = view.table
    layers = list(dict.fromkeys(view.totals["layer"]))
    columns = overview_columns(layers)
    headers = [border_header, *(column_label(c, current()) for c in columns), coverage_header]
    pairs = tuple((str(a), str(b)) for a, b in zip(table["a"], table["b"]))
    values: dict[str, list[object]] = {header: [] for header in headers}
    text: dict[str, list[str]] = {header: [] for header in headers}
    partly: dict[str, list[bool]] = {header: [] for header in headers}
    records: list[dict[str, Any]] = [
        dict(zip(table.columns, row)) for row in zip(*(table[c].tolist() for c in table))
    ]
    for record, (a, b) in zip(records, pairs):
        border = border_label(a, b)
        states = {layer: _state(record, layer) for layer in layers}
        summary = _coverage_text(states)
        for header, label in ((headers[0], border), (headers[-1], summary)):
            values[header].append(label)
            text[header].append(label)
            partly[header].append(False)
        for column, header in zip(columns, headers[1:-1]):
            layer = next(n for n in layers if column.startswith(f"{n}_"))
            value: object = record[column]
            if states[layer] == NOT_COVERED:
                value = None
            elif is_missing(value):
                value = 0  # a capacity not known or of nothing: shown as "?" or "–"
            values[header].append(value)
            text[header].append(_cell_text(record, column, layer, states[layer]))
            partly[header].append(states[layer] == PARTLY)
    numbers = {
        header: pd.array(
            [None if is_missing(v) else int(v) for v in values[header]],  # type: ignore[call-overload]
            dtype="Int64",
        )
        for header in headers[1:-1]
    }
    frame = pd.DataFrame({**values, **numbers}, columns=headers)  # one frame built at once
    return OverviewDisplay(
        frame, pd.DataFrame(text, columns=headers), pd.DataFrame(partly, columns=headers), pairs
    )


def overview_notes(
    view: Overview, coverage: Coverage | None, names_zh: Mapping[str, str] | None = None
) -> tuple[Bilingual, ...]:
    """The overview's coverage notes (:attr:`geo.overview.Overview.coverage_notes`) for the page.

    Each worded again by ``coverage`` with the regions' Chinese names ``names_zh`` (and the
    layers named in Chinese), as the cards' notes are (:func:`cover_notes`); as the command
    line words it when ``coverage`` is None.
    """
    return tuple(
        reworded_note(note, coverage, as_of=view.as_of, names_zh=names_zh)
        for note in view.coverage_notes
    )


def reworded_note(
    note: BorderNote,
    coverage: Coverage | None,
    *,
    as_of: int | None,
    names_zh: Mapping[str, str] | None = None,
) -> Bilingual:
    """One coverage note for the page: worded again by ``coverage`` as of the year ``as_of``.

    With the regions' Chinese names ``names_zh`` and the layers named in Chinese; the
    note's own words (the command line's) when ``coverage`` is None or has no word for it.
    Shared by the overview (:func:`overview_notes`) and the comparison
    (:func:`app.compare_tables.coverage_notes`).
    """
    worded = None
    if coverage is not None:
        worded = coverage.note(
            note.a, note.b, list(note.layers), as_of=as_of, names_zh=names_zh or {}
        )
    return worded or note.note


def _state(record: dict[str, object], layer: str) -> str:
    """Covered, partly or not: a border and layer of the wide table (ports: never partly)."""
    if not record[f"{layer}_covered"]:
        return NOT_COVERED
    return PARTLY if record.get(f"{layer}_partly") else COVERED


def _coverage_text(states: dict[str, str]) -> str:
    """A border's coverage in one cell: "covered 已覆盖", or which layers are not."""
    if all(s == NOT_COVERED for s in states.values()):
        return not_covered_text()
    en = current() == "en"
    parts = []
    for state, key in ((PARTLY, "partly"), (NOT_COVERED, "not_covered")):
        names = [LAYER_LABELS[n][current()] for n, s in states.items() if s == state]
        if names:
            listed = (", " if en else "、").join(names)
            parts.append(f"{say(key)}: {listed}" if en else f"{say(key)}：{listed}")
    return ("; " if en else "；").join(parts) or say("covered")


def _number(value: object) -> str:
    return "?" if is_missing(value) else f"{int(value):,}"  # type: ignore[call-overload]


def _cell_text(record: dict[str, object], column: str, layer: str, state: str) -> str:
    """What one cell of the overview reads."""
    if state == NOT_COVERED:
        return not_covered_text()
    value = record[column]
    if layer == PORTS:
        if column.endswith("_berths"):
            return _with_unknown(_number(value), record[f"{PORTS}_berths_missing"])
        if column.endswith("_teu") and is_missing(value):
            return "?" if record[f"{PORTS}_count"] else "–"
        return _number(value)
    if column.endswith(("_routes", "_interfaces")):
        return _number(value)
    missing = record[f"{column}_missing"]
    if is_missing(value):
        text = "?" if record[f"{layer}_interfaces"] else "–"
    elif column.endswith("_best_grade"):
        text = grade_text(value)
    else:
        text = _number(value)
    return _with_unknown(text, missing)


def _with_unknown(text: str, missing: object) -> str:
    """``text`` with ``(n unknown)`` after it when ``missing`` counts any (``IV（1个未知）``)."""
    if is_missing(missing):
        return text
    note = unknown_note(int(missing))  # type: ignore[call-overload]
    if note is None:
        return text
    return f"{text} {note}" if current() == "en" else f"{text}{note}"


def unknown_note(missing: int) -> str | None:
    """``(2 unknown)`` / ``（2个未知）`` when ``missing`` interfaces lack it; else None.

    The overview's cells and the cards say it the same way, with the Chinese page's
    full-width brackets.
    """
    if not missing:
        return None
    text = say("unknown_n", n=missing)
    return f"({text})" if current() == "en" else f"（{text}）"
