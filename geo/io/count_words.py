"""The words of the plain count's text report, in English and Chinese.

:func:`geo.io.report.to_table` makes each of its lines from :data:`WORDS` (and the shared
labels of :mod:`geo.labels`: layers, classes, grades, "partly covered"), in the language
asked: the English report as it has always read (with the Chinese of the basis, of the
coverage marks and of the notes beside the English), the Chinese one wholly in Chinese.
Numbers, interface ids, route numbers (G60) and commands to copy are the same in both;
names are in Chinese where the data give a Chinese name (a region's ``name_zh``, a
feature's ``name_zh``), else as the data give them.

Helpers a Chinese text table needs, which the border tables may share:
:func:`region_names_zh` (the regions' Chinese names), :func:`feature_names_zh` (the
features'), :func:`text_width` and :func:`pad` (columns padded to the width a terminal
gives Chinese characters).
"""

from __future__ import annotations

import unicodedata

from geo.labels import NOT_COVERED, PARTLY_COVERED, Language
from geo.text import Bilingual

#: Every word and line pattern of the plain count's report. A pattern's fields are filled
#: with :meth:`str.format` (:func:`word`), both languages' from the same fields (the English
#: head's basis is in both languages: ``{en} ({zh})``).
WORDS: dict[str, Bilingual] = {
    # --- the head
    "source": Bilingual("Source: {source}", "数据来源：{source}"),
    "counted": Bilingual("Counted: {en} ({zh})", "统计口径：{zh}"),
    "no_pairs": Bilingual("No region pairs.", "没有可统计的相邻地区。"),
    # --- a border and its summary lines
    "border": Bilingual("{a} – {b} ({kind} border)", "{a} – {b}（{kind}）"),
    "routes": Bilingual("{n} route(s)", "{n} 条线路"),
    "interfaces": Bilingual("{n} interface(s)", "{n} 处接口"),
    "lanes": Bilingual(", {n} lanes", "，{n} 条车道"),
    "lanes_missing": Bilingual(" ({n} without lane data)", "（{n} 处缺车道数据）"),
    "along": Bilingual(", {km:.1f} km along the border", "，沿边界 {km:.1f} 公里"),
    "counts": Bilingual("{routes}, {interfaces}", "{routes}，{interfaces}"),
    "not_covered": Bilingual(f"{NOT_COVERED['en']} {NOT_COVERED['zh']}", NOT_COVERED["zh"]),
    "found": Bilingual(" (found all the same: {counts})", "（仍找到：{counts}）"),
    "partly": Bilingual(f" — {PARTLY_COVERED['en']} {PARTLY_COVERED['zh']}", " — 部分覆盖"),
    # --- the coverage notes under a border (the English report has the Chinese beside)
    "why": Bilingual("  {layers} {head}: {reason}.", "  {layers}{head}：{reason}。"),
    "fix": Bilingual("  To cover it: {fix}.", "  如需覆盖：{fix}。"),
    "layers_joiner": Bilingual(", ", "、"),
    # --- the interfaces
    "interfaces_head": Bilingual("Interfaces:", "接口："),
    "interface": Bilingual(
        "  {id}  {a} – {b}  {cls} {label}; {lines}, {capacity}{extra}; {lat:.5f} N {lon:.5f} E",
        "  {id}  {a} – {b}  {cls} {label}；{lines}，{capacity}{extra}；"
        "北纬 {lat:.5f}，东经 {lon:.5f}",
    ),
    "unnamed": Bilingual("(unnamed)", "（无名称）"),
    "carriageways": Bilingual("{n} carriageway(s)", "{n} 幅"),
    "lines": Bilingual("{n} line(s)", "{n} 条线"),
    "bridge": Bilingual("bridge", "桥梁"),
    "tunnel": Bilingual("tunnel", "隧道"),
    "over_water": Bilingual("over water", "跨水域"),
    "extra": Bilingual("; {parts}", "；{parts}"),
    "extra_joiner": Bilingual(", ", "、"),
    # --- the documented figures (an embedded dataset's report of 2006)
    "documented_none": Bilingual(
        "No documented figure is of the borders and layers counted here.",
        "此次统计的边界与图层没有文件中的数字可对照。",
    ),
    "documented_head": Bilingual(
        "Against the documented figures (computed from the geometry, counting {phrase} "
        "that year, as the report does):",
        "与文件中的数字对照（由几何数据计算，与报告口径相同，统计当年{phrase}）：",
    ),
    "documented_row": Bilingual(
        "  {border} {layer} {measure} documented {documented}, computed {computed}"
        "{counted}{explanation}",
        "  {border} {layer} {measure} 文件 {documented}，计算 {computed}{counted}{explanation}",
    ),
    "not_computed": Bilingual("n/a", "无"),
    "counted_in": Bilingual(" ({basis})", "（{basis}）"),
    "explanation": Bilingual(" — {text}", " — {text}"),
    "unexplained": Bilingual("unexplained", "未解释"),
    "documented_years": Bilingual(
        "The documented figures are as of {years}: add --as-of {first} to compare.",
        "文件中的数字为 {years} 年的数字：加上 --as-of {first} 即可对照。",
    ),
}

