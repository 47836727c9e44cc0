"""The shape every layer module shares.

A layer module (``layers/highways.py`` and its siblings) defines one :class:`LayerSpec`
called ``LAYER``: which OpenStreetMap features belong to it, how a feature's tags become the
common attribute schema, how its capacity is counted and how it is drawn. Nothing here
imports streamlit or touches geometry; the engine in ``geo/`` does that.

Rules shared by every layer:

* **Refs** are split on ``;`` only, the OpenStreetMap separator; blanks and repeats are
  dropped. ``,`` and ``/`` are *not* separators: ``"E 45 / E 55"`` or ``"A 8, E 52"`` stay
  one token, because refs such as ``"D 2/1"`` contain them and a wrong split would merge
  unrelated routes. An unsplit token only ever merges less (it matches fewer refs).
* **Counts** (lanes, tracks, berths) are positive whole numbers. A list (``2;3``) or a range
  (``2-3``) is read as its *smallest* member, the count the whole way is known to offer, and
  the note says so (``"smallest of '2;3'"``). Anything else (``2.5``, ``many``, ``-1``,
  ``0``) is missing and flagged (``"unparsed value '2.5'"``): never rounded or guessed.
* **Dates** to years: the first year 1800-2099 in the value, so ``2008-05-01``, ``~1855``,
  ``1860s`` (1860) and ``1914..1918`` (1914) give a year and ``C18`` gives none.
  ``start_year`` is the year a feature opened (``start_date``, else ``opening_date``) or,
  for one under construction or proposed, the *expected* opening (``opening_date`` only);
  on those, ``start_date`` is read as the year works started (``works_start_year``): that
  is what it usually means on a construction site in OSM, and reading it as an opening
  would open roads years early. ``end_year`` is from ``end_date``, ``check_year`` from
  ``check_date`` (else ``survey:date``). :mod:`geo.lifecycle` turns them into a status per
  year.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

Tags = Mapping[str, str]

#: Columns every normalised feature carries, in this order, whatever its layer.
COMMON_COLUMNS: tuple[str, ...] = (
    "id",  # source feature id, e.g. "osm:way/123" or "yrd:highways/G60-1"
    "layer",
    "class",
    "ref",  # ';'-separated list of refs, normalised (no blanks), "" when none
    "name",
    "name_zh",  # OSM name:zh (else name:zh-Hans), "" when not tagged (see name_tags)
    "name_en",  # OSM name:en, "" when not tagged
    "status",  # open | construction | proposed | cancelled | disused | abandoned
    "start_year",  # year opened or expected (None when unknown)
    "works_start_year",  # year works started, for features under construction (or None)
    "end_year",  # year the feature ceased (end_date), None when unknown
    "check_year",  # year the tags were last checked (check_date), None when unknown
    "oneway",  # 1 along the geometry, -1 against it, 0 both ways
    "bridge",
    "tunnel",
    "capacity",  # per carriageway / line: lanes, tracks, ... (None when unknown)
    "capacity_unit",
    "capacity_note",  # why capacity is missing or how it was read, "" when plain
    "source",
)

#: OSM lifecycle prefixes and the status each means.
LIFECYCLE_STATUS: dict[str, str] = {
    "construction": "construction",
    "proposed": "proposed",
    "planned": "proposed",
    "disused": "disused",
    "abandoned": "abandoned",
    "razed": "abandoned",
}

STATUSES: tuple[str, ...] = (
    "open", "construction", "proposed", "cancelled", "disused", "abandoned",
)

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_WHOLE = re.compile(r"\d+")
_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)")


class UnknownLayerError(ValueError):
    """A layer name that is not in the registry; the message lists the known ones.

    ``layers`` is the lowest package of Jiegui and imports nothing of ``geo``, so it cannot
    raise ``geo``'s errors. ``geo`` looks layers up through :func:`geo.errors.layer_spec`,
    which raises :class:`geo.errors.UnknownLayerError`: a subclass of this class and of
    ``geo.errors.JieguiError``, so that the CLI and the page show the message as one
    sentence, as for any other mistake in the user's input. The message is English; ``zh``
    holds the same sentence in Chinese (``geo`` makes its bilingual message from both).
    """

    def __init__(self, message: object, *, zh: str = "") -> None:
        super().__init__(message)
        self.zh = zh or str(message)


@dataclass(frozen=True)
class Style:
    """How a feature is drawn: colour, line weight in pixels, dash pattern or ``None``.

    ``radius`` is a point's circle radius in pixels when the layer sizes its points (a
    proportional symbol); None draws it at the common size (:mod:`layers.drawing`).
    """

    color: str
    weight: float
    dash_array: str | None = None
    radius: float | None = None


@dataclass(frozen=True)
class LegendEntry:
    """One swatch of a layer's legend, drawn with a style the layer draws features with.

    Attributes
    ----------
    kind
        ``"class"``: the colour of the classes named; ``"status"``: the line pattern of the
        statuses named.
    keys
        The classes or statuses the swatch stands for (several when they are drawn alike),
        in the order they are listed.
    style
        The style of one feature drawn: a class's with the first of its statuses drawn, a
        status's with the first class drawn in it (capacity unknown: the thinnest line).
    """

    kind: Literal["class", "status"]
    keys: tuple[str, ...]
    style: Style


@dataclass
class NormalisedTable:
    """Many features normalised (:meth:`LayerSpec.normalise_table`), as columns.

    Attributes
    ----------
    kinds
        The attributes of each kind of feature met (:meth:`LayerSpec.normalise` of its
        first feature, with an empty id and source; its id, source and text are replaced
        per feature by the columns below).
    taken
        The positions, among the features given, of those that are the layer's.
    kind_of, ids, sources, texts
        For each feature taken: the index of its kind in ``kinds``, its id, its source,
        and its ``ref``, ``name``, ``name_zh`` and ``name_en``.
    features
        How many features were given.
    """

    kinds: list[dict[str, Any]] = field(default_factory=list)
    taken: list[int] = field(default_factory=list)
    kind_of: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    texts: list[tuple[str, str, str, str]] = field(default_factory=list)
    features: int = 0

    def rows(self) -> list[dict[str, Any]]:
        """One dict per feature taken, as :meth:`LayerSpec.normalise` gives it."""
        out = []
        kinds = self.kinds
        for index, feature_id, source, text in zip(
            self.kind_of, self.ids, self.sources, self.texts, strict=True
        ):
            attrs = kinds[index].copy()
            attrs["id"] = feature_id
            attrs["ref"], attrs["name"], attrs["name_zh"], attrs["name_en"] = text
            attrs["source"] = source
            out.append(attrs)
        return out


@dataclass(frozen=True)
class LayerSpec:
    """What defines a layer kind.

    Attributes
    ----------
    name
        Registry key, also the CLI's ``--layers`` value (``"highways"``).
    label
        Human name shown in tables and maps.
    geometry
        ``"line"`` for layers whose crossings are counted, ``"point"`` for sites (ports).
    main_key
        The OSM key whose value gives the class (``"highway"``); lifecycle variants
        (``construction=*``, ``proposed:highway=*``) are read through it.
    osm_tags
        Tag filter in osmnx's form, ``{key: True | [values]}``, that selects candidates;
        empty for a layer OpenStreetMap does not hold (cities with a document's figures),
        which is never read from OSM data nor fetched (:data:`layers.OSM_LAYERS`).
    classify
        ``classify(value) -> class or None``: the class of a feature from its main value
        (after lifecycle is resolved); ``None`` means the feature does not belong.
    capacity
        ``capacity(tags, oneway) -> (value or None, note)``: capacity of one line
        (lanes of one carriageway, tracks, ...), with a note when it is missing or odd.
    capacity_unit
        What capacity counts (``"lanes"``, ``"tracks"``, ...).
    main_classes
        Classes of the trunk network; such a line that stops short of a border is
        reported, since it was probably clipped by the extract.
    capacity_total
        How capacities of several lines add up: ``"sum"`` (lanes, tracks), ``"min"``
        (a navigation grade, 1 being the best) or ``"max"`` (a diameter).
    main_value
        ``main_value(tags) -> value or None`` for layers selected by more than one key
        (ports: ``harbour``, ``landuse=port``, ``industrial=port``); by default the
        lifecycle-resolved value of ``main_key``.
    implied_oneway
        ``implied_oneway(tags) -> bool``: whether the feature is one-way without an
        explicit ``oneway`` tag (motorways, roundabouts).
    style
        ``style(attrs) -> Style`` for the map.
    refine
        ``refine(tags, cls) -> class or None``: the final class from the other tags
        (``highspeed=yes`` makes a ``conventional`` line ``high_speed``); ``None`` means
        the feature does not belong after all. By default the class from ``classify``.
    extra
        ``extra(tags) -> dict``: layer-specific attributes kept beside the common ones.
    classes
        Every class the layer gives (``classify`` and ``refine``), in the order a legend
        or a style lists them: what the QGIS styles of the exports have a rule for
        (:mod:`geo.io.qgis_style`).
    speed_kmh
        Travel speed (km/h) assumed for each class when a line states no ``maxspeed``:
        what routing around a border (:mod:`geo.resilience`) times trips with. Empty for
        layers nobody travels on (pipelines); a class missing gets the engine's fallback.
    rule_keys
        Every tag key that ``capacity``, ``refine``, ``extra``, ``main_value`` and
        ``implied_oneway`` look up: with :data:`COMMON_RULE_KEYS` and the main key's
        lifecycle keys, all that a feature's attributes other than the text ones
        (:data:`TEXT_KEYS`) depend on, which :meth:`normalise_many` relies on. A test
        records every key each layer looks up and fails on one not listed here.
    """

    name: str
    label: str
    geometry: str
    main_key: str
    osm_tags: dict[str, Any]
    classify: Callable[[str], str | None]
    capacity: Callable[[Tags, int], tuple[int | None, str]]
    capacity_unit: str
    style: Callable[[Mapping[str, Any]], Style]
    main_classes: tuple[str, ...] = ()
    capacity_total: str = "sum"
    main_value: Callable[[Tags], str | None] | None = None
    implied_oneway: Callable[[Tags], bool] = lambda tags: False
    refine: Callable[[Tags, str], str | None] = lambda tags, cls: cls
    extra: Callable[[Tags], dict[str, Any]] = field(default=lambda tags: {})
    classes: tuple[str, ...] = ()
    speed_kmh: Mapping[str, float] = field(default_factory=dict)
    rule_keys: tuple[str, ...] = ()

    def legend(self, drawn: Iterable[Mapping[str, Any]]) -> list[LegendEntry]:
        """The legend of the features ``drawn``, made with :attr:`style`, the same function.

        One entry per colour (the classes drawn in it) and, when the features drawn have
        more than one line pattern or a pattern other than a solid line, one per pattern
        (the statuses drawn in it): a legend of what is drawn, and all of it. Classes are
        listed in the order of :attr:`main_classes`, then by name; statuses in the order of
        :data:`STATUSES`.

        Parameters
        ----------
        drawn
            The drawn features' attributes (``class``, ``status``; others ignored).

        Returns
        -------
        list of LegendEntry
            The class entries, then the status entries.
        """
        pairs = list(dict.fromkeys((str(f.get("class")), str(f.get("status"))) for f in drawn))
        rank = {c: n for n, c in enumerate(self.main_classes)}
        classes = sorted({c for c, _ in pairs}, key=lambda c: (rank.get(c, len(rank)), c))
        order = {s: n for n, s in enumerate(STATUSES)}
        statuses = sorted({s for _, s in pairs}, key=lambda s: (order.get(s, len(order)), s))

        def sample(cls: str, status: str) -> Style:
            return self.style({"class": cls, "status": status, "capacity": None})

        by_class = [(c, sample(c, next(s for s in statuses if (c, s) in pairs))) for c in classes]
        by_status = [(s, sample(next(c for c in classes if (c, s) in pairs), s)) for s in statuses]
        entries = _merged("class", by_class, lambda st: st.color)
        patterns = {st.dash_array for _, st in by_status}
        if len(patterns) > 1 or patterns - {None}:
            entries += _merged("status", by_status, lambda st: st.dash_array)
        return entries

    def normalise(self, tags: Tags, *, feature_id: str, source: str) -> dict[str, Any] | None:
        """Turn a feature's raw tags into the common attribute schema.

        Parameters
        ----------
        tags
            The feature's tags, all values strings (OpenStreetMap convention).
        feature_id
            Stable id of the feature in its source.
        source
            Where the feature comes from (e.g. ``"OpenStreetMap (ODbL)"``).

        Returns
        -------
        dict or None
            The attributes, or ``None`` when the feature does not belong to this layer.
        """
        value, status = lifecycle(tags, self.main_key)
        if value is None and self.main_value is not None:
            value, status = self.main_value(tags), "open"
        if value is None:
            return None
        cls = self.classify(value)
        if cls is not None:
            cls = self.refine(tags, cls)
        if cls is None:
            return None
        oneway = parse_oneway(tags.get("oneway"), implied=self.implied_oneway(tags))
        capacity, note = self.capacity(tags, oneway)
        ref, name, name_zh, name_en = _texts(tags)
        attrs: dict[str, Any] = {
            "id": feature_id,
            "layer": self.name,
            "class": cls,
            "ref": ref,
            "name": name,
            "name_zh": name_zh,
            "name_en": name_en,
            "status": status,
            **lifecycle_years(tags, status),
            "oneway": oneway,
            "bridge": is_yes(tags.get("bridge")),
            "tunnel": is_yes(tags.get("tunnel")),
            "capacity": capacity,
            "capacity_unit": self.capacity_unit,
            "capacity_note": note,
            "source": source,
        }
        attrs.update(self.extra(tags))
        return attrs

    def normalise_many(
        self, tags: Iterable[Tags], feature_ids: Iterable[str], sources: str | Iterable[str]
    ) -> list[dict[str, Any] | None]:
        """:meth:`normalise` of many features: the same attributes, the rules run once per kind.

        A feature's attributes other than its id, source and text (``ref``, ``name``,
        ``name_zh``, ``name_en``: :data:`TEXT_KEYS`) depend only on its values of
        :meth:`memo_keys`. The rules (lifecycle, class, capacity, years, ``extra``) run
        once for each combination of those values met, and every feature with the same
        combination gets a copy of the result with its own id, source and text. Real
        extracts have few combinations: 126 among Andorra's 1,615 roads (the segments of a
        road share their class, lanes, dates), so most features cost a tuple of look-ups
        and a dict copy instead of the layers' Python. The rules stay
        written once, per feature, and :meth:`normalise` stays what they mean.

        Parameters
        ----------
        tags
            Each feature's tags, all values strings.
        feature_ids
            Each feature's id, as many as ``tags``.
        sources
            Where the features come from: one text for all, or one per feature.

        Returns
        -------
        list of dict or None
            What :meth:`normalise` returns for each feature, in order.
        """
        table = self.normalise_table(tags, feature_ids, sources)
        out: list[dict[str, Any] | None] = [None] * table.features
        for row, attrs in zip(table.taken, table.rows(), strict=True):
            out[row] = attrs
        return out

    def normalise_table(
        self, tags: Iterable[Tags], feature_ids: Iterable[str], sources: str | Iterable[str]
    ) -> NormalisedTable:
        """:meth:`normalise_many` as columns: each kind's attributes once, then per feature.

        What :meth:`normalise_many` builds its dicts from, and what a reader of many
        features builds a frame from without one dict per feature (a dict of the common
        attributes takes about 1.2 kB: 350 MB for the 291,250 roads of the 57 MB benchmark
        file).

        Parameters
        ----------
        tags, feature_ids, sources
            As :meth:`normalise_many`.

        Returns
        -------
        NormalisedTable
        """
        keys = self.memo_keys()
        # Without a main key nor one of its lifecycle keys, normalise() finds no value
        # (lifecycle() gives None) and, unless main_value says otherwise, the feature is not
        # this layer's: most features asked about, told apart with no more look-ups.
        selector = () if self.main_value is not None else _selector_keys(self.main_key)
        kinds: dict[tuple[str | None, ...], int | None] = {}
        table = NormalisedTable()
        pairs = zip(tags, feature_ids, strict=True)
        features = (
            zip(pairs, itertools.repeat(sources))
            if isinstance(sources, str)
            else zip(pairs, sources, strict=True)
        )
        n = -1
        for n, ((feature_tags, feature_id), source) in enumerate(features):
            if selector and not any(map(feature_tags.__contains__, selector)):
                continue
            kind = tuple(map(feature_tags.get, keys))
            try:
                index = kinds[kind]
            except KeyError:
                made = self.normalise(feature_tags, feature_id="", source="")
                index = kinds[kind] = None if made is None else len(table.kinds)
                if made is not None:
                    table.kinds.append(made)
            if index is None:
                continue
            table.taken.append(n)
            table.kind_of.append(index)
            table.ids.append(feature_id)
            table.sources.append(source)
            # Not remembered: a name is often a feature's own (a tuple kept per distinct text
            # took 73 MB for the 291,250 roads of the 57 MB benchmark file, for no gain).
            table.texts.append(_texts(feature_tags))
        table.features = n + 1
        return table

    def memo_keys(self) -> tuple[str, ...]:
        """The tag keys a feature's attributes other than its text depend on (see ``rule_keys``)."""
        return _memo_keys(self.main_key, self.rule_keys)


