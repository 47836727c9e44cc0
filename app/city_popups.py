"""Tooltips and popups of the cities layer: a city's figures, quoting the report.

A city of the embedded dataset (:mod:`layers.cities`) carries the figures a document gives
of it, each with the document's Chinese words and an English translation (``figures``, a
JSON list written by ``scripts/build_sites.py``). Its popup lists each figure in the page's
language (``142.7 亿元`` / ``14.27 billion yuan``), the period it covers, and the quote in
both languages, whatever the page's: the quote is the evidence. Every text from the data is
escaped (:func:`app.map_html.escape_text`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from app.labels import say
from app.language import current
from app.map_html import escape_text
from app.popups import names_of, sources_html
from geo.feature_facts import Facts

#: Figures listed in a popup at most (a hostile file's text is bounded).
MAX_FIGURES = 20


def figures(attrs: Mapping[str, Any]) -> list[dict[str, str]]:
    """A city's figures (``figures`` JSON), or none when absent or not such a list."""
    raw = attrs.get("figures")
    if not isinstance(raw, str) or not raw.strip():
        return []
    try:
        rows = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(rows, list):
        return []
    return [
        {str(k): str(v) for k, v in row.items()}
        for row in rows[:MAX_FIGURES]
        if isinstance(row, dict)
    ]


def _plain(number: float) -> str:
    """``14.27`` as ``14.27``, ``5.0`` as ``5``, grouped thousands."""
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return text


def figure_text(row: Mapping[str, str]) -> str:
    """A figure in the page's language: ``about 4 billion yuan`` / ``约 40 亿元``."""
    try:
        value = float(row.get("value", ""))
    except ValueError:
        return str(row.get("value", ""))
    unit = row.get("unit", "")
    zh = current() == "zh"
    if unit == "yuan":
        text = say("v_yuan", n=_plain(value / (1e8 if zh else 1e9)))
    elif unit == "projects":
        text = say("v_projects", n=_plain(value))
    elif unit == "percent":
        text = f"{_plain(value)}%"  # the same sign in both languages
    else:
        text = f"{_plain(value)} {unit}".strip()
    qualifier = {"about": "q_about", "more than": "q_more_than"}.get(row.get("qualifier", ""))
    return say(qualifier, v=text) if qualifier else text


def _measure(row: Mapping[str, str]) -> str:
    key = f"city_{row.get('measure', '')}"
    try:
        return say(key)
    except KeyError:
        return str(row.get("measure", ""))


def city_tip(attrs: Mapping[str, Any], facts: Facts) -> str:
    """Tooltip HTML: the city's names, then its first two figures."""
    first, second = names_of(attrs, facts)
    head = f"<b>{escape_text(first)}</b>" + (f" {escape_text(second)}" if second else "")
    shown = [f"{_measure(r)} {figure_text(r)}" for r in figures(attrs)[:2]]
    joiner = "；" if current() == "zh" else " · "
    return f"{head}<br>{escape_text(joiner.join(shown))}"


def city_popup(attrs: Mapping[str, Any], facts: Facts) -> str:
    """Popup HTML: each figure, its period and the report's words in both languages."""
    first, second = names_of(attrs, facts)
    head = f"<b>{escape_text(first)}</b>"
    if second:
        head += f'<br><span class="jiegui-note">{escape_text(second)}</span>'
    rows = []
    for row in figures(attrs):
        period = row.get("period_zh") if current() == "zh" else row.get("period")
        quote = (
            f'<div class="jiegui-quote" lang="zh">「{escape_text(row.get("quote_zh", ""))}」</div>'
            f'<div class="jiegui-quote" lang="en">“{escape_text(row.get("quote_en", ""))}”</div>'
        )
        when = f'<span class="jiegui-note">({escape_text(period or "")})</span>'
        rows.append(
            f"<tr><th>{escape_text(_measure(row))}</th><td><b>{escape_text(figure_text(row))}"
            f"</b> {when}{quote}</td></tr>"
        )
    sources = facts.sources
    if sources:
        field = escape_text(say("f_sources"))
        rows.append(f"<tr><th>{field}</th><td>{sources_html(sources)}</td></tr>")
    footer = escape_text(say("city_footer", id=attrs.get("id") or ""))
    return (
        f'<div class="jiegui-popup">{head}<table>{"".join(rows)}</table>'
        f'<div class="jiegui-note">{footer}</div></div>'
    )
