"""The map's tooltips and popups: what a planner reads of a feature or an interface.

A popup says, in the page's language (:func:`app.language.current`): the name in Chinese and
English, the route number, the border, the kind of link, its status and the year it opened
(or is expected to; when works started, when it closed, when it was widened), its size
(lanes in total and by direction or carriageway, tracks, the navigation grade as ``IV`` /
``IV级``, the pipe's diameter, a port's berths and TEU), bridge or tunnel, how accurate the
drawn position is and how sure the identification, and its sources, whose web addresses are
links (a credit written in both languages shows the page's). The engine's fields (line
counts, feature ids) stay out of it, but for a small line naming the interface and its place.
Tooltips are the short form: name, size, status.

The facts come from :mod:`geo.feature_facts`; field names and words from
:mod:`app.labels`, :mod:`geo.labels`. Every text from data is escaped
(:func:`app.map_html.escape_text`); a web address becomes a link only when it is ``http`` or
``https`` with a host and no user name (:func:`safe_url`), opening in a new tab with
``rel="noopener noreferrer"``; anything else is shown as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from app.labels import say
from app.language import current
from app.map_html import escape_text
from geo.feature_facts import Facts, source_in
from geo.labels import (
    CONFIDENCE_LABELS,
    LAYER_LABELS,
    class_label,
    grade_text,
    status_label,
)
from geo.values import is_missing
from layers import LayerSpec

#: What looks like a web address in a source's text; :func:`safe_url` decides.
_URL = re.compile(r"https?://[^\s<>\"'`()（）\[\]{}，。；、]+", re.IGNORECASE)
#: Punctuation that ends a sentence rather than an address.
_TRAILING = ".,;:!?"
#: Longest web address made a link.
MAX_URL = 2000


# ------------------------------------------------------------------------------ links


def safe_url(candidate: str) -> str | None:
    """``candidate`` when it may be a link: ``http(s)``, a host, no user name; else None.

    Examples
    --------
    >>> safe_url("https://zh.wikipedia.org/wiki/沪杭高速公路")
    'https://zh.wikipedia.org/wiki/沪杭高速公路'
    >>> safe_url("javascript:alert(1)"), safe_url("https://user:pw@evil.example/")
    (None, None)
    """
    if len(candidate) > MAX_URL or any(ord(c) < 33 for c in candidate):
        return None
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or "@" in parts.netloc:
        return None
    return candidate


def link_text(text: str) -> str:
    """``text`` escaped, with each ``http(s)`` address in it a link to a new tab.

    Examples
    --------
    >>> link_text("wiki (https://a.example/x?y=1&z=2): <b>")
    'wiki (<a href="https://a.example/x?y=1&amp;z=2" target="_blank" \
rel="noopener noreferrer">https://a.example/x?y=1&amp;z=2</a>): &lt;b&gt;'
    """
    out: list[str] = []
    at = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        if safe_url(url) is None:
            continue
        out.append(escape_text(text[at : match.start()]))
        href = escape_text(url)
        out.append(f'<a href="{href}" target="_blank" rel="noopener noreferrer">{href}</a>')
        at = end
    out.append(escape_text(text[at:]))
    return "".join(out)


def sources_html(sources: Sequence[str]) -> str:
    """The sources as a numbered list, their web addresses links (:func:`link_text`).

    An item written in both languages (a credit: ``English ‖ 中文``) is shown in the page's
    language only (:func:`geo.feature_facts.source_in`); the others as the data have them.
    """
    shown = dict.fromkeys(source_in(s, current()) for s in sources)
    items = "".join(f"<li>{link_text(s)}</li>" for s in shown)
    return f'<ol class="jiegui-sources">{items}</ol>'


# ----------------------------------------------------------------------------- values


def _number(value: object, *, grouped: bool = True) -> str:
    """``4.0`` as ``4``, ``2200000`` as ``2,200,000`` (``grouped``); others as they are."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if grouped else str(value)
    return str(value)