#: The OSM tags read as a feature's Chinese and English names, first found first.
NAME_TAGS: dict[str, tuple[str, ...]] = {
    "name_zh": ("name:zh", "name:zh-Hans", "name:zh-Hant"),
    "name_en": ("name:en",),
}


#: The tag keys :meth:`LayerSpec.normalise` copies into the text columns (``ref``,
#: ``name``, ``name_zh``, ``name_en``) and that no rule reads.
TEXT_KEYS: tuple[str, ...] = ("ref", "name", *(k for keys in NAME_TAGS.values() for k in keys))

#: The tag keys :meth:`LayerSpec.normalise` looks up for every layer besides its main key,
#: the main key's lifecycle keys and the text: a lifecycle value's own key
#: (``highway=construction`` + ``construction=motorway``), one-way, bridge, tunnel, dates.
COMMON_RULE_KEYS: tuple[str, ...] = (
    *LIFECYCLE_STATUS,
    "oneway",
    "bridge",
    "tunnel",
    "start_date",
    "opening_date",
    "end_date",
    "check_date",
    "survey:date",
)


@cache
def _memo_keys(main_key: str, rule_keys: tuple[str, ...]) -> tuple[str, ...]:
    """The main key, its lifecycle keys, :data:`COMMON_RULE_KEYS` and ``rule_keys``, once each."""
    return tuple(dict.fromkeys((*_selector_keys(main_key), *COMMON_RULE_KEYS, *rule_keys)))


