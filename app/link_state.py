"""The page's view as a link: the URL's query parameters, read back only as the page offers.

The page writes what it shows into its URL (:func:`page_params`, through
:mod:`app.share_view`), so that the link, opened in another browser, shows the same view:

=========== ========================================= =====================================
parameter   value                                     e.g.
=========== ========================================= =====================================
``src``     an embedded dataset's name; on a hosted   ``yrd``, ``fetched:osm-a-b.gpkg``
            server also a file of its list (never a
            path)
``datum``   the datum of one's own files, when a box  ``gcj02`` or ``bd09``
            is ticked: only with a source that is not
            an embedded dataset (absent: WGS84)
``region``  the focus region                          ``Zhejiang``
``nb``      the neighbour; ``*`` for all of them       ``Shanghai``
            (read as ``neighbour`` too)
``layers``  the layers shown, commas between          ``highways,railways``
``year``    the year on the slider                    ``2006``
``cmp``     the year compared with (absent: none)     ``2024``
``basis``   the counting basis, or ``custom``         ``open+construction``
``status``  with ``custom``: the statuses counted     ``open,disused``
``lang``    the page's language                       ``zh`` or ``en``
``lat``,    the map's centre (5 decimals) and zoom    ``30.71234``, ``121.01``, ``9``
``lon``,
``z``
``iface``   the selected interface's id               ``highways/Shanghai–Zhejiang/…``
=========== ========================================= =====================================

A link is anyone's text, so every value is read as untrusted (:class:`Link`): at most
:data:`MAX_CHARS` characters, numbers parsed as numbers and finite, and each kept only if
it is one the page offers (a region of the source, a year of the slider's range, a layer of
the source, a file of the hosted list, a datum for a source that is not an embedded dataset).
A region may be given by any of its names (``浙江``, ``浙江省``, ``zhejiang``:
:mod:`geo.region_names`); the page then writes the data's name back. Anything else is left
out with a note naming the parameter (:class:`Note`, shown in the page's language); a link
never raises. Nothing here imports streamlit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from app.labels import say
from geo.labels import LANGUAGES, Language
from geo.region_names import RegionNames

# -------------------------------------------------------------------------- parameters

SOURCE: Final = "src"
DATUM: Final = "datum"
REGION: Final = "region"
NEIGHBOUR: Final = "nb"
LAYERS: Final = "layers"
YEAR: Final = "year"
COMPARE: Final = "cmp"
BASIS: Final = "basis"
STATUSES: Final = "status"
LANGUAGE: Final = "lang"
LAT: Final = "lat"
LON: Final = "lon"
ZOOM: Final = "z"
INTERFACE: Final = "iface"

#: Every parameter the page reads and writes, in the order it writes them.
PARAMS: Final = (
    SOURCE, DATUM, REGION, NEIGHBOUR, LAYERS, YEAR, COMPARE, BASIS, STATUSES, LANGUAGE,
    LAT, LON, ZOOM, INTERFACE,
)  # fmt: skip

#: Other names a link may give a parameter (read, never written): ``neighbour=``
#: stands for ``nb=``.
PARAM_ALIASES: Final = {"neighbour": NEIGHBOUR, "neighbor": NEIGHBOUR}

#: The parameters of the map's view (written as the map reports it, not by the sidebar).
VIEW_PARAMS: Final = (LAT, LON, ZOOM, INTERFACE)

#: What the page asks its map to report of its view (``st_folium``'s ``returned_objects``):
#: it reports them after each move, which reruns the page.
VIEW_REPORT: Final = ("center", "zoom")

#: The values of ``datum``: the boxes "My GIS files are in GCJ-02" and "... in BD-09"
#: (WGS84, neither ticked, is no ``datum``); :mod:`geo.datum`'s names, spelt here so that
#: reading a link imports no geometry library.
LINK_DATUMS: Final = ("gcj02", "bd09")

#: ``nb`` for all the region's neighbours.
ALL_NEIGHBOURS: Final = "*"

#: Characters a value may have; a longer one is left out unread.
MAX_CHARS: Final = 256

#: Items a list (``layers``, ``status``) may have.
MAX_ITEMS: Final = 16

#: The zoom levels a link may ask for (Leaflet's, with no tiles: 0, the world, to 18).
MIN_ZOOM: Final = 0
MAX_ZOOM: Final = 18

#: Decimals of the centre in a link (about a metre).
DIGITS: Final = 5

#: How much of a bad value a note repeats.
_SHOWN_CHARS = 60

_INTEGER = re.compile(r"^[+-]?\d{1,9}$")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,4}(?:\.\d{0,12})?|\.\d{1,12})$")


# ------------------------------------------------------------------------------ values


@dataclass(frozen=True)
class MapView:
    """Where the map looks: its centre (WGS84 degrees) and zoom level.

    Attributes
    ----------
    lat, lon
        The centre, rounded to :data:`DIGITS` decimals.
    zoom
        The zoom level (:data:`MIN_ZOOM` to :data:`MAX_ZOOM`).
    """

    lat: float
    lon: float
    zoom: int

    @property
    def center(self) -> tuple[float, float]:
        """``(lat, lon)``, as folium and ``st_folium`` take it."""
        return (self.lat, self.lon)

    def params(self) -> dict[str, str]:
        """The view as the link's ``lat``, ``lon`` and ``z``."""
        return {LAT: f"{self.lat:.{DIGITS}f}", LON: f"{self.lon:.{DIGITS}f}", ZOOM: str(self.zoom)}

    @classmethod
    def of(cls, lat: float, lon: float, zoom: float) -> MapView | None:
        """A view rounded for a link; None when it is no place on the map."""
        if not all(math.isfinite(v) for v in (lat, lon, zoom)):
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and MIN_ZOOM <= zoom <= MAX_ZOOM):
            return None
        return cls(round(lat, DIGITS), round(lon, DIGITS), round(zoom))

    @classmethod
    def reported(cls, report: Mapping[str, Any] | None) -> MapView | None:
        """The view ``st_folium`` reported (``{"center": {"lat", "lng"}, "zoom"}``), or None.

        None until the drawn map has reported its centre (the component's value before
        that holds the map's starting zoom only).
        """
        center = (report or {}).get("center")
        zoom = (report or {}).get("zoom")
        if not isinstance(center, Mapping) or not isinstance(zoom, int | float):
            return None
        try:
            return cls.of(float(center["lat"]), float(center["lng"]), float(zoom))
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class Note:
    """Why one value of a link was left out: a text key of :mod:`app.labels` and its values.

    Kept as a key, so that it is said in the language of the run that shows it.
    """

    key: str
    values: tuple[tuple[str, str], ...] = ()

    def text(self) -> str:
        """The note in the page's language."""
        return say(self.key, **dict(self.values))


