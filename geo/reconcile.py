"""Computed counts beside the figures a document gives (the 2006 report for ``yrd``).

Documented figures live in a dataset's ``documented.csv`` (``border``, ``layer``,
``measure``, ``value``, ``as_of``, ``basis``, quotes and source). Each is set beside the same
measure computed from the geometry — nothing is copied from the table — for the year it is
documented and in the counting basis it is documented in (:mod:`geo.basis`): the report
counts links "connected" (对接) with its neighbours, open or under construction
(``open+construction``), and its port figures are of berths "completed and in operation"
(``open``). :func:`documented_basis` gives a year's basis, so that a page can offer to count
as the report does. A difference is explained by the reviewed notes in
``sources/reconciliation.yaml`` when one is written for it, and flagged as unexplained
otherwise.

The documented borders also choose the pair a source is first shown at
(:func:`default_pair`): the border a document gives figures for is the one worth opening on.

Measures: ``expressways`` (routes of the highways layer's motorway class), ``interfaces``
and ``lanes`` (of those routes), ``waterways`` (waterway routes), and, for ports,
``teu`` and ``berths`` (of the ports in the dataset, at that year: ``teu_by_year`` and
``capacity_by_year``) or, like for like with a figure of one phase of a port,
``teu_phase<N>`` and ``berths_phase<N>`` (phase N alone, from the ports' ``phases``, when
it had opened by that year): the 2006 report's Yangshan figures are of phase 1.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geo.analysis import CrossingResult, count_crossings, pair_of
from geo.basis import Basis, get_basis
from geo.errors import InvalidParameterError
from geo.io.sources import Source
from geo.labels import PORT_PHASE
from geo.lifecycle import status_at, value_at
from geo.rules import CrossingRules
from geo.summary import pair_mask
from geo.text import Bilingual
from layers import LINE_LAYERS

#: The statuses the Zhejiang 2006 report counts its links in (its ``documented.csv`` says
#: so, column ``basis``: :func:`documented_basis`); kept for code written before bases.
REPORT_STATUSES = get_basis("open+construction").statuses
RECONCILE_COLUMNS = [
    "border",
    "layer",
    "measure",
    "as_of",
    "basis",
    "documented",
    "computed",
    "difference",
    "explanation",
    "quote_zh",
    "quote_en",
]


def load_documented(folder: Path) -> pd.DataFrame:
    """The documented figures of a dataset folder (empty when it has none)."""
    path = folder / "documented.csv"
    if not path.is_file():
        return pd.DataFrame(columns=["border", "layer", "measure", "value", "as_of", "basis"])
    frame = pd.read_csv(path, dtype={"value": float, "as_of": int}, keep_default_na=False)
    if "basis" not in frame.columns:
        raise InvalidParameterError(
            Bilingual(
                f"{path} has no 'basis' column; add one naming the counting basis of each "
                "figure (open, open+construction or planned).",
                f"{path} 中没有 'basis' 列，请添加该列，写明每个数字的统计口径"
                "（open、open+construction 或 planned）。",
            )
        )
    for name in dict.fromkeys(frame["basis"]):
        get_basis(str(name))
    return frame


def documented_basis(folder: Path | None, year: int | None = None) -> Basis | None:
    """The counting basis a dataset's documented figures of the line layers are in.

    Parameters
    ----------
    folder
        An embedded dataset's folder; None for other sources.
    year
        The figures of this year (the first documented year when None).

    Returns
    -------
    Basis or None
        For ``yrd``, ``open+construction``: the 2006 report counts links open or under
        construction. None when there are no documented figures of line layers that year.
        The figures of line layers of one year share one basis (``scripts/build_data.py``
        checks it).

    Examples
    --------
    >>> from geo.io.datasets import dataset_dir
    >>> documented_basis(dataset_dir("yrd")).name
    'open+construction'
    """
    years = documented_years(folder)
    if folder is None or not years:
        return None
    documented = load_documented(folder)
    rows = documented[
        (documented["as_of"] == (years[0] if year is None else year))
        & documented["layer"].isin(LINE_LAYERS)
    ]
    return get_basis(str(rows["basis"].iloc[0])) if len(rows) else None


def default_pair(names: Sequence[str], folder: Path | None = None) -> tuple[str, str | None]:
    """The region pair a source is first shown at (the app's first view).

    It lives here, in the engine, because it is data of the source rather than drawing:
    it reads the dataset's documented figures (:func:`load_documented`), and the page and
    the server's start-up (``app.views.prepare_first_view``) must choose the same pair.

    Parameters
    ----------
    names
        Region names of the source.
    folder
        An embedded dataset's folder: its first documented border (``documented.csv``)
        whose two regions are in ``names`` is the default pair.

    Returns
    -------
    (region, neighbour)
        Else ``Zhejiang`` (the project's first subject) when present, else the first
        name; the neighbour is None (all neighbours) when no documented border applies.
    """
    if not names:
        raise InvalidParameterError(
            Bilingual(
                "The source has no regions; load one with boundaries.",
                "数据源中没有地区，请加载含行政区边界的数据源。",
            )
        )
    if folder is not None:
        for border in load_documented(folder).get("border", []):
            first, _, second = str(border).partition("–")
            if first in names and second in names:
                return first, second
    return ("Zhejiang" if "Zhejiang" in names else names[0]), None


def _notes(folder: Path, field: str = "explanation") -> dict[tuple[str, str, str], str]:
    path = folder / "sources" / "reconciliation.yaml"
    if not path.is_file():
        return {}
    import yaml  # only a dataset with documented figures has notes: lazily

    notes = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {
        (n["border"], n["layer"], n["measure"]): n[field]
        for n in notes
        if isinstance(n.get(field), str)
    }


def explanations_zh(folder: Path) -> dict[tuple[str, str, str], str]:
    """The explanations of a dataset's differences in Chinese, by border, layer and measure.

    ``explanation_zh`` beside each ``explanation`` of ``sources/reconciliation.yaml``, for a
    reader of Chinese (the page); the command line's outputs carry the English.
    """
    return _notes(folder, "explanation_zh")


def computed_value(
    measure: str,
    layer: str,
    border: str,
    result: CrossingResult,
    ports: pd.DataFrame,
    as_of: int,
    *,
    statuses: Sequence[str] = ("open",),
) -> float | None:
    """One measure computed from the geometry (see the module docstring).

    ``statuses`` are the ports counted for ``teu`` and ``berths`` (the figure's basis);
    the line layers' measures are read from ``result``, counted in the figure's basis.
    """
    phase = PORT_PHASE.fullmatch(measure)
    if phase is not None:
        if ports.empty or "phases" not in ports.columns:
            return None
        alive = status_at(ports, as_of).isin(list(statuses))
        return phase_value(ports[alive], phase["measure"], int(phase["phase"]), as_of)
    if measure in ("teu", "berths"):
        if ports.empty:
            return None
        alive = status_at(ports, as_of).isin(list(statuses))
        if measure == "berths":
            return float(pd.to_numeric(value_at(ports, "capacity", as_of)[alive]).sum())
        return float(pd.to_numeric(value_at(ports, "teu", as_of)[alive], errors="coerce").sum())
    first, _, second = border.partition("–")  # a documented border is written "A–B"
    summary = result.summary[pair_mask(result.summary, first, second)]
    if layer == "highways":
        rows = summary[(summary["layer"] == "highways") & (summary["class"] == "motorway")]
        column = {"expressways": "routes", "interfaces": "interfaces", "lanes": "lanes"}[measure]
        return float(pd.to_numeric(rows[column]).fillna(0).sum())
    rows = summary[summary["layer"] == layer]
    column = "routes" if measure in ("waterways", "routes") else measure
    return float(pd.to_numeric(rows[column]).fillna(0).sum())


def phase_value(ports: pd.DataFrame, what: str, number: int, as_of: int) -> float | None:
    """Berths or TEU of phase ``number`` of ``ports``, summed over those it had opened in.

    Each port's ``phases`` is a JSON list of ``{"phase", "opened", "berths", "teu"}``
    (``scripts/build_sites.py``); a phase not opened by ``as_of`` adds nothing. None when
    no port has that phase open, or when its value is not known.
    """
    values = []
    for raw in ports["phases"]:
        if not isinstance(raw, str) or not raw.strip():
            continue
        for item in json.loads(raw):
            if int(item["phase"]) == number and int(str(item["opened"])[:4]) <= as_of:
                values.append(item.get(what))
    if not values or any(v is None for v in values):
        return None
    return float(sum(values))


def reconcile(
    folder: Path,
    result: CrossingResult,
    ports: pd.DataFrame,
    as_of: int,
) -> pd.DataFrame:
    """Documented figures of ``as_of`` beside the computed ones, with explanations.

    Parameters
    ----------
    folder
        The dataset folder (``documented.csv``, ``sources/reconciliation.yaml``).
    result
        A crossing run of the dataset at ``as_of`` in the figures' basis
        (:func:`documented_basis`; :data:`REPORT_STATUSES` for ``yrd``).
    ports
        The dataset's ports layer (for ``teu`` and ``berths``).
    as_of
        The year compared.
    """
    documented = load_documented(folder)
    documented = documented[documented["as_of"] == as_of]
    notes = _notes(folder)
    rows = []
    for doc in documented.to_dict("records"):
        basis = get_basis(str(doc["basis"]))
        computed = computed_value(
            doc["measure"],
            doc["layer"],
            doc["border"],
            result,
            ports,
            as_of,
            statuses=basis.statuses,
        )
        difference = None if computed is None else computed - float(doc["value"])
        explanation = notes.get((doc["border"], doc["layer"], doc["measure"]), "")
        if difference and not explanation:
            explanation = "unexplained"
        rows.append(
            {
                "border": doc["border"],
                "layer": doc["layer"],
                "measure": doc["measure"],
                "as_of": as_of,
                "basis": basis.name,
                "documented": float(doc["value"]),
                "computed": computed,
                "difference": difference,
                "explanation": explanation,
                "quote_zh": doc.get("quote_zh", ""),
                "quote_en": doc.get("quote_en", ""),
            }
        )
    return pd.DataFrame(rows, columns=RECONCILE_COLUMNS)


def documented_years(folder: Path | None) -> list[int]:
    """Years of the documented figures of a dataset folder (none for other sources)."""
    if folder is None:
        return []
    return sorted({int(y) for y in load_documented(folder)["as_of"]})


def compare_with_documents(
    source: Source,
    year: int,
    *,
    region: str | None = None,
    rules: CrossingRules | None = None,
    result: CrossingResult | None = None,
    neighbour: str | None = None,
) -> pd.DataFrame:
    """The documented figures of ``year`` beside the counts computed for that year.

    The counts are in the basis the figures are documented in (:func:`documented_basis`),
    whatever basis the rest of a run counts in. ``result`` is reused when given: it must
    count that basis's statuses at ``year``. Figures of layers the source was loaded
    without, and of borders that ``region`` is not on (or, with a ``neighbour``, other
    than the border of the two), are left out: they were not counted, so a computed 0
    beside them would be false.
    """
    if source.folder is None:
        raise ValueError("only embedded datasets carry documented figures")
    basis = documented_basis(source.folder, year) or get_basis("open+construction")
    region, neighbour = pair_of(source.region_set, region, neighbour)  # any of their names
    if result is None:
        result = count_crossings(
            {n: source.layers[n] for n in LINE_LAYERS if n in source.layers},
            source.region_set,
            rules=rules,
            region=region,
            as_of=year,
            statuses=basis.statuses,
            neighbour=neighbour,
        )
    ports = source.layers.get("ports", pd.DataFrame())
    table = reconcile(source.folder, result, ports, year)
    # Only what this run can compute: the layers that were loaded, and the borders of the
    # focus region (the others were not counted, and would show a false 0).
    keep = table["layer"].isin(list(source.layers))
    if region is not None:
        sides = table["border"].str.split("–")
        keep &= sides.map(lambda pair: region in pair and (neighbour or region) in pair)
    return table[keep].reset_index(drop=True)