@cache
def _selector_keys(main_key: str) -> tuple[str, ...]:
    """The main key and its lifecycle keys: a feature with none of them has no main value."""
    return (main_key, *(key for key, _ in _lifecycle_keys(main_key)))


def _texts(tags: Tags) -> tuple[str, str, str, str]:
    """A feature's ``ref``, ``name``, ``name_zh`` and ``name_en`` (:meth:`LayerSpec.normalise`)."""
    return (
        normalise_refs(tags.get("ref", "")),
        tags.get("name", ""),
        _first_text(tags, NAME_TAGS["name_zh"]),
        _first_text(tags, NAME_TAGS["name_en"]),
    )


def name_tags(tags: Tags) -> dict[str, str]:
    """``name_zh`` and ``name_en`` from OSM's language tags (:data:`NAME_TAGS`), else ``""``.

    Only the tags are read here; where one is missing, the exports and popups fall back
    to ``name`` by its script (``geo.pair_export.names_zh_en``).

    Examples
    --------
    >>> name_tags({"name": "沪杭高速公路", "name:en": "Shanghai–Hangzhou Expressway"})
    {'name_zh': '', 'name_en': 'Shanghai–Hangzhou Expressway'}
    >>> name_tags({"name:zh-Hans": "杭州湾跨海大桥", "name:zh": " "})
    {'name_zh': '杭州湾跨海大桥', 'name_en': ''}
    """
    return {column: _first_text(tags, keys) for column, keys in NAME_TAGS.items()}


