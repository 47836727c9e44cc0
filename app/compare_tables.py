"""What the page shows of a comparison: the change card and the "what changed" table.

:func:`card_rows` gives, per layer of the border, routes, interfaces and capacity in each
year, counted as the page's cards count them (:func:`geo.summary.layer_totals` of the
border's interfaces, so the later year's figures are the cards' own when the slider shows
it), with ports from the overview's border ports and "not covered" from the comparison's
counts. :func:`card_markdown` writes them as a small table; :func:`change_table` lays out
the comparison's changes for reading. Plain values in, plain values out; text from data is
escaped for markdown (:func:`app.page_text.md`) and left as it is in the table, which shows
text as text. Nothing here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from app import years_text as tx
from app.border_views import reworded_note
from app.language import current
from app.map_html import route_label
from app.page_text import border_label, md
from geo.compare import Comparison
from geo.coverage import Coverage
from geo.labels import (
    LAYER_LABELS,
    MEASURE_LABELS,
    PARTLY_COVERED,
    STATUS_LABELS,
    change_label,
    grade_text,
)
from geo.overview import PORTS, Overview, capacity_name
from geo.port_phases import unknown_berths
from geo.summary import layer_totals, pair_interfaces, pair_mask
from geo.text import Bilingual
from geo.values import is_missing
from layers import TABLE_LAYERS, get_layer

#: Columns of :func:`card_rows`.
CARD_COLUMNS = [
    "layer", "covered", "partly", "routes_a", "routes_b", "interfaces_a", "interfaces_b",
    "capacity_a", "capacity_b", "capacity_unit", "capacity_total",
    "capacity_note_a", "capacity_note_b",
]  # fmt: skip


def _ports(view: Overview, region: str, neighbour: str | None) -> tuple[int, int | None]:
    """The border's ports in one year (each once) and their known berths (None: none known)."""
    ports = view.ports
    if ports.empty:
        return 0, 0
    ports = ports[pair_mask(ports, region, neighbour)].drop_duplicates("port")
    known = [int(b) for b in ports["berths"] if not is_missing(b)]
    if len(ports) and not known:
        return len(ports), None
    return len(ports), sum(known)


def berth_note(
    view: Overview, ports: pd.DataFrame | None, region: str, neighbour: str | None
) -> Bilingual | None:
    """Why berths of the border's ports are unknown in the view's year, None when none is.

    The reasons the data give (:func:`geo.port_phases.unknown_berths`: a phase open by then
    without a berth figure), one per port, for the border's ports that year (every border
    of ``region`` when ``neighbour`` is None); ``ports`` is the source's ports layer.
    """
    if ports is None or ports.empty or view.ports.empty or view.as_of is None:
        return None
    shown = view.ports[pair_mask(view.ports, region, neighbour)]
    ids = set(shown["port"].astype(str))
    reasons = list(unknown_berths(ports[ports["id"].astype(str).isin(ids)], view.as_of).values())
    if not reasons:
        return None
    return Bilingual("; ".join(r.en for r in reasons), "；".join(r.zh for r in reasons))


#: Columns of :func:`year_figures`.
FIGURE_COLUMNS = ["layer", "routes", "interfaces", "capacity"]


def year_figures(
    view: Overview, region: str, neighbour: str | None, layer_names: Sequence[str]
) -> pd.DataFrame:
    """Per layer: routes, interfaces and capacity of the border in one year.

    Counted as the page's cards count them (:func:`geo.summary.layer_totals` of the
    border's interfaces; every border of ``region`` added up when ``neighbour`` is None);
    ports: the border's ports (each once) as interfaces and their known berths as
    capacity, no routes. Missing values are None.
    """
    totals = layer_totals(pair_interfaces(view.interfaces, region, neighbour), layer_names)
    totals = totals.set_index("layer")
    rows = []
    for name in layer_names:
        if name == PORTS:
            count, berths = _ports(view, region, neighbour)
            rows.append({"layer": name, "routes": None, "interfaces": count, "capacity": berths})
            continue
        found = totals.loc[name] if name in totals.index else None
        row: dict[str, Any] = {"layer": name}
        for measure in FIGURE_COLUMNS[1:]:
            value = None if found is None else found[measure]
            row[measure] = int(value) if value is not None and not is_missing(value) else None
        rows.append(row)
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS).astype(object)