def _word(labels: Mapping[str, Mapping[str, str]], key: object) -> str:
    """A label in the page's language, or the key as written."""
    found = labels.get(str(key))
    return found[current()] if found else str(key or "")


def region_label(name: object, names: Mapping[str, tuple[str, str]]) -> str:
    """A region's name in the page's language (``names``: ``{name: (zh, en)}``), else as is."""
    zh, en = names.get(str(name), ("", ""))
    chosen = zh if current() == "zh" else en
    return chosen or str(name or "")


def names_of(attrs: Mapping[str, Any], facts: Facts) -> tuple[str, str]:
    """The name in the page's language first, the other language's second ("" if none)."""
    zh, en = facts.name_zh, facts.name_en
    if not zh and not en:
        name = str(attrs.get("name") or "")
        return name or say("v_unnamed"), ""
    first, second = (zh, en) if current() == "zh" else (en, zh)
    return (first or second), (second if first and second != first else "")


def _ref(attrs: Mapping[str, Any]) -> str:
    return str(attrs.get("ref") or "").replace(";", " / ")


def _grade(value: object) -> str:
    text = grade_text(value, current())
    return say("v_grade", grade=text) if text else say("v_unknown")


def size_rows(
    spec: LayerSpec, attrs: Mapping[str, Any], facts: Facts, *, interface: bool
) -> list[tuple[str, str]]:
    """The size of a link: lanes, tracks, grade, diameter, berths and TEU, as table rows.

    ``attrs`` are an interface's (``lanes``, ``lanes_per_carriageway``, ``capacity``) when
    ``interface``, else a feature's (``capacity``).
    """
    total = attrs.get("lanes") if interface and spec.name == "highways" else attrs.get("capacity")
    unknown = say("v_unknown")
    if spec.name == "highways":
        if is_missing(total):
            return [(say("f_lanes"), unknown)]
        shown = _number(total)
        per = attrs.get("lanes_per_carriageway") if interface else None
        lines = [] if per is None or isinstance(per, str) else list(per)
        if facts.lanes_by_direction is not None:
            a, b = facts.lanes_by_direction
            shown = say("v_lanes_by_direction", total=shown, a=a, b=b)
        elif len(lines) > 1:
            per_text = " + ".join("?" if is_missing(v) else _number(v) for v in lines)
            shown = say("v_lanes_per_line", total=shown, per=per_text)
        elif facts.two_way:
            shown = say("v_lanes_two_way", total=shown)
        return [(say("f_lanes"), shown)]
    if spec.name == "railways":
        return [(say("f_tracks"), unknown if is_missing(total) else _number(total))]
    if spec.name == "waterways":
        return [(say("f_grade"), _grade(total))]
    if spec.name == "pipelines":
        mm = unknown if is_missing(total) else say("v_mm", mm=_number(total, grouped=False))
        return [(say("f_diameter"), mm)]
    if spec.name == "ports":
        rows = [(say("f_berths"), unknown if is_missing(total) else _number(total))]
        if facts.teu is not None:
            rows.append((say("f_teu"), say("v_teu", teu=_number(facts.teu))))
        for change in facts.teu_changes:
            before, after = _change(spec, change.before, change.after)
            rows.append((say("f_teu_changed"), say("v_change", year=change.year, before=before,
                                                   after=after)))
        return rows
    unit = spec.capacity_unit.replace("_", " ")
    return [(unit, unknown if is_missing(total) else _number(total))]


def size_text(spec: LayerSpec, value: object) -> str:
    """A capacity in a few words: ``8 lanes``/``8车道``, ``2 tracks``, ``IV``/``IV级``."""
    if is_missing(value):
        return say("v_unknown")
    if spec.name == "highways":
        return say("v_lanes_1") if _number(value) == "1" else say("v_lanes_n", n=_number(value))
    if spec.name == "railways":
        return say("v_tracks_1") if _number(value) == "1" else say("v_tracks_n", n=_number(value))
    if spec.name == "waterways":
        return grade_text(value, current()) or say("v_unknown")
    if spec.name == "pipelines":
        return say("v_mm", mm=_number(value, grouped=False))
    if spec.name == "ports":
        return say("v_berths_n", n=_number(value))
    return f"{_number(value)} {spec.capacity_unit.replace('_', ' ')}"