def _first_text(tags: Tags, keys: tuple[str, ...]) -> str:
    """The first of ``keys``' values in ``tags`` that is not blank, stripped; else ``""``."""
    for key in keys:
        value = tags.get(key)
        if value and (value := value.strip()):
            return value
    return ""


def _merged(
    kind: Literal["class", "status"],
    samples: list[tuple[str, Style]],
    swatch: Callable[[Style], object],
) -> list[LegendEntry]:
    """Legend entries of ``samples``, one per swatch (colour or pattern), keys in order."""
    groups: dict[object, tuple[list[str], Style]] = {}
    for key, style in samples:
        groups.setdefault(swatch(style), ([], style))[0].append(key)
    return [LegendEntry(kind, tuple(keys), style) for keys, style in groups.values()]


def total_capacity(values: list[int], how: str) -> int | None:
    """Combine capacities of several lines by ``how`` (see ``LayerSpec.capacity_total``)."""
    if not values:
        return None
    if how == "sum":
        return sum(values)
    if how == "min":
        return min(values)
    if how == "max":
        return max(values)
    raise KeyError(how)


def lifecycle(tags: Tags, key: str) -> tuple[str | None, str]:
    """Resolve OSM lifecycle tagging of ``key``.

    ``highway=construction`` + ``construction=motorway`` and ``construction:highway=motorway``
    both give ``("motorway", "construction")``; ``highway=motorway`` gives
    ``("motorway", "open")``. Returns ``(None, "")`` when the feature has no such key.
    """
    value = tags.get(key)
    if value in LIFECYCLE_STATUS:
        return tags.get(value) or tags.get(f"{value}:{key}") or None, LIFECYCLE_STATUS[value]
    if value:
        return value, "open"
    for prefixed_key, status in _lifecycle_keys(key):
        prefixed = tags.get(prefixed_key)
        if prefixed:
            return prefixed, status
    return None, ""


