"""The growth chart of a border: routes, interfaces and lanes/tracks per layer, year by year.

:func:`chart_frame` turns a border's timeline (:func:`app.year_history.pair_timeline`) into
the long frame the chart draws, and :func:`growth_chart` draws it with Altair, as three
panels side by side (routes, interfaces, lanes/tracks/berths), one line per layer in the
layer's map colour, each a step that holds its value until the next year it changes, with
a dot where it changes and a diamond for each figure the report gives (the timeline's
``documented`` points). A border and layer that the data do not cover is not drawn (its
values are missing, never 0); a best navigation grade or a largest diameter, which do not
add up, are left to the CSV.

The page shows the chart through ``st.altair_chart``: Vega-Lite as Streamlit bundles it, so
it draws with no internet. Streamlit's chart toolbar offers a PNG of it; :func:`chart_image`
makes PNG and SVG files on the server with ``vl-convert`` (Vega-Lite and a renderer
compiled into the package, no browser, no network). Every text is from
:mod:`app.years_text` and :mod:`geo.labels`; text from data (region names, quotes) is data
of the chart, which Vega draws as text. Nothing here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any, Literal

import altair as alt
import pandas as pd

from app import years_text as tx
from app.language import current
from geo.basis import statuses_label
from geo.labels import LAYER_LABELS, MEASURE_LABELS
from geo.overview import PORTS, capacity_name
from geo.timeline import Timeline
from layers import REGISTRY, get_layer

#: The chart's panels, in order: the timeline column each draws.
MEASURES: tuple[str, ...] = ("routes", "interfaces", "capacity")

#: Each panel's title (:mod:`app.years_text`).
MEASURE_TEXT = {m: f"measure_{m}" for m in MEASURES}

#: Columns of :func:`chart_frame`.
FRAME_COLUMNS = [
    "year", "layer", "layer_label", "measure", "measure_label", "value", "unit", "kind",
    "changed", "quote", "basis", "series",
]  # fmt: skip

#: A stretch of years with no change longer than this ends the "early" years that the
#: chart's default span leaves out (:func:`default_start`).
QUIET_YEARS = 20

#: Years the default span keeps before the first change after the quiet stretch.
LEAD_YEARS = 3

#: One panel's size in pixels: three side by side, their axes and gaps fit in the page's
#: main column (about 950 px on a 1440 px screen; a wider chart is cut at its right edge).
PANEL_WIDTH, PANEL_HEIGHT = 240, 210


def layer_label(layer: str) -> str:
    """A layer's name as the chart's legend shows it (the page's language)."""
    return LAYER_LABELS.get(layer, {"en": layer, "zh": layer})[current()]


def layer_color(layer: str) -> str:
    """The colour a layer's main class is drawn in on the map."""
    spec = get_layer(layer)
    main = spec.main_classes[0] if spec.main_classes else None
    return spec.style({"class": main, "status": "open", "capacity": None}).color


def _drawn(layer: str, measure: str) -> bool:
    """Whether the chart draws ``measure`` of ``layer`` (see the module docstring)."""
    if measure == "routes":
        return layer != PORTS
    if measure == "capacity":
        return get_layer(layer).capacity_total == "sum"
    return True


def _unit(layer: str, measure: str) -> str:
    """What a value counts, in the page's language (``lanes``, ``ports`` ...)."""
    if measure == "capacity":
        name = capacity_name(layer)
    elif measure == "interfaces" and layer == PORTS:
        name = "count"
    else:
        name = measure
    return MEASURE_LABELS.get(name, {"en": name, "zh": name})[current()]


def _steps(counted: pd.DataFrame, first_year: int) -> pd.DataFrame:
    """The rows a step line needs: each series' first and last year and every change.

    A step holds its value until the next row, so the years in between add nothing but
    bytes (1909-2026 is 118 rows per series; a border has some ten changes). ``changed``
    marks the changes, and a series' start after ``first_year`` (where the data's cover of
    that border and layer begins).
    """
    if counted.empty:
        return counted.assign(changed=pd.Series(dtype=bool))
    counted = counted.sort_values(["layer", "measure", "year"], kind="stable")
    series = counted.groupby(["layer", "measure"], sort=False)
    before = series["value"].shift()
    after = series["year"].shift(-1)
    changed = (before.notna() & (before != counted["value"])) | (
        before.isna() & (counted["year"] > first_year)
    )
    keep = changed | before.isna() | after.isna()
    return counted.assign(changed=changed)[keep]


def change_years(frame: pd.DataFrame) -> list[int]:
    """The years in which a counted line of :func:`chart_frame` changes or starts, sorted."""
    counted = frame[(frame["kind"] == "counted") & frame["changed"].astype(bool)]
    return sorted({int(y) for y in counted["year"]})


def berth_gap_years(line: Timeline) -> list[int]:
    """The years from which the border's ports' berths become unknown, after being known.

    The ports' berth line stops there (a missing value is not drawn): a year in which a
    covered border's ports have some without berth data (``capacity_missing``) after a year
    in which there were ports and none lacked them. The page says why beside the chart
    (:func:`app.compare_tables.berth_note`).
    """
    rows = line.rows
    if rows.empty:
        return []
    ports = rows[(rows["layer"] == PORTS) & rows["covered"].astype(bool)]
    missing = pd.to_numeric(ports["capacity_missing"], errors="coerce").fillna(0) > 0
    some = pd.to_numeric(ports["interfaces"], errors="coerce").fillna(0) > 0
    by_year = pd.DataFrame({"year": ports["year"], "missing": missing, "known": some})
    by_year = by_year.groupby("year").agg({"missing": "any", "known": "any"}).sort_index()
    years = by_year.index.tolist()
    return [
        int(now)
        for before, now in pairwise(years)
        if by_year.at[now, "missing"] and not by_year.at[before, "missing"]
        and by_year.at[before, "known"]
    ]  # fmt: skip


def default_start(changes: Sequence[int], first: int, last: int) -> int:
    """The first year the chart shows by default: after the early years, if any.

    A border's history can start a century before most of it happens (the
    Shanghai–Hangzhou railway opened in 1909, the expressways from the 1990s): drawn over
    the whole span, the recent decades, where most changes are, are squeezed into a
    quarter of the axis. So the default span starts :data:`LEAD_YEARS` before the first
    change that follows the last stretch of more than :data:`QUIET_YEARS` years with no
    change, counted from ``first`` (where every line drawn from the start begins); with no
    such stretch it is the whole span. The slider widens it again, and
    the page says which changes the default leaves out.

    Examples
    --------
    >>> default_start([1937, 1998, 2003, 2008, 2013], 1909, 2026)
    1995
    >>> default_start([1998, 2005], 1909, 2026)
    1995
    >>> default_start([1990, 2003, 2008], 1985, 2026)
    1985
    """
    start = first
    for before, after in pairwise([first, *changes]):
        if after - before > QUIET_YEARS:
            start = after - LEAD_YEARS
    return min(max(first, start), last)


def chart_frame(
    line: Timeline,
    layer_names: Sequence[str],
    *,
    summed: bool,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """What the growth chart draws, one row per year, layer and measure (:data:`FRAME_COLUMNS`).

    Parameters
    ----------
    line
        The timeline of one border, or of every border of a region
        (:func:`app.year_history.pair_timeline`).
    layer_names
        The layers counted, in the page's order (the legend's).
    summed
        Add the borders up (every border of a region): cells the data do not cover are
        left out of the sum, and a year none of whose borders is covered has no value.
        The report's figures are per border, so they are then not drawn.
    years
        The first and last year shown, both included; the timeline's span when None.

    Returns
    -------
    pandas.DataFrame
        Counted values (``kind`` ``"counted"``) in the years a step line needs
        (:func:`_steps`; ``changed`` where the value differs from the year before, or where
        the line starts after the first year shown) and documented figures
        (``"documented"``, with their ``quote`` and the ``basis`` they count). Layers or
        years the data do not cover are absent. ``series`` names the kind as the legend
        shows it.
    """
    first, last = years or (line.first_year, line.last_year)
    rows = line.rows
    covered = rows[rows["covered"].astype(bool) & rows["year"].between(first, last)]
    parts = []
    for measure in MEASURES:
        frame = covered[["year", "a", "b", "layer", measure]].rename(columns={measure: "value"})
        frame = frame[[_drawn(n, measure) for n in frame["layer"]]]
        frame = frame[frame["value"].notna()]
        if summed:
            frame = frame.groupby(["year", "layer"], as_index=False, sort=False)["value"].sum()
        frame = frame.assign(measure=measure)[["year", "layer", "measure", "value"]]
        parts.append(frame)
    counted = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    counted = _steps(counted, first).assign(kind="counted", quote="", basis="")
    documented = pd.DataFrame()
    if not summed and not line.documented.empty:
        docs = line.documented
        docs = docs[
            docs["column"].isin(MEASURES)
            & docs["layer"].isin(layer_names)
            & docs["year"].between(first, last)
        ]
        docs = docs[[_drawn(n, m) for n, m in zip(docs["layer"], docs["column"])]]
        documented = pd.DataFrame(
            {
                "year": docs["year"].astype(int),
                "layer": docs["layer"],
                "measure": docs["column"],
                "value": docs["value"].astype(float),
                "kind": "documented",
                "changed": True,
                "quote": docs["quote_en" if current() == "en" else "quote_zh"].fillna(""),
                "basis": [tx.pick(statuses_label(str(b).split("+"))) for b in docs["statuses"]],
            }
        )
    frame = pd.concat([counted, documented], ignore_index=True)
    if frame.empty:
        return pd.DataFrame(columns=FRAME_COLUMNS)
    order = {n: k for k, n in enumerate([*layer_names, *REGISTRY])}
    frame = frame.sort_values(
        ["kind", "layer", "measure", "year"],
        key=lambda c: c.map(order) if c.name == "layer" else c,
        kind="stable",
    )
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    frame["layer_label"] = [layer_label(n) for n in frame["layer"]]
    frame["measure_label"] = [tx.text(MEASURE_TEXT[m]) for m in frame["measure"]]
    frame["unit"] = [_unit(n, m) for n, m in zip(frame["layer"], frame["measure"])]
    frame["series"] = [tx.text(f"series_{k}") for k in frame["kind"]]
    return frame[FRAME_COLUMNS].reset_index(drop=True)


def growth_chart(
    frame: pd.DataFrame,
    *,
    years: tuple[int, int],
    title: str | None = None,
    subtitle: Sequence[str] = (),
) -> alt.FacetChart:
    """The growth chart of :func:`chart_frame` (see the module docstring).

    Parameters
    ----------
    frame
        :func:`chart_frame`.
    years
        The first and last year on the x axis.
    title, subtitle
        For an image of the chart, which has no page around it; none on the page.
    """
    layers_shown = list(dict.fromkeys(frame["layer"]))
    color = alt.Color(
        "layer_label:N",
        scale=alt.Scale(
            domain=[layer_label(n) for n in layers_shown],
            range=[layer_color(n) for n in layers_shown],
        ),
        legend=alt.Legend(title=tx.text("col_layer"), orient="bottom", direction="horizontal"),
    )
    x = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=list(years), nice=False, zero=False),
        axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True),
    )
    y = alt.Y("value:Q", title=None, axis=alt.Axis(tickMinStep=1, format=",d"))
    tips = [
        alt.Tooltip("year:Q", title=tx.text("tip_year"), format="d"),
        alt.Tooltip("layer_label:N", title=tx.text("tip_layer")),
        alt.Tooltip("value:Q", title=tx.text("tip_value"), format=","),
        alt.Tooltip("unit:N", title=tx.text("tip_measure")),
    ]
    counted = alt.datum.kind == "counted"
    lines = (
        alt.Chart()
        .transform_filter(counted)
        .mark_line(interpolate="step-after", strokeWidth=2.2)
        .encode(x=x, y=y, color=color, detail="layer:N", tooltip=tips)
    )
    steps = (
        alt.Chart()
        .transform_filter(counted & alt.datum.changed)
        .mark_circle(size=28, opacity=0.9)
        .encode(x=x, y=y, color=color, tooltip=tips)
    )
    documented = (
        alt.Chart()
        .transform_filter(alt.datum.kind == "documented")
        .mark_point(size=150, filled=True, stroke="#111111", strokeWidth=1.2)
        .encode(
            x=x,
            y=y,
            color=color,
            shape=alt.Shape(
                "series:N",
                scale=alt.Scale(range=["diamond"]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[
                *tips,
                alt.Tooltip("quote:N", title=tx.text("tip_quote")),
                alt.Tooltip("basis:N", title=tx.text("tip_basis")),
            ],
        )
    )
    # The documented layer only where there are documented figures: an empty layer gives
    # its shape legend an empty domain, which leaves the image with no size.
    parts = [lines, steps, documented] if (frame["kind"] == "documented").any() else [lines, steps]
    layered = alt.layer(*parts, data=frame).properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
    order = [tx.text(MEASURE_TEXT[m]) for m in MEASURES]
    chart = layered.facet(
        column=alt.Column(
            "measure_label:N",
            sort=order,
            title=None,
            header=alt.Header(labelFontSize=13, labelFontWeight="bold", labelPadding=6),
        ),
        spacing=24,
    ).resolve_scale(y="independent")
    # Room above the panels' titles: an image of the chart (Streamlit's toolbar draws one
    # on a canvas) cut them by a few pixels without it.
    chart = chart.properties(padding={"top": 14, "left": 5, "right": 5, "bottom": 5})
    if title:
        chart = chart.properties(
            title=alt.TitleParams(text=title, subtitle=list(subtitle), anchor="start")
        )
    return chart


def vega_lite_version() -> str:
    """The Vega-Lite version Altair writes (``"6.4"``), as ``vl-convert`` names it."""
    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def chart_image(spec: dict[str, Any], fmt: Literal["png", "svg"]) -> bytes:
    """The chart as a PNG (twice the pixels) or an SVG file, drawn on this machine.

    ``vl-convert`` compiles and renders the Vega-Lite spec in-process, with the Vega
    libraries compiled into it: no browser and no network. Imported here, on the first
    export, so the page does not load it otherwise.
    """
    import vl_convert

    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec, vl_version=vega_lite_version()).encode("utf-8")
    return vl_convert.vegalite_to_png(spec, vl_version=vega_lite_version(), scale=2)
