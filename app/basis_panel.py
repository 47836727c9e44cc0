"""The sidebar's counting basis: which links every figure of the page counts.

One named basis (:data:`geo.basis.BASES`: open; open + under construction; open, under
construction + planned) is chosen once for the page; the cards, the overview, the page's
column beside the report and every download count in it, and each says so in its caption
(:func:`geo.basis.caption`).

Decision: custom statuses stay, as a fourth choice that shows a multiselect of
:data:`layers.STATUSES` (e.g. to see disused lines). It is one widget more, shown only when
chosen, and the captions name such a list by its statuses
(:func:`geo.basis.statuses_label`), as the command line's ``--status`` does.

"Count as the report does" (:func:`as_report_button`) sets the basis to the one the
dataset's documented figures are counted in (:func:`geo.reconcile.documented_basis`) and
the year to theirs, in a callback: before the widgets are drawn again.
"""

from __future__ import annotations

import streamlit as st

from app.labels import one_of, say
from app.language import in_this_run
from app.query import Keys
from geo.basis import BASES, DEFAULT_BASIS, STATUS_LABELS, Basis, ordered_statuses
from geo.text import Bilingual
from layers import STATUSES

#: The choice that shows the statuses one by one.
CUSTOM = "custom"


def _option_label(name: str) -> str:
    """A choice as the radio shows it: the basis's name in the page's language."""
    return say("custom") if name == CUSTOM else one_of(BASES[name].label)


def status_label(status: str) -> str:
    """A status as the custom statuses list it, in the page's language."""
    return one_of(STATUS_LABELS.get(status, Bilingual(status, status)))


def basis_panel() -> tuple[str, ...]:
    """Draw the basis chooser in the sidebar; return the statuses counted (may be empty)."""
    chosen = st.sidebar.radio(
        say("basis"),
        [*BASES, CUSTOM],
        format_func=in_this_run(_option_label),
        key=Keys.BASIS,
        help=say("basis_help"),
    )
    if chosen != CUSTOM and chosen in BASES:
        return BASES[chosen].statuses
    picked = st.sidebar.multiselect(
        say("statuses"),
        list(STATUSES),
        format_func=in_this_run(status_label),
        placeholder=say("choose_options"),
        default=list(BASES[DEFAULT_BASIS].statuses),
        key=Keys.STATUSES,
        help=say("statuses_help"),
    )
    return ordered_statuses(picked)


def count_as_report(basis: str, year: int | None) -> None:
    """Set the page's basis (and year, when given) to the report's: a button's callback."""
    st.session_state[Keys.BASIS] = basis
    if year is not None:
        st.session_state[Keys.YEAR] = year


def as_report_button(
    where: str, basis: Basis | None, year: int | None, *, counts_as_report: bool
) -> None:
    """The "Count as the report does" button (nothing when the source has no report).

    Parameters
    ----------
    where
        Which of the page's buttons this is (its key: :meth:`app.query.Keys.as_report`).
    basis
        The basis the report's figures of lines are counted in; None: no report.
    year
        The year the page is to show them at: the report's, None when the page's year
        cannot be set (data without years) or already is it.
    counts_as_report
        Whether the page counts so already: the button is then shown disabled.
    """
    if basis is None:
        return
    st.button(
        say("as_report"),
        key=Keys.as_report(where),
        on_click=count_as_report,
        args=(basis.name, year),
        disabled=counts_as_report,
        help=say("as_report_help", basis=basis.label, year=year)
        if year is not None
        else say("as_report_help_basis", basis=basis.label),
    )