@cache
def _lifecycle_keys(key: str) -> tuple[tuple[str, str], ...]:
    """``key``'s lifecycle keys (``construction:highway``) and their statuses, in order.

    Made once per key: most features a layer is asked about are not its own, and each such
    one is looked up under all of them (:meth:`LayerSpec.normalise` of every layer).
    """
    return tuple((f"{prefix}:{key}", status) for prefix, status in LIFECYCLE_STATUS.items())


def lifecycle_years(tags: Tags, status: str) -> dict[str, int | None]:
    """Years of a feature's life from its date tags (see the module docstring).

    Parameters
    ----------
    tags
        The feature's tags.
    status
        Its lifecycle status as tagged (:func:`lifecycle`): on a feature under
        construction or proposed, ``start_date`` is the start of works, not an opening.

    Returns
    -------
    dict
        ``start_year``, ``works_start_year``, ``end_year`` and ``check_year``, each an
        int or None.
    """
    planned = status in ("construction", "proposed")
    start = parse_year(tags.get("start_date"))
    opening = parse_year(tags.get("opening_date"))
    return {
        "start_year": opening if planned else (start or opening),
        "works_start_year": start if planned else None,
        "end_year": parse_year(tags.get("end_date")),
        "check_year": parse_year(tags.get("check_date") or tags.get("survey:date")),
    }


