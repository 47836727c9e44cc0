"""Every text of the page's two-year comparison and timeline, in English and Chinese.

Each text a person reads in :mod:`app.compare_view`, :mod:`app.timeline_view`,
:mod:`app.compare_map` and :mod:`app.timeline_chart` is written here once, as a
:class:`geo.text.Bilingual`, and read through :func:`text` in the page's language
(:func:`app.language.current`, which the page's switch sets); :func:`both` (``"opened ·
新增"``) gives a label in both languages, for text that must carry both. Words the border
tables already have (layers, kinds of change, statuses, headers) come from
:mod:`geo.labels` and are not repeated here.

Templates take their values by name (``{year}``); values are inserted as they are, never
read as a template themselves, so a region's name cannot change the text around it. Text
from data is escaped where it is shown (:func:`app.page_text.md`,
:func:`app.map_html.escape_text`), not here. Nothing here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.language import current
from geo.labels import Language, year_span
from geo.text import Bilingual

#: Between the English and the Chinese of a short label shown in both.
JOINER = " · "
#: Between the items of a list in a sentence (layers, years): the Chinese 顿号.
LIST_JOINER: dict[str, str] = {"en": ", ", "zh": "、"}
#: Between sentences: a space in English, nothing after a Chinese full stop.
SENTENCE_JOINER: dict[str, str] = {"en": " ", "zh": ""}

TEXTS: dict[str, Bilingual] = {
    # --------------------------------------------------------------------- the sidebar
    "compare_with": Bilingual("Compare with year", "对比年份"),
    "compare_none": Bilingual("none", "不对比"),
    "compare_help": Bilingual(
        "Another year to set beside the one on the slider: the cards then show both "
        "figures and the change, the map rings the interfaces that opened, changed or "
        "closed in between, and a table lists them with the year each happened.",
        "与滑块所选年份对比的另一年份：卡片显示两年的数值及变化，地图圈出其间新增、变化或撤销的接口，"
        "表格列出每项变化及其发生年份。",
    ),
    # ----------------------------------------------------------------------- the cards
    "card_title": Bilingual("Change {a} → {b}", "{a}—{b} 年变化"),
    "card_note": Bilingual(
        "Each cell: {a} → {b} (change), counting links {basis}.",
        "每格：{a} 年 → {b} 年（变化），口径：{basis}。",
    ),
    "not_covered": Bilingual("not covered", "未覆盖"),
    # Under the card: its own title, not the cards' nor the overview's (one page).
    "card_coverage": Bilingual(
        "What the data cover in {a} and {b}", "{a} 年与 {b} 年的数据覆盖范围"
    ),
    "note_of_year": Bilingual("In {year}: {note}", "{year} 年：{note}"),
    "better": Bilingual("better", "提升"),
    "worse": Bilingual("worse", "下降"),
    "same_year": Bilingual(
        "{year} is the year on the slider: choose another year to compare with.",
        "{year} 年即滑块所选年份：请选择另一年份进行对比。",
    ),
    # ------------------------------------------------------------------------- the map
    "legend_title": Bilingual("Compared with {year}", "与 {year} 年对比"),
    "ring_opened": Bilingual("opened", "新增"),
    "ring_changed": Bilingual("changed", "变化"),
    "ring_closed": Bilingual("closed", "撤销"),
    "ring_dashed": Bilingual("dashed: not on this map ({year})", "虚线：本图（{year} 年）中没有"),
    "ring_tip_absent": Bilingual("not on this map ({year})", "本图（{year} 年）中没有"),
    # ------------------------------------------------------------------ what changed
    "changes_title": Bilingual("What changed", "变化情况"),
    "changes_caption": Bilingual(
        "{caption}. Interfaces are matched across the years by their id; one row per kind "
        "of change, with the year(s) it happened (from the features' opening, closing and "
        "capacity dates; empty where the data do not date it) and the sources the data cite. "
        'A new interface is "opened" in the year it opened, or "construction started" '
        "in the year works began when it is still being built. "
        "Ringed on the map: green opened, orange changed, pink closed.",
        "{caption}。接口按编号跨年份匹配；每种变化一行，附发生年份（依据要素的开通、关闭和能力变化日期；"
        "数据未注明时为空）及数据引用的来源。新增接口已通车的，记其通车年份；仍在建的记为“新开工”，"
        "记其开工年份。地图上：绿圈为新增，橙圈为变化，粉圈为撤销。",
    ),
    "nothing_changed": Bilingual(
        "Nothing changed between {a} and {b} on {border} in the layers and statuses counted.",
        "{a} 年至 {b} 年间，{border} 在所计图层和状态下没有变化。",
    ),
    "col_border": Bilingual("Border", "边界"),
    "col_layer": Bilingual("Layer", "图层"),
    "col_change": Bilingual("Change", "变化"),
    "col_link": Bilingual("Link", "线路"),
    "col_before": Bilingual("In {year}", "{year} 年"),
    "col_after": Bilingual("In {year}", "{year} 年"),
    "col_years": Bilingual("Year(s)", "发生年份"),
    "col_sources": Bilingual("Sources", "来源"),
    "col_id": Bilingual("Interface id", "接口编号"),
    "absent": Bilingual("—", "—"),
    "grade": Bilingual("grade {grade}", "{grade} 级"),
    "unknown": Bilingual("unknown", "未知"),
    "mm": Bilingual("mm", "毫米"),
    "spinner_history": Bilingual("Counting every year…", "正在逐年计数…"),
    "compare_csv": Bilingual("Comparison (CSV)", "对比（CSV）"),
    "compare_json": Bilingual("Comparison (JSON)", "对比（JSON）"),
    "compare_export_note": Bilingual(
        "The comparison of {border} as the command line gives it ({command}): the counts, "
        "then the changes; CSV in UTF-8 for Excel.",
        "{border} 的对比，与命令行输出相同（{command}）：先计数，后变化；CSV 为 UTF-8 编码，"
        "可用 Excel 打开。",
    ),
    # ------------------------------------------------------------------- the timeline
    "growth_title": Bilingual("Growth over time", "历年增长"),
    "growth_caption": Bilingual(
        "{caption}. Each line holds its value until the next year it changes.",
        "{caption}。每条线保持其数值直至下一次变化。",
    ),
    "growth_summed": Bilingual(
        "Added up over the borders of {region} that the data cover; a route crossing two "
        "borders counts on each. The CSV has each border's rows.",
        "为 {region} 各已覆盖边界之和；跨两条边界的线路在每条边界各计一次。CSV 含每条边界的数据。",
    ),
    "growth_documented": Bilingual(
        "◆ the figures the report gives, counting {basis} (the line counts {counted}); "
        "point at one for its quote.",
        "◆ 为文件给出的数值，口径为{basis}（曲线口径为{counted}）；指向可见原文。",
    ),
    "growth_documented_all": Bilingual(
        "The report's figures are per border: choose a neighbour to see them on the chart.",
        "文件数值按边界给出：请选择相邻地区以在图中显示。",
    ),
    "growth_not_covered": Bilingual(
        "Not covered by these data, so not drawn: {layers}.",
        "数据未覆盖，故未绘出：{layers}。",
    ),
    "growth_not_summed": Bilingual(
        "{layers}: a best grade or a largest diameter does not add up; it is in the CSV.",
        "{layers}：最高等级或最大管径不可相加，见 CSV。",
    ),
    "growth_berths_unknown": Bilingual(
        "Ports: the berths are unknown from {year}, so their line stops there: {why}.",
        "港口：自 {year} 年起泊位数未知，故曲线在此中断：{why}。",
    ),
    "growth_berths_unknown_plain": Bilingual(
        "Ports: the data give no berths from {year}, so their line stops there.",
        "港口：数据自 {year} 年起未给出泊位数，故曲线在此中断。",
    ),
    "growth_one_year": Bilingual(
        "These data have no opening years: the timeline is the one year they describe ({year}).",
        "数据无开通年份：时间线仅为其描述的年份（{year} 年）。",
    ),
    "growth_nothing": Bilingual(
        "Nothing to draw: the data cover none of the layers counted on {border}.",
        "无可绘制内容：数据未覆盖 {border} 的任何所计图层。",
    ),
    "measure_routes": Bilingual("Routes", "线路"),
    "measure_interfaces": Bilingual("Interfaces (ports)", "接口（港口）"),
    "measure_capacity": Bilingual("Lanes, tracks, berths", "车道、股道、泊位"),
    "series_counted": Bilingual("counted", "计算值"),
    "series_documented": Bilingual("documented", "文件值"),
    "years_shown": Bilingual("Years shown", "显示年份"),
    "growth_left_out": Bilingual(
        "Shown from {start}: {n} earlier change(s) ({years}) are left out; widen the years "
        "shown to see them.",
        "自 {start} 年起显示：之前的 {n} 次变化（{years}）未显示；可调整显示年份查看。",
    ),
    "growth_quiet_before": Bilingual(
        "Shown from {start}: nothing changes from {first} to then; widen the years shown to "
        "see those years.",
        "自 {start} 年起显示：{first} 年至该年无变化；可调整显示年份查看。",
    ),
    "tip_layer": Bilingual("Layer", "图层"),
    "tip_measure": Bilingual("Measure", "指标"),
    "tip_value": Bilingual("Value", "数值"),
    "tip_year": Bilingual("Year", "年份"),
    "tip_quote": Bilingual("Quote", "原文"),
    "tip_basis": Bilingual("Counts", "口径"),
    "chart_title": Bilingual("{border}: links across the border", "{border}：跨界连接"),
    "chart_subtitle": Bilingual("{span}, {basis}", "{span}，{basis}"),
    "timeline_csv": Bilingual("Timeline (CSV)", "时间线（CSV）"),
    "chart_png": Bilingual("Chart (PNG)", "图表（PNG）"),
    "chart_svg": Bilingual("Chart (SVG)", "图表（SVG）"),
    "timeline_export_note": Bilingual(
        "The CSV is the command line's ({command}) for {border}: every year and layer, then "
        "the documented figures. The images are drawn on this server, with no internet.",
        "CSV 与命令行输出相同（{command}），为 {border} 的逐年逐层数据，后附文件数值。"
        "图片在本服务器上生成，无需联网。",
    ),
}


def text(key: str, lang: Language | None = None, **values: object) -> str:
    """The text ``key`` in ``lang`` (the page's language by default), values filled in.

    Examples
    --------
    >>> text("legend_title", year=2006), text("legend_title", "zh", year=2006)
    ('Compared with 2006', '与 2006 年对比')
    """
    chosen = TEXTS[key].en if (lang or current()) == "en" else TEXTS[key].zh
    return chosen.format(**values) if values else chosen


def both(key: str, **values: object) -> str:
    """A short label in both languages, the page's first: ``"Change · 变化"``.

    Examples
    --------
    >>> both("col_change")
    'Change · 变化'
    """
    return pair(TEXTS[key].en.format(**values), TEXTS[key].zh.format(**values))


def pair(en: str, zh: str) -> str:
    """Two texts of one label, the page's language first; once when they are the same."""
    first, second = (en, zh) if current() == "en" else (zh, en)
    return first if first == second else f"{first}{JOINER}{second}"


def pick(label: Bilingual | dict[str, str]) -> str:
    """The page's language of a label from the engine (a ``Bilingual`` or ``{"en", "zh"}``)."""
    if isinstance(label, Bilingual):
        return label.en if current() == "en" else label.zh
    return label[current()]


def bilingual(key: str, **values: object) -> Bilingual:
    """The text ``key`` in both languages, values filled in (for exports and captions)."""
    return Bilingual(TEXTS[key].en.format(**values), TEXTS[key].zh.format(**values))


def listed(items: Iterable[object]) -> str:
    """Items listed in a sentence of the page's language: ``a, b`` / ``a、b``.

    Examples
    --------
    >>> listed(["Inland waterways", "Pipelines"])
    'Inland waterways, Pipelines'
    """
    return LIST_JOINER[current()].join(str(i) for i in items)


def sentences(parts: Iterable[str]) -> str:
    """Sentences one after the other: a space between them in English, none in Chinese."""
    return SENTENCE_JOINER[current()].join(p for p in parts if p)


def span(first: int, last: int) -> str:
    """Every year from ``first`` to ``last`` in the page's language (``1995–2026``).

    ``1995—2026 年`` in Chinese: one dash per language (:data:`geo.labels.YEAR_DASH`).
    """
    return year_span(first, last, current())
