"""Every year of a region's borders counted once, for the page's comparison and timeline.

The page compares the year on its slider with another (:mod:`app.compare_view`) and draws
the growth of a border over time (:mod:`app.timeline_view`). Both read the same counts:
:func:`year_history` counts every year of the slider's span at once
(:func:`geo.timeline.results_by_year`, about 0.6 s for 1909-2026 on the embedded dataset,
instead of 0.08 s per year) and builds the timeline from those results
(:func:`geo.timeline.timeline` with ``results``), so that, once it is there, a comparison of
any two years is two overviews and their difference (:func:`compare`, about 60 ms).

The counts are those of the command line (``python -m geo crossings SOURCE --region R
--compare A B`` / ``--timeline``): the same layers, statuses, data year and coverage
(:attr:`geo.io.sources.Source.coverage`), so the page's exports equal its output.

What a history depends on is :func:`history_query`: the page's query without the neighbour
(a history is of all the region's borders) or the year on the slider. It is kept on disk
(:mod:`app.result_cache`, kind ``history``) under the loaded source's key, the year the
data describe and that query, and by the page in memory. Nothing here imports streamlit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

import geopandas as gpd
import pandas as pd

from app import result_cache
from app.query import PageQuery
from app.result_cache import remembered
from app.views import Loaded, data_today, year_span
from geo.analysis import CrossingResult
from geo.basis import BASES
from geo.compare import Comparison, compare_overviews
from geo.io.border_report import render_border_table
from geo.overview import PORTS, Overview, overview_of
from geo.port_borders import PORT_REACH_M, PortSites, ports_and_sites
from geo.summary import pair_mask
from geo.timeline import Timeline, results_by_year, timeline


@dataclass(frozen=True)
class YearHistory:
    """A region's borders counted in every year of a span (see the module docstring).

    Attributes
    ----------
    first_year, last_year
        The span counted, both included: the page's year slider's.
    results
        ``{year: result}`` (:func:`geo.timeline.results_by_year`); years with the same
        network share one result. Shared: never change them.
    timeline
        The timeline from the data's first year to the year they describe
        (:func:`geo.timeline.timeline`), built from ``results``.
    sites
        Where the ports are (:func:`geo.port_borders.port_sites`), None without ports.
    lifecycle
        Each layer's ids, dates, statuses, capacities and sources without the geometry:
        what a comparison reads of the features that changed (selecting rows of a plain
        frame is several times faster than of a GeoDataFrame).
    """

    first_year: int
    last_year: int
    results: Mapping[int, CrossingResult]
    timeline: Timeline
    sites: PortSites | None
    lifecycle: Mapping[str, pd.DataFrame] = dataclasses.field(default_factory=dict)


#: The columns a comparison reads of a layer (:class:`YearHistory`'s ``lifecycle``).
LIFECYCLE_COLUMNS = (
    "id", "status", "start_year", "works_start_year", "end_year", "check_year",
    "status_by_year", "capacity", "capacity_by_year", "source",
)  # fmt: skip


def history_query(query: PageQuery) -> PageQuery:
    """What a history depends on of the page's choices: no neighbour and no year.

    The source, datum, region, statuses and layers.
    """
    return dataclasses.replace(query, neighbour=None, as_of=None)


def chosen_layers(loaded: Loaded, query: PageQuery) -> dict[str, gpd.GeoDataFrame]:
    """The layers the page counts, in its order (ports among them when chosen)."""
    layers = loaded.source.layers
    return {n: layers[n] for n in query.layer_names if n in layers}


def year_history(loaded: Loaded, query: PageQuery, first_year: int, last_year: int) -> YearHistory:
    """Count the query's region in every year from ``first_year`` to ``last_year``.

    Parameters
    ----------
    loaded
        The source (:func:`app.views.load`).
    query
        The page's choices; only :func:`history_query` of it matters.
    first_year, last_year
        The span: the page's slider, which holds the data's first year and the year they
        describe.

    Returns
    -------
    YearHistory
        Read back from disk when this source, code and query were counted before.
    """
    source = loaded.source
    wanted = history_query(query)

    def compute() -> YearHistory:
        layers = chosen_layers(loaded, wanted)
        results = results_by_year(
            layers, source.region_set, range(first_year, last_year + 1),
            statuses=wanted.statuses, region=wanted.region, data_year=source.data_year,
            coverage=source.coverage,
        )  # fmt: skip
        line = timeline(
            layers, source.region_set, statuses=wanted.statuses, region=wanted.region,
            data_year=source.data_year, folder=source.folder, coverage=source.coverage,
            results=results,
        )  # fmt: skip
        _, sites = ports_and_sites(layers, source.region_set, reach_m=PORT_REACH_M)
        lifecycle = {
            name: pd.DataFrame(frame[[c for c in LIFECYCLE_COLUMNS if c in frame.columns]])
            for name, frame in layers.items()
        }
        return YearHistory(first_year, last_year, results, line, sites, lifecycle)

    return remembered("history", history_key(loaded, query, first_year, last_year), compute)


def history_key(
    loaded: Loaded, query: PageQuery, first_year: int, last_year: int
) -> tuple[object, ...]:
    """What a history is kept under (:mod:`app.result_cache`)."""
    return (*loaded.key, data_today(loaded), history_query(query), first_year, last_year)


def is_kept(loaded: Loaded, query: PageQuery, first_year: int, last_year: int) -> bool:
    """Whether the history of ``query`` is kept (in memory or on disk): no count to read it."""
    return result_cache.is_kept("history", history_key(loaded, query, first_year, last_year))


def prepare_histories(loaded: Loaded, query: PageQuery) -> None:
    """Compute, or read from disk, the history of ``query``'s region in every named basis.

    The server calls this as it starts, after the first view (``server.py``): with the
    history kept, the page takes a year's count, or another basis's, from it
    (:func:`app.compare_view.kept_count`) instead of counting that year.
    """
    first_year, last_year = year_span(loaded)
    if first_year == last_year:
        return
    for basis in BASES.values():
        named = dataclasses.replace(query, statuses=basis.statuses)
        year_history(loaded, named, first_year, last_year)


def overview_at(loaded: Loaded, query: PageQuery, history: YearHistory, year: int) -> Overview:
    """The overview of the region's borders in ``year``, from the history's count."""
    layers = chosen_layers(loaded, query)
    return overview_of(
        history.results[year], as_of=year, statuses=query.statuses, region=query.region,
        ports=layers.get(PORTS), sites=history.sites, data_year=loaded.source.data_year,
    )  # fmt: skip


def compare(
    loaded: Loaded,
    query: PageQuery,
    history: YearHistory,
    year_a: int,
    year_b: int,
    *,
    overviews: Callable[[int], Overview] | None = None,
) -> Comparison:
    """The region's borders in two years side by side (:func:`geo.compare.compare_overviews`).

    The same as :func:`geo.compare.compare_years` with the history's layers, statuses,
    region and coverage (a test checks it). The years in either order; both in the history.
    ``overviews`` gives a year's overview when the caller keeps them
    (:func:`overview_at` otherwise).
    """
    first, second = sorted((year_a, year_b))
    if overviews is None:
        overviews = partial(overview_at, loaded, query, history)
    return compare_overviews(
        overviews(first),
        overviews(second),
        history.lifecycle or chosen_layers(loaded, query),
        data_year=loaded.source.data_year,
    )


def _pair_rows(frame: pd.DataFrame, region: str, neighbour: str | None) -> pd.DataFrame:
    if frame.empty:
        return frame
    return frame[pair_mask(frame, region, neighbour)].reset_index(drop=True)


def pair_comparison(comparison: Comparison, region: str, neighbour: str | None) -> Comparison:
    """The comparison of one border (every border of ``region`` when ``neighbour`` is None).

    Counts, changes and coverage notes of that border only, as ``--compare`` prints them
    for it; the overviews stay whole.
    """
    return dataclasses.replace(
        comparison,
        counts=_pair_rows(comparison.counts, region, neighbour),
        changes=_pair_rows(comparison.changes, region, neighbour),
        coverage_notes=tuple(
            note
            for note in comparison.coverage_notes
            if region in (note.a, note.b) and neighbour in (None, note.a, note.b)
        ),
    )


def pair_timeline(line: Timeline, region: str, neighbour: str | None) -> Timeline:
    """The timeline of one border (of every border of ``region`` when ``neighbour`` is None).

    Its rows, documented points and coverage notes, as ``--timeline`` prints them for that
    border.
    """
    return dataclasses.replace(
        line,
        rows=_pair_rows(line.rows, region, neighbour),
        documented=_pair_rows(line.documented, region, neighbour),
        coverage_notes=tuple(
            note
            for note in line.coverage_notes
            if region in (note.a, note.b) and neighbour in (None, note.a, note.b)
        ),
    )


def comparison_files(
    comparison: Comparison, *, source: str, attribution: str
) -> dict[str, bytes]:
    """The comparison as the command line writes it: ``{"csv": ..., "json": ...}`` bytes.

    CSV in UTF-8 with a byte order mark, JSON by its contract
    (:func:`geo.io.border_report.render_border_table`, as ``--format csv`` / ``json``).
    """
    return {
        fmt: render_border_table(
            comparison, fmt, source=source, attribution=attribution
        ).encode("utf-8")
        for fmt in ("csv", "json")
    }


def timeline_file(line: Timeline) -> bytes:
    """The timeline as the command line's ``--timeline --format csv`` writes it."""
    return render_border_table(line, "csv", source="", attribution="").encode("utf-8")