def normalise_refs(raw: str) -> str:
    """Split a ref on ``;`` only, strip blanks, drop repeats, join by ``;``.

    ``,`` and ``/`` are kept inside a ref (see the module docstring).
    """
    if ";" not in raw:  # one ref (most): the same as below, without the generators
        return raw.strip()
    parts = (part.strip() for part in raw.split(";"))
    return ";".join(dict.fromkeys(part for part in parts if part))


def parse_oneway(raw: str | None, *, implied: bool = False) -> int:
    """Return 1 (one-way along the geometry), -1 (against it) or 0 (both ways)."""
    if raw in ("yes", "true", "1"):
        return 1
    if raw in ("-1", "reverse"):
        return -1
    if raw in ("no", "false", "0", "alternating", "reversible"):
        return 0
    return 1 if implied else 0


_SPEED = re.compile(r"(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?")


def max_speed_kmh(raw: str | None) -> int | None:
    """Highest speed in a ``maxspeed`` value, in km/h (``"186 mph"`` gives 299).

    Lists (``"300;350"``) give their highest value; a value without a number gives None.
    """
    speeds = []
    for part in (raw or "").split(";"):
        match = _SPEED.fullmatch(part.strip())
        if match:
            factor = 1.609344 if match.group(2) == "mph" else 1.0
            speeds.append(round(float(match.group(1)) * factor))
    return max(speeds) if speeds else None


