"""What a planner reads of a feature or an interface, beside the counting fields.

The counting engine keeps what it counts: an interface's lanes, its lines, the ids of the
features it is made of. A popup or a planner's table also says what the *features* say:
their Chinese and English names, when they opened, closed or were widened, how accurate
their position is and how sure the identification, and where the facts come from. This
module gathers those facts, as values (no language, no HTML): :func:`feature_facts` of one
feature, :func:`interface_facts` of interfaces from the features named in their
``source_ids``.

Facts are read from the columns a source has; a column a source lacks (OpenStreetMap data
carry no ``accuracy_m``) leaves the fact unknown, never guessed:

``name_zh``, ``name_en``
    The names (an embedded dataset's columns; OpenStreetMap's ``name:zh`` and ``name:en``,
    :func:`layers.base.name_tags`); where one is empty, ``name`` stands for it when written
    in its script (Chinese characters for ``name_zh``, any other for ``name_en``).
``start_year``, ``works_start_year``, ``end_year``
    :func:`layers.base.lifecycle_years`.
``capacity_by_year``
    ``{"year": value}`` JSON (:mod:`geo.lifecycle`): each change of value is a widening or a
    narrowing in that year (for navigation grades a lower number is the bigger waterway).
``accuracy_m``, ``confidence``
    How far the drawn position may be from the real one (metres) and how sure the
    identification is (``high``, ``medium``, ``low``).
``source``
    Where the facts come from: items joined by `` | `` (the embedded dataset) or one text
    (``OpenStreetMap (ODbL)``); web addresses are in the text as written. An item written
    in both languages is ``English ‖ 中文`` (:data:`LANGUAGE_SEPARATOR`: a credit the build
    adds, such as GeoNames' or OpenStreetMap's); a reader shows the part of its language
    (:func:`source_in`). Other items (titles, quotes) are one text, shown as they are.
``oneway``, ``lanes_forward_raw``, ``lanes_backward_raw``
    A highway's direction and its lanes by direction as tagged.
``teu``, ``teu_by_year``
    A container port's yearly capacity (in the year shown, when the layer was read at a
    year: :func:`geo.lifecycle.value_at`), and its changes by year: an embedded dataset's
    port gives the design capacity of the phases open each year.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from geo.errors import layer_spec
from geo.interfaces import anchor_id
from geo.values import is_missing

#: Confidence of an identification, the least sure first.
CONFIDENCES: tuple[str, ...] = ("low", "medium", "high")

#: What separates the items of a ``source`` text.
SOURCE_SEPARATOR = " | "

#: What separates the English and the Chinese of one ``source`` item written in both. A
#: mark no source's own text uses (a title, a quote or an address holds `` | ``, `` / ``
#: and ``;``), so that an item in one language is never cut.
LANGUAGE_SEPARATOR = " ‖ "

#: Source items kept per feature or interface at most (a hostile file's text is bounded).
MAX_SOURCES = 20


@dataclass(frozen=True)
class CapacityChange:
    """A change of capacity in a year: ``before`` -> ``after`` (None when not known)."""

    year: int
    before: float | None
    after: float | None
    widened: bool


@dataclass(frozen=True)
class Facts:
    """What a person reads of a feature or an interface (see the module docstring).

    Attributes
    ----------
    name_zh, name_en
        The Chinese and English names ("" when not known).
    start_year
        The year it opened (or, under construction or proposed, is expected to open).
    works_start_year
        The year works started, for a feature under construction.
    end_year
        The year it ceased to be used.
    changes
        Its capacity's changes by year, oldest first.
    accuracy_m
        How far the drawn position may be from the real one, metres (the worst of an
        interface's features).
    confidence
        How sure the identification is (the least sure of an interface's features).
    sources
        Where the facts come from, each as written in the data.
    lanes_by_direction
        A highway's lanes one way and the other, when the data say so: its two one-way
        carriageways, or a two-way road's ``lanes:forward`` and ``lanes:backward``.
    two_way
        Whether the road is one line carrying both directions (so its lanes are both
        directions' together); None when not known or not a road.
    teu
        A container port's yearly capacity (TEU).
    teu_changes
        Its changes by year (``teu_by_year``), oldest first; empty when not known.
    """

    name_zh: str = ""
    name_en: str = ""
    start_year: int | None = None
    works_start_year: int | None = None
    end_year: int | None = None
    changes: tuple[CapacityChange, ...] = ()
    accuracy_m: float | None = None
    confidence: str = ""
    sources: tuple[str, ...] = ()
    lanes_by_direction: tuple[int, int] | None = None
    two_way: bool | None = None
    teu: int | None = None
    teu_changes: tuple[CapacityChange, ...] = ()


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _year(value: object) -> int | None:
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _number(value: object) -> float | None:
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _count(value: object) -> int | None:
    """A positive whole number of a raw tag such as ``lanes:forward=2``; else None."""
    text = _text(value)
    return int(text) if text.isdigit() and int(text) > 0 else None


def source_items(value: object) -> tuple[str, ...]:
    """The items of a ``source`` text (split on `` | ``), blanks and repeats dropped.

    Examples
    --------
    >>> source_items("zh.wikipedia 沪杭 (https://zh.wikipedia.org/x) | report: 沪杭 | ")
    ('zh.wikipedia 沪杭 (https://zh.wikipedia.org/x)', 'report: 沪杭')
    """
    text = value if isinstance(value, str) else ""
    items = (part.strip() for part in f" {text} ".split(SOURCE_SEPARATOR))
    return tuple(dict.fromkeys(i for i in items if i))[:MAX_SOURCES]


def bilingual_source(en: str, zh: str) -> str:
    """One ``source`` item in both languages: ``English ‖ 中文`` (:func:`source_in` reads it).

    Examples
    --------
    >>> bilingual_source("Rivers: Natural Earth", "河流：Natural Earth")
    'Rivers: Natural Earth ‖ 河流：Natural Earth'
    """
    return f"{en}{LANGUAGE_SEPARATOR}{zh}"


def source_in(item: str, lang: str) -> str:
    """The part of a ``source`` item in ``lang`` (``"en"`` or ``"zh"``); else the item.

    An item written in both (:func:`bilingual_source`) gives its English or its Chinese
    (the other when that one is empty); any other item is the same in both languages.

    Examples
    --------
    >>> item = "Rivers: Natural Earth ‖ 河流：Natural Earth"
    >>> source_in(item, "en"), source_in(item, "zh"), source_in("report: 沪杭", "en")
    ('Rivers: Natural Earth', '河流：Natural Earth', 'report: 沪杭')
    """
    if LANGUAGE_SEPARATOR not in item:
        return item
    en, zh = (part.strip() for part in item.split(LANGUAGE_SEPARATOR, 1))
    return (zh or en) if lang == "zh" else (en or zh)


def capacity_changes(raw: object, layer: str) -> tuple[CapacityChange, ...]:
    """The changes of a ``capacity_by_year`` JSON text, oldest first.

    The first year is the capacity it opened with, not a change. For a layer whose
    capacities are the smaller the better (navigation grades, ``capacity_total="min"``) a
    smaller number is a widening. Text that is not such an object gives no changes.

    Examples
    --------
    >>> [(c.year, c.before, c.after, c.widened)
    ...  for c in capacity_changes('{"1998": 4, "2005": 8}', "highways")]
    [(2005, 4.0, 8.0, True)]
    """
    if not isinstance(raw, str) or not raw.strip():
        return ()
    try:
        history = json.loads(raw)
        if not isinstance(history, dict):
            return ()
        steps = sorted((int(k), _number(v)) for k, v in history.items())
    except (ValueError, TypeError):
        return ()
    smaller_is_bigger = layer_spec(layer).capacity_total == "min"
    changes = []
    for (_, before), (year, after) in itertools.pairwise(steps):
        if before == after:
            continue
        known = before is not None and after is not None
        grew = known and (after < before if smaller_is_bigger else after > before)  # type: ignore[operator]
        changes.append(CapacityChange(year, before, after, bool(grew)))
    return tuple(changes)


def feature_facts(attrs: Mapping[str, Any]) -> Facts:
    """The facts of one feature, from its attributes (see the module docstring)."""
    name = _text(attrs.get("name"))
    zh, en = _text(attrs.get("name_zh")), _text(attrs.get("name_en"))
    # A name missing in one language is ``name`` when it is written in that one's script
    # (as the exports do: geo.pair_export.names_zh_en).
    if name and _is_chinese(name):
        zh = zh or name
    elif name:
        en = en or name
    confidence = _text(attrs.get("confidence")).lower()
    forward = _count(attrs.get("lanes_forward_raw"))
    backward = _count(attrs.get("lanes_backward_raw"))
    layer = _text(attrs.get("layer"))
    oneway = _year(attrs.get("oneway"))
    road = layer == "highways"
    return Facts(
        name_zh=zh,
        name_en=en,
        start_year=_year(attrs.get("start_year")),
        works_start_year=_year(attrs.get("works_start_year")),
        end_year=_year(attrs.get("end_year")),
        changes=capacity_changes(attrs.get("capacity_by_year"), layer) if layer else (),
        accuracy_m=_number(attrs.get("accuracy_m")),
        confidence=confidence if confidence in CONFIDENCES else "",
        sources=source_items(attrs.get("source")),
        lanes_by_direction=(forward, backward) if road and forward and backward else None,
        two_way=(oneway == 0) if road and oneway is not None else None,
        teu=_year(attrs.get("teu")),
        teu_changes=capacity_changes(attrs.get("teu_by_year"), "ports") if layer else (),
    )


def _is_chinese(text: str) -> bool:
    """Whether ``text`` holds a CJK ideograph."""
    return any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text)


def combined(parts: Sequence[Facts], interface: Mapping[str, Any]) -> Facts:
    """The facts of an interface from those of its features, the anchor first.

    Names, and the changes of an interface of one line, are the anchor's; it opened when
    its first line did and ceased when its last did (unknown unless all say); its accuracy
    is the worst and its confidence the least sure of its features'; the sources are all
    of theirs. Lanes by direction come from two one-way carriageways (their lanes) or a
    single two-way road's tags.
    """
    if not parts:
        return Facts()
    first = parts[0]
    starts = [p.start_year for p in parts if p.start_year is not None]
    ends = [p.end_year for p in parts if p.end_year is not None]
    accuracy = [p.accuracy_m for p in parts if p.accuracy_m is not None]
    sure = [p.confidence for p in parts if p.confidence]
    by_direction = first.lanes_by_direction if len(parts) == 1 else None
    per = interface.get("lanes_per_carriageway")
    per_line = [] if per is None or isinstance(per, str) else list(per)
    if (
        len(parts) == 2
        and len(per_line) == 2
        and all(p.two_way is False for p in parts)
        and all(not is_missing(v) for v in per_line)
    ):
        by_direction = (int(per_line[0]), int(per_line[1]))
    return Facts(
        name_zh=next((p.name_zh for p in parts if p.name_zh), ""),
        name_en=next((p.name_en for p in parts if p.name_en), ""),
        start_year=min(starts) if starts else None,
        works_start_year=first.works_start_year,
        end_year=max(ends) if len(ends) == len(parts) else None,
        changes=first.changes if len(parts) == 1 else (),
        accuracy_m=max(accuracy) if accuracy else None,
        confidence=min(sure, key=CONFIDENCES.index) if sure else "",
        sources=tuple(dict.fromkeys(s for p in parts for s in p.sources))[:MAX_SOURCES],
        lanes_by_direction=by_direction,
        two_way=first.two_way if len(parts) == 1 else None,
        teu=first.teu,
        teu_changes=first.teu_changes if len(parts) == 1 else (),
    )


def _ids(value: object) -> list[str]:
    """An interface's ``source_ids``: a ``;``-separated text or a list."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v)]
    return [s for s in str(value or "").split(";") if s]


def interface_facts(
    interfaces: pd.DataFrame, layers: Mapping[str, pd.DataFrame]
) -> list[Facts]:
    """The facts of each interface, in order, from the features of ``layers`` it names.

    Only the features the interfaces name are read, in the interface's own layer (ids are
    unique within a layer only). A feature an interface names but the
    layers lack is left out; an interface none of whose features are there gets empty facts.
    """
    if interfaces.empty:
        return []
    listed = [_ids(v) for v in interfaces["source_ids"]]
    layer_of = [str(v) for v in interfaces["layer"]]
    wanted: dict[str, set[str]] = {}
    for layer, ids in zip(layer_of, listed):
        wanted.setdefault(layer, set()).update(ids)
    features: dict[tuple[str, str], Facts] = {}
    for layer, kept in wanted.items():
        frame = layers.get(layer)
        if frame is None or frame.empty or "id" not in frame.columns:
            continue
        rows = frame[frame["id"].astype(str).isin(kept)]
        rows = rows.drop(columns=[c for c in rows.columns if c == "geometry"])
        for attrs in rows.to_dict("records"):
            features[layer, str(attrs["id"])] = feature_facts(attrs)
    out = []
    for layer, ids, attrs in zip(layer_of, listed, interfaces.to_dict("records")):
        anchor = anchor_id(";".join(ids))
        ordered = sorted(ids, key=lambda i: i != anchor)  # the anchor first, then as listed
        out.append(combined([features[layer, i] for i in ordered if (layer, i) in features], attrs))
    return out


__all__ = [
    "CONFIDENCES",
    "LANGUAGE_SEPARATOR",
    "SOURCE_SEPARATOR",
    "CapacityChange",
    "Facts",
    "bilingual_source",
    "capacity_changes",
    "combined",
    "feature_facts",
    "interface_facts",
    "source_in",
    "source_items",
]