#: A border's kind (:class:`geo.regions.RegionSet` pairs), in Chinese; the English report
#: prints the kind as the data name it (``land border``).
PAIR_KINDS_ZH: dict[str, str] = {"land": "陆地边界", "maritime": "隔海相邻"}

#: A capacity as an interface line says it, by the layer's capacity unit: ``(known,
#: unknown)``; ``{n}`` is the value, ``{grade}`` a navigation grade in the language's form
#: (:func:`geo.labels.grade_both`, :func:`geo.labels.grade_text`).
CAPACITY_WORDS: dict[str, tuple[Bilingual, Bilingual]] = {
    "lanes": (Bilingual("{n} lanes", "{n}车道"), Bilingual("lanes unknown", "车道数未知")),
    "tracks": (Bilingual("{n} tracks", "{n}股道"), Bilingual("tracks unknown", "股道数未知")),
    "navigation grade": (
        Bilingual("navigation grade {grade}", "{grade}航道"),
        Bilingual("navigation grade unknown", "航道等级未知"),
    ),
    "diameter_mm": (
        Bilingual("{n} diameter_mm", "管径 {n} 毫米"),
        Bilingual("diameter_mm unknown", "管径未知"),
    ),
    "berths": (Bilingual("{n} berths", "{n}个泊位"), Bilingual("berths unknown", "泊位数未知")),
}


def word(key: str, lang: Language, **fields: object) -> str:
    """:data:`WORDS` ``key`` in ``lang``, its fields filled.

    Examples
    --------
    >>> word("routes", "en", n=3), word("routes", "zh", n=3)
    ('3 route(s)', '3 条线路')
    """
    entry = WORDS[key]
    return (entry.zh if lang == "zh" else entry.en).format(**fields)


def capacity_words(unit: str, value: object, grade: str, lang: Language) -> str:
    """An interface's capacity: ``4 lanes``/``4车道``, ``tracks unknown``/``股道数未知``.

    A unit without words of its own is named as the data name it (``12 projects``).
    """
    known, unknown = CAPACITY_WORDS.get(
        unit,
        (Bilingual(f"{{n}} {unit}", f"{{n}} {unit}"), Bilingual(f"{unit} unknown", f"{unit}未知")),
    )
    entry = unknown if value is None else known
    return (entry.zh if lang == "zh" else entry.en).format(n=value, grade=grade)


def text_width(text: str) -> int:
    """How many columns a terminal gives ``text``: two for a wide character (汉字, ，).

    Examples
    --------
    >>> text_width("公路"), text_width("highways")
    (4, 8)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, lang: Language = "en") -> str:
    """``text`` padded with spaces to ``width`` columns.

    In Chinese to the columns a terminal shows (:func:`text_width`); in English by its
    characters (``str.ljust``, as the English report always padded).

    Examples
    --------
    >>> pad("公路", 6, "zh") + "|", pad("road", 6) + "|"
    ('公路  |', 'road  |')
    """
    if lang == "zh":
        return text + " " * max(width - text_width(text), 0)
    return text.ljust(width)


__all__ = [
    "CAPACITY_WORDS",
    "PAIR_KINDS_ZH",
    "WORDS",
    "capacity_words",
    "pad",
    "text_width",
    "word",
]