def _change(spec: LayerSpec, before: float | None, after: float | None) -> tuple[str, str]:
    def one(value: float | None) -> str:
        if value is None:
            return "?"
        if spec.name == "waterways":
            return grade_text(value, current()) or "?"
        return _number(value)

    return one(before), one(after)


def life_rows(attrs: Mapping[str, Any], facts: Facts, spec: LayerSpec) -> list[tuple[str, str]]:
    """Status, and the years it opened (or is expected to), started, closed, changed."""
    status = str(attrs.get("status") or "")
    rows = [(say("f_status"), status_label(spec.name, status, current()))] if status else []
    planned = status in ("construction", "proposed")
    if facts.works_start_year is not None:
        rows.append((say("f_works"), str(facts.works_start_year)))
    if facts.start_year is not None:
        rows.append((say("f_expected" if planned else "f_opened"), str(facts.start_year)))
    for change in facts.changes:
        before, after = _change(spec, change.before, change.after)
        known = change.before is not None and change.after is not None
        key = ("f_widened" if change.widened else "f_narrowed") if known else "f_changed"
        rows.append((say(key), say("v_change", year=change.year, before=before, after=after)))
    if facts.end_year is not None:
        rows.append((say("f_closed"), str(facts.end_year)))
    return rows


def quality_rows(attrs: Mapping[str, Any], facts: Facts) -> list[tuple[str, str]]:
    """Bridge or tunnel, the position's accuracy and the identification's confidence."""
    structure = [
        say(key)
        for key, on in (
            ("v_bridge", attrs.get("bridge")),
            ("v_tunnel", attrs.get("tunnel")),
            ("v_over_water", attrs.get("via") == "water"),
        )
        if not is_missing(on) and bool(on)
    ]
    joiner = "、" if current() == "zh" else ", "
    rows = [(say("f_structure"), joiner.join(structure))] if structure else []
    if facts.accuracy_m is not None:
        rows.append((say("f_accuracy"), say("v_metres", m=_number(round(facts.accuracy_m)))))
    if facts.confidence:
        rows.append((say("f_confidence"), _word(CONFIDENCE_LABELS, facts.confidence)))
    return rows


def _kind(spec: LayerSpec, attrs: Mapping[str, Any]) -> str:
    layer = _word(LAYER_LABELS, spec.name)
    cls = class_label(spec.name, attrs.get("class"), current())
    return f"{layer} · {cls}" if cls else layer


def _table(rows: Sequence[tuple[str, str]]) -> str:
    """Rows of already escaped or built HTML: ``(field, value)``; empty values left out."""
    return "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows if v)


def _escaped(rows: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(escape_text(k), escape_text(v)) for k, v in rows]


def _head(attrs: Mapping[str, Any], facts: Facts) -> str:
    first, second = names_of(attrs, facts)
    extra = f'<br><span class="jiegui-note">{escape_text(second)}</span>' if second else ""
    return f"<b>{escape_text(first)}</b>{extra}"


# ---------------------------------------------------------------------------- features


def feature_tip(attrs: Mapping[str, Any], facts: Facts, spec: LayerSpec) -> str:
    """Tooltip HTML of a drawn feature: its names, then class, size, status and year."""
    ref = _ref(attrs)
    details = [
        class_label(spec.name, attrs.get("class"), current()),
        size_text(spec, attrs.get("capacity")),
        status_label(spec.name, attrs.get("status"), current()) if attrs.get("status") else "",
    ]
    if facts.start_year is not None:
        planned = attrs.get("status") in ("construction", "proposed")
        details.append(say("v_from" if planned else "v_since", year=facts.start_year))
    details += [v for _, v in quality_rows(attrs, Facts())]  # bridge, tunnel
    head = _head(attrs, facts)
    if ref:
        head = f"<b>{escape_text(ref)}</b> {head}"
    return f"{head}<br>{escape_text(' · '.join(d for d in details if d))}"