def _shown(value: str) -> str:
    """A bad value as a note repeats it: its first characters, on one line."""
    flat = " ".join(value.split())
    return flat if len(flat) <= _SHOWN_CHARS else flat[: _SHOWN_CHARS - 1] + "…"


@dataclass
class Link:
    """The parameters a page was opened with, each read against what the page offers.

    Parameters
    ----------
    values
        The query parameters, ``{name: value}`` (``st.query_params.to_dict()``: the last
        value of a repeated name). Names the page does not read are ignored; a value
        longer than :data:`MAX_CHARS` is left out with a note.

    Attributes
    ----------
    notes
        Why values were left out, in the order they were read.
    """

    values: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    @classmethod
    def of(cls, query: Mapping[str, object]) -> Link:
        """The link of a query (names not among :data:`PARAMS` dropped, lengths checked)."""
        link = cls()
        spelt = {name: name for name in PARAMS}
        for alias, name in PARAM_ALIASES.items():
            if alias in query and name not in query:
                spelt[name] = alias
        for name in PARAMS:
            if spelt[name] not in query:
                continue
            value = query[spelt[name]]
            if not isinstance(value, str):  # a list: AppTest keeps repeated names so
                value = str(list(value)[-1]) if isinstance(value, Sequence) and value else ""
            if len(value) > MAX_CHARS:
                link.note("link_long", param=name, limit=str(MAX_CHARS))
            else:
                link.values[name] = value
        return link

    def __bool__(self) -> bool:
        return bool(self.values)

    def note(self, key: str, **values: str) -> None:
        """Add a note (a text key of :mod:`app.labels`, its values)."""
        self.notes.append(Note(key, tuple(values.items())))

    def text(self, name: str) -> str | None:
        """A parameter as given (stripped), None when absent."""
        value = self.values.get(name)
        return None if value is None else value.strip()

    def choice(
        self,
        name: str,
        options: Sequence[str],
        *,
        aliases: Mapping[str, str] | None = None,
        normal: Callable[[str], str] = str,
        regions: RegionNames | None = None,
    ) -> str | None:
        """The parameter if it is one of ``options`` (or of ``aliases``' keys), else None.

        Parameters
        ----------
        name
            The parameter.
        options
            What the page offers.
        aliases
            Other values that stand for an option (``*`` for all neighbours).
        normal
            Applied to the value first (``basis``: a ``+`` read as a space is a ``+``).
        regions
            For a region: every name it goes by (:class:`geo.region_names.RegionNames`),
            so ``浙江``, ``浙江省`` or ``zhejiang`` stand for ``Zhejiang``. A name that fits
            two regions, or none, is left out with a note naming them, or the closest.
        """
        value = self.text(name)
        if value is None:
            return None
        value = normal(value)
        if aliases and value in aliases:
            return aliases[value]
        if value in options:
            return value
        if regions is not None:
            return self._region(name, value, options, regions)
        self.note("link_unknown", param=name, value=_shown(value))
        return None

    def _region(
        self, name: str, value: str, options: Sequence[str], regions: RegionNames
    ) -> str | None:
        """The region of ``options`` that ``value`` names by another of its names, or None."""
        found = regions.matches(value)
        if len(found) == 1 and found[0] in options:
            return found[0]
        shown = _shown(value)
        if len(found) > 1:
            listed = _shown("; ".join(regions.label(n) for n in found))
            self.note("link_region_ambiguous", param=name, value=shown, names=listed)
        elif not found and (near := [n for n in regions.closest(value) if n in options]):
            listed = _shown("; ".join(regions.label(n) for n in near))
            self.note("link_region_near", param=name, value=shown, names=listed)
        else:
            self.note("link_unknown", param=name, value=shown)
        return None

    def names(self, name: str, options: Sequence[str]) -> list[str] | None:
        """A comma list of ``options`` (in the page's order); unknown ones left out with a note.

        An empty value is an empty list (nothing chosen); None when absent or when no item
        of a non-empty value is known.
        """
        value = self.text(name)
        if value is None:
            return None
        items = [v.strip() for v in value.split(",") if v.strip()]
        if len(items) > MAX_ITEMS:
            self.note("link_many", param=name, limit=str(MAX_ITEMS))
            return None
        unknown = [v for v in items if v not in options]
        if unknown:
            self.note("link_unknown", param=name, value=_shown(",".join(unknown)))
        known = [o for o in options if o in items]
        return None if items and not known else known

    def year(self, name: str, first: int, last: int) -> int | None:
        """The parameter as a year from ``first`` to ``last``; None (with a note) otherwise."""
        value = self.text(name)
        if value is None:
            return None
        year = int(value) if _INTEGER.match(value) else None
        if year is None or not first <= year <= last:
            shown = _shown(value)
            self.note("link_year", param=name, value=shown, first=str(first), last=str(last))
            return None
        return year

    def view(self) -> MapView | None:
        """The map's centre and zoom (``lat``, ``lon``, ``z``), None when absent or unusable."""
        given = [self.text(n) for n in (LAT, LON, ZOOM)]
        if all(v is None for v in given):
            return None
        lat, lon, zoom = (v if v is not None and _NUMBER.match(v) else None for v in given)
        view = None
        if lat is not None and lon is not None and zoom is not None:
            view = MapView.of(float(lat), float(lon), float(zoom))
        if view is None:
            shown = ", ".join(_shown(v) if v is not None else "–" for v in given)
            self.note("link_view", value=shown, low=str(MIN_ZOOM), high=str(MAX_ZOOM))
        return view

    def datum(self, *, applies: bool) -> str | None:
        """The datum of one's own files (``gcj02`` or ``bd09``), None when absent or left out.

        Parameters
        ----------
        applies
            Whether the source the link opens is one a datum applies to (a file, not an
            embedded dataset, which has no datum to choose). When not, a known datum is
            left out with a note saying why; an unknown value is left out with a note either way.
        """
        value = self.text(DATUM)
        if value is None:
            return None
        datum = value.lower()
        if datum not in LINK_DATUMS:
            self.note("link_unknown", param=DATUM, value=_shown(value))
            return None
        if not applies:
            self.note("link_datum_embedded", param=DATUM, value=datum)
            return None
        return datum

    def language(self) -> Language | None:
        """The page's language (``zh`` or ``en``), None when absent or another."""
        value = self.text(LANGUAGE)
        if value is None:
            return None
        for language in LANGUAGES:
            if value.lower() == language:
                return language
        self.note("link_unknown", param=LANGUAGE, value=_shown(value))
        return None


