"""The report's figures on the page, beside the same measures computed from the geometry.

The comparison (:func:`geo.reconcile.compare_with_documents`) counts in the basis each
figure is documented in, whatever the page's; the table says that basis on every row and
the caption names it (:func:`geo.reconcile.documented_basis`). When the page counts in
another basis, a column beside gives the same measures in the page's basis at the report's
year (:func:`app.views.page_beside_report`), so the cards and this table can be read
together; "Count as the report does" sets the page to the report's basis and year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from app.basis_panel import as_report_button
from app.labels import TEXT, one_of, say
from app.language import current
from app.page_text import border_label, md
from geo.basis import Basis, caption, get_basis, statuses_label
from geo.labels import LAYER_LABELS, documented_measure_label

#: The comparison's columns the page shows, in order (the basis after the measure).
SHOWN = ["border", "layer", "measure", "basis", "documented", "computed", "explanation"]


def report_table(
    documented: pd.DataFrame,
    page: Sequence[float | None] | None,
    statuses: Sequence[str],
    report_basis: Basis,
    explanations_zh: Mapping[tuple[str, str, str], str] | None = None,
) -> pd.DataFrame:
    """The comparison as the page shows it, with the page's basis beside when it differs.

    Parameters
    ----------
    documented
        The comparison (:data:`geo.reconcile.RECONCILE_COLUMNS`).
    page
        The same measures in the page's basis, one per row (None: not computed).
    statuses
        The page's statuses.
    report_basis
        The basis of the report's figures of lines.
    explanations_zh
        The explanations in Chinese by border, layer and measure
        (:func:`geo.reconcile.explanations_zh`), shown when the page is in Chinese (the
        comparison's own are English).

    Returns
    -------
    pandas.DataFrame
        :data:`SHOWN` with readable values and headers in the page's language, whichever it
        is (the border as the page names borders, the layer's and the measure's labels, the
        basis's label, the explanation; never the data's keys); the computed column named
        for the report's basis, and the page's column after it when the page counts in
        another basis than the report's figures of lines (the cards are of lines).
    """
    table = documented[SHOWN].copy()
    table["basis"] = [one_of(get_basis(str(name)).label) for name in table["basis"]]
    table["border"] = [_border_text(b) for b in table["border"]]
    table["layer"] = [
        LAYER_LABELS.get(str(n), {"en": n, "zh": n})[current()] for n in table["layer"]
    ]
    table["measure"] = [documented_measure_label(str(m), current()) for m in table["measure"]]
    keys = zip(documented["border"], documented["layer"], documented["measure"])
    table["explanation"] = [
        _explanation(e, (str(b), str(layer), str(m)), explanations_zh or {})
        for e, (b, layer, m) in zip(table["explanation"], keys)
    ]
    if page is not None and set(report_basis.statuses) != set(statuses):
        at = SHOWN.index("computed") + 1
        table.insert(at, "page", pd.array(list(page), dtype="Float64"))
    return table.rename(
        columns={
            "documented": say("documented"),
            "computed": say("report_column"),
            "page": say("page_column", basis=statuses_label(statuses)),
        }
    )


def _border_text(border: object) -> str:
    """A border of the comparison (``Zhejiang–Shanghai``) as the page names borders.

    ``Zhejiang – Shanghai`` / ``浙江省 – 上海市`` (:func:`app.page_text.border_label`); a
    border not written as two names joined by ``–`` is shown as it is.
    """
    text = str(border)
    return border_label(*text.split("–", 1)) if "–" in text else text


def _explanation(
    text: object, key: tuple[str, str, str], explanations_zh: Mapping[tuple[str, str, str], str]
) -> str:
    """An explanation in the page's language: the dataset's Chinese one on the Chinese page.

    The English explanations are the comparison's own; ``unexplained`` is the page's word.
    """
    if text == "unexplained":
        return say("unexplained")
    if current() == "zh":
        return explanations_zh.get(key, str(text))
    return str(text)


def report_section(
    documented: pd.DataFrame,
    page: Sequence[float | None] | None,
    *,
    statuses: Sequence[str],
    report_basis: Basis | None,
    set_year: int | None,
    counts_as_report: bool,
    explanations_zh: Mapping[tuple[str, str, str], str] | None = None,
) -> None:
    """Draw the report's figures beside the computed ones.

    Parameters
    ----------
    documented
        The comparison (:func:`app.views.against_documents`), not empty.
    page
        The same measures in the page's basis (:func:`app.views.page_beside_report`).
    statuses
        The page's statuses.
    report_basis
        The basis of the report's figures of lines (:func:`geo.reconcile.documented_basis`).
    set_year
        The year "Count as the report does" sets (None: the page's year cannot be set).
    counts_as_report
        Whether the page counts in the report's basis and year already.
    explanations_zh
        The explanations in Chinese (:func:`report_table`).
    """
    year = int(documented["as_of"].iat[0])
    basis = report_basis or get_basis(str(documented["basis"].iat[0]))
    table = report_table(documented, page, statuses, basis, explanations_zh)
    st.subheader(say("report", year=year))
    text = say("report_caption", report_caption=caption(basis, year))
    page_column = say("page_column", basis=statuses_label(statuses))
    if page_column in table.columns:
        text += " " + say(
            "report_page_column", column=page_column, page_caption=caption(statuses, year)
        )
    st.caption(md(text))
    numbers = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    headers = {
        c: st.column_config.Column(label=say(f"col_{c}")) for c in SHOWN if f"col_{c}" in TEXT
    }
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            **headers,
            **{c: st.column_config.NumberColumn(format="localized") for c in numbers},
        },
    )
    if counts_as_report:
        st.caption(md(say("as_report_done", caption=caption(basis, year))))
    else:
        as_report_button("report", basis, set_year, counts_as_report=False)