def says_more(facts: Facts) -> bool:
    """Whether a feature's popup would say more than its tooltip.

    It does when the data give when works started, when it closed or changed, how accurate
    or how sure it is, or more than one source or a web address. OpenStreetMap's lines say
    none of it: they get their tooltip only (which names bridge and tunnel), so that a map of
    thousands of lines does not carry a popup for each (about 380 bytes apiece, measured on
    the Andorra extract: 490 kB for its 1,290 lines).
    """
    return bool(
        facts.accuracy_m is not None
        or facts.confidence
        or facts.changes
        or facts.end_year is not None
        or facts.works_start_year is not None
        or len(facts.sources) > 1
        or any(_URL.search(s) for s in facts.sources)
    )


def feature_popup(attrs: Mapping[str, Any], facts: Facts, spec: LayerSpec) -> str:
    """Popup HTML of a drawn feature (see the module docstring)."""
    rows = _escaped(
        [
            (say("f_route_number"), _ref(attrs)),
            (say("f_kind"), _kind(spec, attrs)),
            *life_rows(attrs, facts, spec),
            *size_rows(spec, attrs, facts, interface=False),
            *quality_rows(attrs, facts),
        ]
    )
    if facts.sources:
        rows.append((escape_text(say("f_sources")), sources_html(facts.sources)))
    footer = escape_text(say("feature_footer", id=attrs.get("id") or ""))
    return (
        f'<div class="jiegui-popup">{_head(attrs, facts)}<table>{_table(rows)}</table>'
        f'<div class="jiegui-note">{footer}</div></div>'
    )


# -------------------------------------------------------------------------- interfaces


def border_text(attrs: Mapping[str, Any], names: Mapping[str, tuple[str, str]]) -> str:
    """``Zhejiang – Shanghai`` (``浙江省 – 上海市`` in Chinese)."""
    return f"{region_label(attrs.get('a'), names)} – {region_label(attrs.get('b'), names)}"


def interface_tip(
    attrs: Mapping[str, Any], facts: Facts, spec: LayerSpec, names: Mapping[str, tuple[str, str]]
) -> str:
    """Tooltip HTML of an interface: route, size, class, border and id (all escaped)."""
    ref = _ref(attrs)
    head = _head(attrs, facts)
    if ref:
        head = f"<b>{escape_text(ref)}</b> {head}"
    value = attrs.get("lanes") if spec.name == "highways" else attrs.get("capacity")
    details = " · ".join(
        d for d in (size_text(spec, value), class_label(spec.name, attrs.get("class"), current()))
        if d
    )
    where = f"{border_text(attrs, names)} · {attrs.get('id')}"
    return f"{head}<br>{escape_text(details)}<br>{escape_text(where)}"


def interface_popup(
    attrs: Mapping[str, Any], facts: Facts, spec: LayerSpec, names: Mapping[str, tuple[str, str]]
) -> str:
    """Popup HTML of an interface (see the module docstring): a planner's facts, escaped."""
    rows = _escaped(
        [
            (say("f_route_number"), _ref(attrs)),
            (say("f_border"), border_text(attrs, names)),
            (say("f_kind"), _kind(spec, attrs)),
            *life_rows(attrs, facts, spec),
            *size_rows(spec, attrs, facts, interface=True),
            *quality_rows(attrs, facts),
        ]
    )
    if facts.sources:
        rows.append((escape_text(say("f_sources")), sources_html(facts.sources)))
    lat, lon = attrs.get("lat"), attrs.get("lon")
    place = str(attrs.get("id") or "")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        place = say("popup_footer", id=place, lat=f"{lat:.5f}", lon=f"{lon:.5f}")
    return (
        f'<div class="jiegui-popup">{_head(attrs, facts)}<table>{_table(rows)}</table>'
        f'<div class="jiegui-note">{escape_text(place)}</div></div>'
    )