def parse_count(raw: str | None) -> tuple[int | None, str]:
    """Parse a count tag such as ``lanes`` or ``tracks``.

    Returns ``(value, note)``. A plain positive whole number is the value (note ``""``); a
    list (``"2;3"``) or range (``"2-3"``) of them gives its smallest member, noted
    ``"smallest of '2;3'"``; a missing tag gives ``(None, "missing")`` and anything else
    (``"2.5"``, ``"many"``, ``"-1"``, ``"0"``) ``(None, "unparsed value '2.5'")``: flagged,
    never guessed.
    """
    if raw is None or raw.strip() == "":
        return None, "missing"
    text = raw.strip()
    values = _whole_numbers(text)
    if values is None or min(values) <= 0:
        return None, f"unparsed value {text!r}"
    if len(values) == 1:
        return values[0], ""
    return min(values), f"smallest of {text!r}"


def _whole_numbers(text: str) -> list[int] | None:
    """The whole numbers of ``"3"``, ``"2;3"`` or ``"2-3"``; None for anything else."""
    if _WHOLE.fullmatch(text):
        return [int(text)]
    span = _RANGE.fullmatch(text)
    if span:
        return [int(span.group(1)), int(span.group(2))]
    parts = [part.strip() for part in text.split(";")]
    if len(parts) > 1 and all(_WHOLE.fullmatch(part) for part in parts):
        return [int(part) for part in parts]
    return None


def parse_year(raw: str | None) -> int | None:
    """Return the first plausible year in an OSM date (``"2008-05-01"`` gives 2008)."""
    if not raw:
        return None
    match = _YEAR.search(raw)
    return int(match.group(1)) if match else None


def is_yes(raw: str | None) -> bool:
    """True for any OSM value that means the feature is one (``bridge=viaduct`` too)."""
    return raw not in (None, "", "no", "false", "0")
