"""The page's state as one value, and the names it keeps in Streamlit's session state.

:class:`PageQuery` is what the user chose: the source (as named, its file stamp and datum),
the region and neighbour, the year and the statuses and layers counted. It is frozen and
holds strings, numbers and tuples only, so one value keys every cache the page has:
Streamlit's (``st.cache_data`` hashes a dataclass by its fields) and the results kept on
disk (:func:`app.result_cache.remembered`, which keys by its ``repr``). Each cache keys by
what its result depends on: the count does not depend on the neighbour, so it is keyed by
:attr:`PageQuery.all_neighbours`, which changing the neighbour leaves as it is.

The session-state keys (the widgets' keys and the page's own flags) are named here once, in
:class:`Keys`: the page and its panels (:mod:`app.fetch_panel`, :mod:`app.basemap_panel`)
refer to them by name.
Nothing here imports streamlit.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

# ------------------------------------------------------------------ session-state keys


class Keys:
    """The keys the page keeps in Streamlit's session state, by name.

    Widgets' keys (a widget with a key keeps its value in ``st.session_state[key]``), the
    page's own flags, and functions for keys made per item.
    """

    #: The sidebar's uploader: keyed, so that a label in another language is the same
    #: widget and keeps its upload.
    UPLOAD: Final = "upload"
    #: The basemap panel's attribution of a tile URL.
    TILE_ATTRIBUTION: Final = "tile-attribution"
    #: Set once a session's first run is over (the tables wait for the map on the first).
    SHOWN_ONCE: Final = "page-shown-once"
    #: The sidebar's "path on this machine" text box (not in hosted mode).
    SOURCE_PATH: Final = "source_path"
    #: In hosted mode, the sidebar's list of files in the data folder, in its place.
    SHARED_FILE: Final = "shared-file"
    #: The session's uploads on disk (:class:`app.uploads.SessionUploads`).
    UPLOADS: Final = "uploads"
    #: The "My GIS files are in GCJ-02" check box, and its "... in BD-09" (Baidu) beside it:
    #: ticking one unticks the other.
    GCJ02: Final = "gcj02"
    BD09: Final = "bd09"
    #: The basemap panel (an expander), its choice, and a tile URL the user typed.
    BASEMAP_PANEL: Final = "basemap-panel"
    BASEMAP: Final = "basemap"
    TILE_URL: Final = "tile-url"
    #: The basemap panel's map height (:mod:`app.map_size`).
    MAP_HEIGHT: Final = "map-height"
    #: The map component (``st_folium``): its value is what the map last reported.
    MAP: Final = "map"
    #: The interface clicked on the map last, which the page names under the map.
    CLICK_SEEN: Final = "click-seen"
    #: The container of the interface table (its CSS class is ``st-key-interface-table``).
    INTERFACE_TABLE: Final = "interface-table"
    #: The switch that adds the engine's columns to the interface table.
    ENGINE_FIELDS: Final = "engine-fields"
    #: The sidebar's "Compare with year" (:mod:`app.compare_view`): a year, or None.
    COMPARE_YEAR: Final = "compare-year"
    #: The "What changed" table's container (its CSS class is ``st-key-changes-table``).
    CHANGES_TABLE: Final = "changes-table"
    #: The "Growth over time" expander (open or not) and its years shown
    #: (:mod:`app.timeline_view`).
    GROWTH: Final = "growth"
    GROWTH_YEARS: Final = "growth-years"
    #: The path of the GeoPackage the fetch panel wrote last.
    FETCHED: Final = "fetched"
    #: The fetch panel's widgets (the panel: an expander that stays open when relabelled).
    FETCH_PANEL: Final = "fetch-panel"
    FETCH_BAND: Final = "fetch-band"
    FETCH_SEA: Final = "fetch-sea"
    FETCH_FROM: Final = "fetch-from"
    FETCH_RUN: Final = "fetch-run"
    FETCH_OPEN: Final = "fetch-open"
    FETCH_DOWNLOAD: Final = "fetch-download"
    #: In hosted mode, the fetch panel's list of OSM files in the data folder.
    FETCH_SHARED: Final = "fetch-shared-file"
    #: The sidebar's focus region and neighbour (the overview's rows set them too).
    REGION: Final = "region"
    NEIGHBOUR: Final = "neighbour"
    #: The year slider ("Count as the report does" sets it).
    YEAR: Final = "year"
    #: The counting basis chosen (:mod:`app.basis_panel`), and the custom statuses.
    BASIS: Final = "basis"
    STATUSES: Final = "statuses"
    #: The overview's switch between the region's borders and every pair of the source.
    EVERY_PAIR: Final = "every-pair"
    #: The container of the overview table (its CSS class is ``st-key-overview-table``).
    OVERVIEW: Final = "overview-table"

    #: The sidebar's embedded dataset and layers (a link sets them, :mod:`app.share_view`).
    DATASET: Final = "dataset"
    LAYERS: Final = "layers"
    #: The page's language, ``"en"`` or ``"zh"`` (a link's ``lang`` sets it; the page's
    #: language switch keeps its choice here too).
    LANGUAGE: Final = "language"
    #: Set once the session's link (its URL's parameters) has been read, on its first run.
    LINK_READ: Final = "link-read"
    #: Why values of the session's link were left out, and the choices they were read for.
    LINK_NOTES: Final = "link-notes"
    LINK_CHOICES: Final = "link-choices"
    #: The map view a link asked for, until the map is drawn (:func:`app.share_view.start_view`).
    VIEW_REQUEST: Final = "view-request"
    #: Where the map drawn last opens, and what it was drawn for (:class:`app.share_view.MapStart`).
    MAP_START: Final = "map-start"
    #: The interface a link selected, until a row of the table is selected.
    LINK_INTERFACE: Final = "link-interface"
    #: The selected interface whose view the map shows already (the link's view holds it).
    VIEW_SHOWN_FOR: Final = "view-shown-for"
    #: The map drawn as PNG and PDF last (:mod:`app.print_view`), and its button.
    PRINTED: Final = "printed"
    PRINT_RUN: Final = "print-run"
    #: The what-if view (:mod:`app.what_if_view`): its switch, band (km) and the interfaces
    #: closed (their ids); the map's count of clicks the view has read (a ring clicked
    #: closes or opens its interface once per click).
    WHAT_IF: Final = "what-if"
    WHAT_IF_BAND: Final = "what-if-band"
    WHAT_IF_CLOSED: Final = "what-if-closed"
    WHAT_IF_CLICKS: Final = "what-if-clicks"

    @staticmethod
    def scope(key: str) -> str:
        """Where the page notes what a widget's value was settled for (:mod:`app.page_state`)."""
        return f"{key}-scope"

    @staticmethod
    def as_report(where: str) -> str:
        """A "Count as the report does" button (one in the sidebar, one by the report)."""
        return f"as-report-{where}"

    @staticmethod
    def overview_table(rows: Iterable[object], focus: object) -> str:
        """The overview listing ``rows`` with the border ``focus`` selected: a key per state.

        A new key when the rows or the focused border change, so that the table opens with
        the focused border selected (and no earlier selection carries over).
        """
        text = "\n".join(map(str, [*rows, focus]))
        return f"overview-{hashlib.sha1(text.encode()).hexdigest()[:12]}"

    @staticmethod
    def fetch_where(online: bool) -> str:
        """The fetch panel's text box: an Overpass URL (online) or an OSM file's path (not hosted).

        One key per kind, so each keeps its own text.
        """
        return f"fetch-where-{online}"

    @staticmethod
    def download(item: str) -> str:
        """The download button of one export item (a layer, ``"gpkg"`` ...)."""
        return f"download-{item}"

    @staticmethod
    def interface_table(ids: Iterable[object]) -> str:
        """The interface table listing ``ids``: a new key per set of rows.

        A table's selection is kept under its key, so it never carries over to another.
        """
        digest = hashlib.sha1("\n".join(map(str, ids)).encode()).hexdigest()[:12]
        return f"interfaces-{digest}"


