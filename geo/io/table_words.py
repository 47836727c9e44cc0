"""The words of the border tables' text (:mod:`geo.io.border_report`), in English and Chinese.

One place for every line the text tables write around their figures: the title, the
headers, the notes' and ports' headings, the comparison's changes, the timeline's
documented figures. Words of the data shared with the page (layers, kinds of change,
statuses, grades, "not covered") stay in :mod:`geo.labels`. Numbers, ids, route numbers
(G60) and commands to copy are written as they are in both languages.
"""

from __future__ import annotations

from geo.labels import documented_measure_label
from geo.text import Bilingual

#: Sentences and headings, with their placeholders (the same in both languages).
WORDS: dict[str, Bilingual] = {
    "source": Bilingual("Source: {source}", "数据来源：{source}"),
    "title": Bilingual("{borders}, {caption}: {what}", "{borders}，{caption}：{what}"),
    "every_border": Bilingual("Every border", "全部边界"),
    "borders_of": Bilingual("Borders of {region}", "{region}的边界"),
    "the_border": Bilingual("The border {border}", "{border} 边界"),
    "per_layer": Bilingual(
        "routes / interfaces / capacity per layer", "各图层的线路 / 接口 / 通行能力"
    ),
    "per_layer_years": Bilingual(
        "routes / interfaces / capacity per layer, {year_a} -> {year_b}",
        "各图层的线路 / 接口 / 通行能力，{year_a} -> {year_b}",
    ),
    "in_years_changed": Bilingual(
        "routes / interfaces / capacity, in the years they changed",
        "线路 / 接口 / 通行能力，只列出有变化的年份",
    ),
    "border": Bilingual("Border", "边界"),
    "layer_header": Bilingual("{layer} ({capacity})", "{layer}（{capacity}）"),
    "unknown": Bilingual(" ({count} unknown)", "（{count} 个未知）"),
    "no_pairs": Bilingual("No region pairs.", "没有相邻的地区对。"),
    "coverage": Bilingual("Coverage (覆盖范围):", "覆盖范围："),
    "note_years": Bilingual("{years}: ", "{years}："),
    "ports": Bilingual("Ports counted on a border:", "边界上计入的港口："),
    "port": Bilingual("{border}: {name} ({port}), {how}", "{border}：{name}（{port}），{how}"),
    "reached": Bilingual("reached across it by {links}", "经 {links} 跨界到达"),
    "named": Bilingual("{name} ({id})", "{name}（{id}）"),
    "nothing_changed": Bilingual(
        "Nothing changed {year_a} -> {year_b}.", "{year_a} 年至 {year_b} 年间没有变化。"
    ),
    "what_changed": Bilingual(
        "What changed {year_a} -> {year_b} (matched by interface id):",
        "{year_a} 年至 {year_b} 年的变化（按接口编号对应）：",
    ),
    "change": Bilingual(
        "{link}{what}; {years}; features {features}", "{link}{what}；{years}；要素 {features}"
    ),
    "unnamed": Bilingual("(unnamed)", "（未命名）"),
    "not_dated": Bilingual("year not dated", "年份未注明"),
    "grade": Bilingual("grade {grade}", "航道等级 {grade}"),
    "size_status": Bilingual("{size}, {status}", "{size}，{status}"),
    "documented": Bilingual(
        "Documented figures (counting links open or under construction):",
        "文件所载数字（计入已通车及在建的连接）：",
    ),
    "documented_row": Bilingual(
        "{border} {layer} {measure} {value} in {year}",
        "{border} {layer}：{measure} {value}（{year} 年）",
    ),
}

#: Joiners of a list, per language: years, features (``2008, 2017`` / ``2008、2017``).
LIST_JOINER = Bilingual(", ", "、")

#: What each layer's cell holds, after "routes / interfaces /" (ports: their own cell); the
#: header's words, by the layer's capacity name (:func:`geo.overview.capacity_name`).
CAPACITY_HEADERS: dict[str, Bilingual] = {
    "lanes": Bilingual("lanes", "车道"),
    "tracks": Bilingual("tracks", "股道"),
    "best_grade": Bilingual("best grade", "最高等级"),
    "max_diameter": Bilingual("max mm", "最大管径，毫米"),
    "ports": Bilingual("ports, berths, TEU", "港口数、泊位、标箱"),
}

#: A capacity unit of the comparison's changes (``capacity_unit``) in Chinese; the English
#: line writes the unit as the data name it.
UNITS_ZH: dict[str, str] = {
    "lanes": "车道",
    "tracks": "股道",
    "berths": "泊位",
    "diameter_mm": "毫米",
}


def say(key: str, lang: str, **fields: object) -> str:
    """The text ``key`` of :data:`WORDS` in ``lang`` (English unless ``zh``), filled in.

    Examples
    --------
    >>> say("nothing_changed", "en", year_a=2010, year_b=2013)
    'Nothing changed 2010 -> 2013.'
    >>> say("nothing_changed", "zh", year_a=2010, year_b=2013)
    '2010 年至 2013 年间没有变化。'
    """
    return pick(WORDS[key], lang).format(**fields)


def pick(text: Bilingual, lang: str) -> str:
    """One language of ``text``: the Chinese for ``zh``, else the English."""
    return text.zh if lang == "zh" else text.en


def unit_word(unit: object, lang: str) -> str:
    """A capacity unit: as the data name it in English, in Chinese for ``zh``."""
    name = str(unit)
    return UNITS_ZH.get(name, name.replace("_", " ")) if lang == "zh" else name


def measure_word(measure: object, lang: str) -> str:
    """A documented measure: as the data name it in English, in Chinese for ``zh``.

    The Chinese is the page's (:func:`geo.labels.documented_measure_label`).

    Examples
    --------
    >>> measure_word("berths_phase1", "zh"), measure_word("berths_phase1", "en")
    ('一期泊位', 'berths_phase1')
    """
    name = str(measure)
    return documented_measure_label(name, "zh") if lang == "zh" else name


__all__ = [
    "CAPACITY_HEADERS",
    "LIST_JOINER",
    "UNITS_ZH",
    "WORDS",
    "measure_word",
    "pick",
    "say",
    "unit_word",
]