# ----------------------------------------------------------------------------- writing


def page_params(
    *,
    source: str | None,
    region: str,
    neighbour: str | None,
    layers: Sequence[str],
    year: int,
    compare: int | None,
    basis: str,
    statuses: Sequence[str] | None,
    language: str,
    view: MapView | None,
    interface: str | None,
    datum: str | None = None,
) -> dict[str, str]:
    """The link's parameters for what the page shows, in the order of :data:`PARAMS`.

    Parameters
    ----------
    source
        The source's name in a link (an embedded dataset, a hosted file's listed name);
        None for a source a link cannot name (an upload, a path).
    region, neighbour
        The pair; ``neighbour`` None for all the region's neighbours (``nb=*``).
    layers
        The layers shown.
    year, compare
        The slider's year and the year compared with (None: none).
    basis, statuses
        The basis chosen, and the statuses counted when it is ``custom`` (else None).
    language
        The page's language.
    view
        The map's view, None until known.
    interface
        The selected interface's id, None without one.
    datum
        The datum the source's files were read in (:mod:`geo.datum`): written only when it is
        one of :data:`LINK_DATUMS` (the page gives WGS84 for an embedded dataset, whose boxes
        are disabled); WGS84 or None is no ``datum``.

    Returns
    -------
    dict
        Values of at most :data:`MAX_CHARS` characters (a longer one, which the link
        could not carry back, is left out).
    """
    params: dict[str, str | None] = {
        SOURCE: source,
        DATUM: datum if datum in LINK_DATUMS else None,
        REGION: region,
        NEIGHBOUR: neighbour if neighbour is not None else ALL_NEIGHBOURS,
        LAYERS: ",".join(layers),
        YEAR: str(year),
        COMPARE: None if compare is None else str(compare),
        BASIS: basis,
        STATUSES: None if statuses is None else ",".join(statuses),
        LANGUAGE: language,
        **(view.params() if view is not None else {}),
        INTERFACE: interface,
    }
    return {k: v for k, v in params.items() if v is not None and len(v) <= MAX_CHARS}


def with_view(
    choices: Mapping[str, str], view: MapView | None, interface: str | None
) -> dict[str, str]:
    """``choices`` (:func:`page_params` without a view) with the map's view and interface."""
    added: dict[str, str] = {**(view.params() if view is not None else {})}
    if interface is not None and len(interface) <= MAX_CHARS:
        added[INTERFACE] = interface
    merged = {**{k: v for k, v in choices.items() if k not in VIEW_PARAMS}, **added}
    return {k: merged[k] for k in PARAMS if k in merged}