def card_rows(
    comparison: Comparison,
    region: str,
    neighbour: str | None,
    layer_names: Sequence[str],
    *,
    figures: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    ports: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per layer: routes, interfaces and capacity of the border in year A and year B.

    Parameters
    ----------
    comparison
        The region's comparison (:func:`app.year_history.compare`) or the border's.
    region, neighbour
        The border (``neighbour`` None: every border of ``region``, added up as the page's
        cards add them).
    layer_names
        The layers counted, in the page's order.
    figures
        :func:`year_figures` of years A and B when the caller keeps them; made from the
        comparison's overviews when None.
    ports
        The source's ports layer, for why berths are unknown in a year (:func:`berth_note`).

    Returns
    -------
    pandas.DataFrame
        :data:`CARD_COLUMNS`. ``covered`` is False where the data cover that layer on none
        of the borders; ``partly`` is True where they cover it on some only, or only partly
        on one in either year (:attr:`geo.compare.Comparison.counts`' ``partly``), as the
        page's cards say it (:func:`app.border_views.layer_covers`); ``routes`` is missing
        for ports, whose "interfaces" are ports and capacity berths; ``capacity_note_a`` /
        ``_b``: why the ports' berths are unknown that year (a :class:`geo.text.Bilingual`),
        None elsewhere.
    """
    counts = comparison.counts
    counts = counts[pair_mask(counts, region, neighbour)] if len(counts) else counts
    if figures is None:
        figures = (
            year_figures(comparison.overview_a, region, neighbour, layer_names),
            year_figures(comparison.overview_b, region, neighbour, layer_names),
        )
    sides = [f.set_index("layer") for f in figures]
    rows: list[dict[str, Any]] = []
    for name in (n for n in layer_names if n in TABLE_LAYERS):  # not the cities: not counted
        spec = get_layer(name)
        cells = counts[counts["layer"] == name]
        covered = cells["covered"].astype(bool) if len(cells) else pd.Series([True])
        partly = cells["partly"].astype(bool) if len(cells) else pd.Series([False])
        row: dict[str, Any] = {
            "layer": name,
            "covered": bool(covered.any()),
            "partly": bool(covered.any()) and not (covered.all() and not partly.any()),
            "capacity_unit": spec.capacity_unit,
            "capacity_total": spec.capacity_total,
        }
        for suffix, side in zip(("a", "b"), sides):
            for measure in FIGURE_COLUMNS[1:]:
                row[f"{measure}_{suffix}"] = side.at[name, measure] if name in side.index else None
        views = (comparison.overview_a, comparison.overview_b)
        for suffix, view in zip(("a", "b"), views):
            note = berth_note(view, ports, region, neighbour) if name == PORTS else None
            row[f"capacity_note_{suffix}"] = note
        rows.append(row)
    return pd.DataFrame(rows, columns=CARD_COLUMNS)


#: The punctuation of the card in each language: Chinese text takes Chinese punctuation
#: (docs/language.md).
PUNCTUATION: dict[str, dict[str, str]] = {
    "en": {"colon": ": ", "comma": ", ", "semicolon": "; ", "open": " (", "close": ")"},
    "zh": {"colon": "：", "comma": "，", "semicolon": "；", "open": "（", "close": "）"},
}


def _mark(name: str) -> str:
    """A punctuation mark of :data:`PUNCTUATION` in the page's language."""
    return PUNCTUATION[current()][name]


def _aside(text: str) -> str:
    """``text`` in parentheses: ``" (+2)"``; ``"（+2）"`` in Chinese."""
    return f"{_mark('open')}{text}{_mark('close')}"


def _number(value: object, missing: str = "–") -> str:
    return missing if is_missing(value) else f"{int(value):,}"  # type: ignore[call-overload]


def change_cell(before: object, after: object, *, grade: bool = False, missing: str = "–") -> str:
    """``"2 → 4 (+2)"``; ``"4 (±0)"`` when equal; grades as numerals, better or worse.

    In Chinese the change is in Chinese parentheses: ``"2 → 4（+2）"``. A missing value
    reads ``missing``.

    Examples
    --------
    >>> change_cell(2, 4), change_cell(4, 4), change_cell(5, 3, grade=True)
    ('2 → 4 (+2)', '4 (±0)', 'V → III (better)')
    """
    if grade:
        first, second = grade_text(before) or "–", grade_text(after) or "–"
        if is_missing(before) or is_missing(after) or before == after:
            return second if first == second else f"{first} → {second}"
        key = "better" if int(after) < int(before) else "worse"  # type: ignore[call-overload]
        return f"{first} → {second}{_aside(tx.text(key))}"
    if is_missing(before) and is_missing(after):
        return missing
    if is_missing(before) or is_missing(after):
        return f"{_number(before, missing)} → {_number(after, missing)}"
    change = int(after) - int(before)  # type: ignore[call-overload]
    if change == 0:
        return f"{_number(after)}{_aside('±0')}"
    return f"{_number(before)} → {_number(after)}{_aside(f'{change:+,}')}"


def card_markdown(rows: pd.DataFrame) -> str:
    """The change card as markdown: one line per layer, each measure A → B (change).

    ``- **Highways**: routes 2 → 4 (+2), interfaces 2 → 4 (+2), lanes 14 → 26 (+12)``;
    ports count ports and berths; a layer the data do not cover says so, one they cover
    partly says so after its name (``- **Highways** (partly covered): …``, as the text
    table's cell and the cards' badge say it; why is :func:`coverage_notes`). In Chinese with
    Chinese punctuation: ``- **公路**：线路 2 → 4（+2），接口 2 → 4（+2），…``. Berths
    unknown for a reason the data give (``capacity_note_a`` / ``_b``) read "unknown", the
    reason beside them: ``berths 9 → unknown (the data have no berth figure for …)``.
    """
    lines = []
    for row in rows.to_dict("records"):
        layer = str(row["layer"])
        label = LAYER_LABELS.get(layer, {"en": layer, "zh": layer})[current()]
        if not row["covered"]:
            lines.append(f"- **{md(label)}**{_mark('colon')}{md(tx.text('not_covered'))}")
            continue
        capacity = capacity_name(layer)
        measures = [] if layer == PORTS else [("routes", "routes")]
        measures += [("interfaces", "count" if layer == PORTS else "interfaces")]
        measures += [("capacity", capacity)]
        parts = []
        for column, name in measures:
            word = MEASURE_LABELS.get(name, {"en": name, "zh": name})[current()]
            notes = _capacity_notes(row) if column == "capacity" else []
            cell = change_cell(
                row[f"{column}_a"], row[f"{column}_b"], grade=column == "capacity"
                and row["capacity_total"] == "min",
                missing=tx.text("unknown") if notes else "–",
            )  # fmt: skip
            parts.append(
                f"{word} {cell}" + (_aside(_mark("semicolon").join(notes)) if notes else "")
            )
        mark = md(_aside(tx.pick(PARTLY_COVERED))) if row.get("partly") else ""
        lines.append(f"- **{md(label)}**{mark}{_mark('colon')}" + md(_mark("comma").join(parts)))
    return "\n".join(lines)


def coverage_notes(
    comparison: Comparison,
    coverage: Coverage | None,
    names_zh: Mapping[str, str] | None = None,
) -> tuple[Bilingual, ...]:
    """Why the comparison's borders are not wholly covered, for the page.

    The comparison's own notes (:attr:`geo.compare.Comparison.coverage_notes`, the border's
    when it is :func:`app.year_history.pair_comparison`'s), each worded again by
    ``coverage`` with the regions' Chinese names ``names_zh`` and the layers in Chinese, as
    the overview's are (:func:`app.border_views.overview_notes`); as the command line words
    them when ``coverage`` is None. A note of one of the two years only starts with it
    (``2006: …`` / ``2006 年：…``), as the command line's does.
    """
    out = []
    for note in comparison.coverage_notes:
        text = reworded_note(note, coverage, as_of=note.last_year, names_zh=names_zh)
        both = (note.first_year, note.last_year) == (comparison.year_a, comparison.year_b)
        if not both:
            year = note.first_year
            text = Bilingual(
                tx.text("note_of_year", "en", year=year, note=text.en),
                tx.text("note_of_year", "zh", year=year, note=text.zh),
            )
        out.append(text)
    return tuple(out)


def _capacity_notes(row: Mapping[str, Any]) -> list[str]:
    """Why the row's capacity is unknown in A and in B, in the page's language, each once."""
    found = [row.get(f"capacity_note_{side}") for side in ("a", "b")]
    return list(dict.fromkeys(tx.pick(n) for n in found if isinstance(n, Bilingual)))


def unit_word(unit: object) -> str:
    """A capacity unit of the data (``lanes``, ``diameter_mm`` ...) in the page's language."""
    name = str(unit)
    if name == "diameter_mm":
        return tx.text("mm")
    return MEASURE_LABELS.get(name, {"en": name, "zh": name})[current()].replace("_", " ")


def capacity_text(value: object, unit: object) -> str:
    """A capacity with its unit: ``"6 lanes"``, ``"grade III"``; ``"unknown"`` when missing."""
    if is_missing(value):
        return tx.text("unknown")
    if unit == "navigation grade":
        return tx.text("grade", grade=grade_text(value))
    return f"{int(value):,} {unit_word(unit)}"  # type: ignore[call-overload]


def status_word(status: object) -> str:
    """A status of the data (``construction`` ...) in the page's language."""
    name = "" if is_missing(status) else str(status)
    return STATUS_LABELS.get(name, {"en": name, "zh": name})[current()]


def _state(capacity: object, status: object, unit: object, comma: str = ", ", why: str = "") -> str:
    """An interface in one year: ``"6 lanes, open"``; ``"—"`` when absent that year.

    ``why``: why an unknown capacity is not known, said beside it
    (``"unknown (the data have no berth figure for …), open"``).
    """
    if is_missing(status):
        return tx.text("absent")
    size = capacity_text(capacity, unit)
    if why and is_missing(capacity):
        size += _aside(why)
    return f"{size}{comma}{status_word(status)}"


def _why_unknown(row: Mapping[str, Any], side: str, year: int, ports: pd.DataFrame | None) -> str:
    """Why a changed port's berths are unknown in year A or B (``side``), ``""`` if known."""
    if ports is None or row["layer"] != PORTS or not is_missing(row[f"capacity_{side}"]):
        return ""
    mine = ports[ports["id"].astype(str) == str(row["id"])]
    found = unknown_berths(mine, year).get(str(row["id"]))
    return "" if found is None else tx.pick(found)


#: Columns of :func:`change_table`.
CHANGE_TABLE_COLUMNS = (
    "border", "layer", "change", "link", "before", "after", "years", "sources", "id",
)  # fmt: skip


def change_headers(year_a: int, year_b: int) -> dict[str, str]:
    """The headers of :func:`change_table`'s columns, in the page's language."""
    return {
        column: tx.text(f"col_{column}", year=year_a if column == "before" else year_b)
        for column in CHANGE_TABLE_COLUMNS
    }


def link_label(row: Mapping[str, Any], names_zh: Mapping[str, str] | None = None) -> str:
    """A changed interface's route number and name, in Chinese when the page is and can be.

    The Chinese name is its first source feature's (``names_zh``: ``{feature id: name_zh}``).
    """
    if current() == "zh" and names_zh:
        raw = row.get("source_ids")
        ids = [str(i) for i in raw] if isinstance(raw, list | tuple) else str(raw or "").split(";")
        zh = next((names_zh[i] for i in ids if i in names_zh), None)
        if zh:
            return route_label({"ref": row.get("ref"), "name": zh})
    return route_label(row)


def change_table(
    comparison: Comparison,
    *,
    with_border: bool,
    names_zh: Mapping[str, str] | None = None,
    ports: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The comparison's changes laid out for reading, one row per interface and change.

    Columns (:data:`CHANGE_TABLE_COLUMNS`; their headers: :func:`change_headers`): the
    border (when ``with_border``), layer, change, link (route number and name, the Chinese
    name from ``names_zh`` when the page is in Chinese), the interface in year A and in
    year B (capacity and status, ``—`` where it is absent), the year(s) it happened, the
    sources, and the id. Words in the page's language; sources and ids as the data have them.
    A port's berths unknown in a year say why when the data do (``ports``: the source's ports
    layer; :func:`geo.port_phases.unknown_berths`).
    """
    comma, listed = (", ", ", ") if current() == "en" else ("，", "、")
    rows = []
    for r in comparison.changes.to_dict("records"):
        labels = change_label(str(r["change"]), r["status_b"])
        why_a = _why_unknown(r, "a", comparison.year_a, ports)
        why_b = _why_unknown(r, "b", comparison.year_b, ports)
        rows.append(
            {
                "border": border_label(r["a"], r["b"]),
                "layer": LAYER_LABELS.get(r["layer"], {"en": r["layer"]})[current()],
                "change": labels[current()],
                "link": link_label(r, names_zh),
                "before": _state(r["capacity_a"], r["status_a"], r["capacity_unit"], comma, why_a),
                "after": _state(r["capacity_b"], r["status_b"], r["capacity_unit"], comma, why_b),
                "years": listed.join(str(y) for y in r["years"] or []),
                "sources": " | ".join(str(s) for s in r["sources"] or []),
                "id": str(r["id"]),
            }
        )
    frame = pd.DataFrame(rows, columns=list(CHANGE_TABLE_COLUMNS))
    if not with_border:
        frame = frame.drop(columns="border")
    return frame
