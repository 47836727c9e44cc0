"""Every text a page run shows, collected from Streamlit's test harness (AppTest).

:func:`page_texts` walks the element tree of a run and gathers what a person reads: titles,
headers, captions, markdown, labels, help texts, options, placeholders, buttons, metrics,
expanders, badges, errors, and each table's headers (the column's label where the page
sets one) and words. :func:`english_words` and :func:`chinese_runs` find what is in the
other language, for the tests of the language switch (tests/test_language.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message

#: Proto fields that hold no text a person reads (ids, keys, formats, data, scripts).
SKIPPED_FIELDS = frozenset(
    {
        "id", "form_id", "key", "type", "format", "data", "url", "json_args", "spec",
        "columns", "component_name", "arrow_data", "raw_value", "query_param_key",
        "icon", "color", "default", "value", "background_color", "style", "css_class",
        "deprecated_url", "file_name", "mime", "min", "max", "step", "tag",
        "deferred_file_id",
    }
)  # fmt: skip

#: Table columns that hold data shown as the data have it (ids, route numbers, coordinates,
#: the features' sources), not words of the page.
DATA_COLUMNS = frozenset({"id", "ref", "source_ids", "sources", "lon", "lat"})


@dataclass(frozen=True)
class Shown:
    """One text of the page: what element shows it, and the text."""

    element: str
    text: str


def _strings(message: Message, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string of a proto message and its sub-messages, with its field's name."""
    for field, value in message.ListFields():
        if field.name in SKIPPED_FIELDS:
            continue
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item, f"{path}{field.name}.")
            elif isinstance(item, str) and item.strip():
                yield f"{path}{field.name}", item


def _table_texts(node: Any) -> Iterator[tuple[str, str]]:
    """A table's headers (its columns' labels where set) and the words of its cells."""
    config = json.loads(node.proto.columns) if node.proto.columns else {}
    frame = node.value
    shown = list(node.proto.column_order) or list(frame.columns)  # the columns shown
    for column in [c for c in frame.columns if c in shown]:
        label = (config.get(f"name:{column}") or config.get(str(column)) or {}).get("label")
        yield "header", str(label or column)
        if str(column) in DATA_COLUMNS or frame[column].dtype.kind in "biufcM":
            continue
        for cell in dict.fromkeys(c for c in frame[column] if isinstance(c, str) and c.strip()):
            yield f"cell {column}", cell


#: Keys of a Vega-Lite spec whose strings are read: titles, and the orders of categories.
CHART_KEYS = frozenset({"title", "subtitle", "text", "sort", "domain"})


def _chart_texts(spec: object, key: str = "") -> Iterator[tuple[str, str]]:
    """The titles, legend and axis titles and category names of a chart's spec."""
    if isinstance(spec, dict):
        for name, value in spec.items():
            yield from _chart_texts(value, name)
    elif isinstance(spec, list):
        for item in spec:
            yield from _chart_texts(item, key)
    elif isinstance(spec, str) and key in CHART_KEYS and spec.strip():
        yield key, spec


_STYLE_ONLY = re.compile(r"\s*(?:<style[^>]*>.*?</style>\s*)+", re.DOTALL | re.IGNORECASE)
_CSS_CONTENT = re.compile(r'content:\s*"((?:[^"\\]|\\.)*)"')


def _css_texts(body: str) -> Iterator[str]:
    """The texts a style sheet shows (its ``content: "..."``), its escapes undone."""
    for match in _CSS_CONTENT.finditer(body):
        yield re.sub(
            r"\\([0-9a-fA-F]{1,6}) ?|\\(.)",
            lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2),
            match.group(1),
        )


def page_texts(at: Any) -> list[Shown]:
    """Every text the last run of ``at`` (an ``AppTest``) shows, element by element."""
    found: list[Shown] = []

    def walk(node: Any) -> None:
        kind = type(node).__name__
        proto = getattr(node, "proto", None)
        if kind == "Dataframe":
            found.extend(Shown(f"Dataframe {where}", text) for where, text in _table_texts(node))
        elif isinstance(proto, Message) and "spec" in proto.DESCRIPTOR.fields_by_name:
            spec = json.loads(proto.spec) if proto.spec else {}
            found.extend(Shown(f"Chart {where}", text) for where, text in _chart_texts(spec))
        elif kind == "Html" and _STYLE_ONLY.fullmatch(getattr(proto, "body", "") or ""):
            # A style sheet only (Streamlit draws no element): what its ``content`` shows.
            found.extend(Shown("Html css content", text) for text in _css_texts(proto.body))
        elif kind not in ("UnknownElement", "Code") and isinstance(proto, Message):  # code as code
            found.extend(Shown(f"{kind} {where}", text) for where, text in _strings(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def readable(text: str) -> str:
    """Markdown as read: escapes, code spans, emphasis and colour directives removed."""
    text = re.sub(r"`[^`]*`", " ", text)  # commands and code, shown as code
    text = re.sub(r"https?://\S+", " ", text)  # addresses
    text = re.sub(r":[\w-]+\[([^\]]*)\]", r"\1", text)  # :gray[...], :orange-badge[...]
    text = re.sub(r"\\(.)", r"\1", text)
    return text.replace("**", "")


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.'][A-Za-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def english_words(
    text: str, allowed: frozenset[str], patterns: tuple[re.Pattern[str], ...]
) -> list[str]:
    """The words of Latin letters in ``text`` that are neither ``allowed`` (any case) nor match."""
    words = _WORD.findall(readable(text))
    return [
        w for w in words
        if w.lower() not in allowed and not any(p.fullmatch(w) for p in patterns)
    ]  # fmt: skip


def chinese_runs(text: str) -> list[str]:
    """The runs of Chinese characters in ``text``."""
    return _CJK.findall(readable(text))


#: English words that only an English sentence holds (never a name, option or unit).
_ENGLISH_SENTENCE_WORDS = frozenset(
    {
        "the", "is", "are", "was", "not", "no", "give", "choose", "of", "to", "in", "an",
        "and", "or", "with", "has", "have", "holds", "cannot", "could", "must", "did", "you",
        "mean", "does", "check", "add", "drop", "use", "file", "files", "there", "than",
        "which",
    }
)  # fmt: skip


def outside_quotes(text: str) -> str:
    """The text without what it quotes ('…'), options (--x), commands and file kinds."""
    text = re.sub(r"'[^']*'", " ", text)
    text = re.sub(r"--[\w-]+", " ", text)
    return text


def english_sentence_words(text: str) -> list[str]:
    """Words of an English sentence left in a text meant to be Chinese."""
    tokens = re.findall(r"[A-Za-z0-9_.+/=:-]+", outside_quotes(text))  # as_of is one name
    return [w for w in tokens if w.isalpha() and w.lower() in _ENGLISH_SENTENCE_WORDS]


#: A port's phase in Chinese numerals (``一期泊位``; the English line's ``berths_phase1``).
_PHASE_ZH = re.compile(r"([一二三四五六七八九])期")


def phases_in_digits(text: str) -> str:
    """``一期`` as ``1期``: a line's digits compared with the English line's, phase included.

    >>> phases_in_digits("一期泊位 15")
    '1期泊位 15'
    """
    return _PHASE_ZH.sub(lambda m: f"{'一二三四五六七八九'.index(m[1]) + 1}期", text)