# ------------------------------------------------------------------------ the page state


@dataclass(frozen=True)
class PageQuery:
    """What the page shows, as chosen in the sidebar: one value, one cache key.

    Attributes
    ----------
    path
        The source as the user named it: an embedded dataset's name or a file path.
    stamp
        Its file stamp (:func:`app.views.source_stamp`): changed files make a new query.
    datum
        ``"wgs84"``, ``"gcj02"`` or ``"bd09"`` (:mod:`geo.datum`).
    region
        The focus region.
    neighbour
        The other side of the pair; None for all the region's neighbours.
    as_of
        The year the network is read in; None for the data as tagged.
    statuses
        The statuses counted and drawn (a tuple, whatever sequence was given).
    layer_names
        The layer kinds counted and drawn, in the page's order (a tuple too).
    """

    path: str
    stamp: str
    datum: str
    region: str
    neighbour: str | None
    as_of: int | None
    statuses: tuple[str, ...]
    layer_names: tuple[str, ...]

    def __post_init__(self) -> None:
        # Lists from widgets become tuples, so every query hashes and compares by value.
        object.__setattr__(self, "statuses", tuple(self.statuses))
        object.__setattr__(self, "layer_names", tuple(self.layer_names))

    @property
    def all_neighbours(self) -> PageQuery:
        """The same query for all the region's neighbours: what a count depends on."""
        return dataclasses.replace(self, neighbour=None)

    @property
    def highlight(self) -> tuple[str, ...]:
        """The regions the map draws stronger and opens on: the region and its neighbour."""
        return (self.region, self.neighbour) if self.neighbour else (self.region,)
