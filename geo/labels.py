"""Words of the border tables in English and Chinese: headers, kinds of change, statuses.

The overview, comparison and timeline tables (:mod:`geo.overview`, :mod:`geo.compare`,
:mod:`geo.timeline`) keep data in machine columns (``highways_lanes``, a grade as the
number 4); what a person reads comes from here, in both languages, so the page and the
command line say the same thing. Each label is ``{"en": ..., "zh": ...}``; :func:`label`
picks one.

Navigation grades are numbers in the data (China's grades I-VII, 1 the best) and Roman
numerals when shown (:func:`grade_text`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from geo import basis

#: The languages every label has.
Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")

#: What a cell of a border and layer the data does not cover reads (never a 0).
NOT_COVERED: dict[str, str] = {"en": "not covered", "zh": "未覆盖"}
#: A layer the data cover only in part on a border (the plain count's and the tables' words).
PARTLY_COVERED: dict[str, str] = {"en": "partly covered", "zh": "部分覆盖"}
#: What a cell without a known value reads.
UNKNOWN: dict[str, str] = {"en": "unknown", "zh": "未知"}

#: A river's name on the map, from its name in that language (``{name}``: Natural Earth's
#: ``Qiantang``, or ``钱塘江`` from ``data/context/sources/names.yaml``).
RIVER_NAME: dict[str, str] = {"en": "{name} River", "zh": "{name}"}

LAYER_LABELS: dict[str, dict[str, str]] = {
    "highways": {"en": "Highways", "zh": "公路"},
    "railways": {"en": "Railways", "zh": "铁路"},
    "waterways": {"en": "Inland waterways", "zh": "内河航道"},
    "pipelines": {"en": "Pipelines", "zh": "管道"},
    "ports": {"en": "Ports", "zh": "港口"},
    "cities": {"en": "Cities' cooperation (report figures)", "zh": "城市合作（报告数字）"},
}

#: Statuses as :mod:`geo.basis` names them (one wording everywhere), and a feature not yet
#: built in a year.
STATUS_LABELS: dict[str, dict[str, str]] = {
    **{status: label.as_dict() for status, label in basis.STATUS_LABELS.items()},
    "": {"en": "not yet built", "zh": "尚未建设"},
}

#: Where a layer's words for a status differ from :data:`STATUS_LABELS`' (which are a
#: road's and a railway's: "open", 已通车, "open to traffic"): a pipeline is in service
#: (已投产), not open to traffic; a waterway is open to navigation (已通航). Read through
#: :func:`status_label`.
LAYER_STATUS_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "pipelines": {
        "open": {"en": "in service", "zh": "已投产"},
    },
    "waterways": {
        "open": {"en": "open to navigation", "zh": "已通航"},
    },
}

#: Classes of each layer (:mod:`layers`), as a planner names them; an unknown class is
#: shown as it is written (:func:`class_label`).
CLASS_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "highways": {
        "motorway": {"en": "motorway", "zh": "高速公路"},
        "trunk": {"en": "trunk road", "zh": "干线公路"},
        "primary": {"en": "primary road", "zh": "主要公路"},
        "secondary": {"en": "secondary road", "zh": "次要公路"},
        "tertiary": {"en": "tertiary road", "zh": "三级公路"},
        "link": {"en": "slip road", "zh": "匝道"},
        "minor": {"en": "minor road", "zh": "其他道路"},
    },
    "railways": {
        "conventional": {"en": "conventional rail", "zh": "普速铁路"},
        "high_speed": {"en": "high-speed rail", "zh": "高速铁路"},
        "maglev": {"en": "maglev", "zh": "磁浮铁路"},
        "urban": {"en": "urban rail", "zh": "城市轨道交通"},
        "service": {"en": "service track", "zh": "专用线"},
        "other": {"en": "other railway", "zh": "其他铁路"},
    },
    "waterways": {
        "canal": {"en": "canal", "zh": "运河"},
        "river": {"en": "river", "zh": "河流"},
        "stream": {"en": "stream", "zh": "溪流"},
    },
    "pipelines": {
        "gas": {"en": "gas", "zh": "天然气"},
        "oil": {"en": "oil", "zh": "石油"},
        "water": {"en": "water", "zh": "输水"},
        "other": {"en": "other", "zh": "其他"},
    },
    "ports": {
        "container": {"en": "container port", "zh": "集装箱港区"},
        "marina": {"en": "marina", "zh": "游艇港"},
        "port": {"en": "port", "zh": "港口"},
    },
    "cities": {
        "prefecture_city": {
            "en": "prefecture city (circle area: agreed investment)",
            "zh": "地级市（圆面积：协议投资额）",
        },
    },
}

#: How sure an identification is (an embedded dataset's ``confidence``).
CONFIDENCE_LABELS: dict[str, dict[str, str]] = {
    "high": {"en": "high", "zh": "高"},
    "medium": {"en": "medium", "zh": "中"},
    "low": {"en": "low", "zh": "低"},
}

#: Kinds of change between two years (:mod:`geo.compare`).
CHANGE_LABELS: dict[str, dict[str, str]] = {
    "opened": {"en": "opened", "zh": "新增"},
    "closed": {"en": "closed", "zh": "撤销"},
    "widened": {"en": "widened", "zh": "扩容"},
    "narrowed": {"en": "narrowed", "zh": "缩减"},
    "capacity_data": {"en": "capacity data changed", "zh": "通行能力数据变化"},
    "status": {"en": "status changed", "zh": "状态变化"},
}

#: What an interface counted in year B and not in A (``opened``) is called, by its status in
#: B (:func:`change_label`): counting links open or under construction, one still under
#: construction in B did not open, its works started.
NEW_LABELS: dict[str, dict[str, str]] = {
    "open": CHANGE_LABELS["opened"],
    "construction": {"en": "construction started", "zh": "新开工"},
    "proposed": {"en": "proposed", "zh": "新规划"},
}


def change_label(kind: str, status_after: object = None) -> dict[str, str]:
    """The words of a kind of change (:data:`CHANGE_LABELS`), ``opened`` by its status in B.

    The comparison's ``opened`` is an interface counted in B and not in A
    (:mod:`geo.compare`), dated by the year it took its status in B: ``opened`` when it is
    open in B, ``construction started`` when under construction (:data:`NEW_LABELS`), so that
    the name and the year say the same change.

    Examples
    --------
    >>> change_label("opened", "open")["en"], change_label("opened", "construction")["en"]
    ('opened', 'construction started')
    >>> change_label("widened", "open")["zh"]
    '扩容'
    """
    if kind == "opened" and isinstance(status_after, str) and status_after in NEW_LABELS:
        return NEW_LABELS[status_after]
    return CHANGE_LABELS.get(kind, {"en": kind, "zh": kind})


#: How a port belongs to a border (:mod:`geo.port_borders`).
PORT_HOW_LABELS: dict[str, dict[str, str]] = {
    "reached": {"en": "reached across the border", "zh": "经跨界通道到达"},
    "on_border": {"en": "on the border", "zh": "位于边界上"},
}

#: Measures of a layer in the border tables, by the last part of their column name.
MEASURE_LABELS: dict[str, dict[str, str]] = {
    "covered": {"en": "covered", "zh": "已覆盖"},
    "partly": {"en": "partly covered", "zh": "部分覆盖"},
    "routes": {"en": "routes", "zh": "线路"},
    "interfaces": {"en": "interfaces", "zh": "接口"},
    "lanes": {"en": "lanes", "zh": "车道"},
    "lanes_missing": {"en": "interfaces without lane data", "zh": "缺车道数据的接口"},
    "tracks": {"en": "tracks", "zh": "股道"},
    "tracks_missing": {"en": "interfaces without track data", "zh": "缺股道数据的接口"},
    "best_grade": {"en": "best navigation grade", "zh": "最高航道等级"},
    "best_grade_missing": {"en": "interfaces without grade data", "zh": "缺等级数据的接口"},
    "max_diameter": {"en": "largest diameter (mm)", "zh": "最大管径（毫米）"},
    "max_diameter_missing": {"en": "interfaces without diameter data", "zh": "缺管径数据的接口"},
    "count": {"en": "ports", "zh": "港口数"},
    "berths": {"en": "berths", "zh": "泊位"},
    "berths_missing": {"en": "ports without berth data", "zh": "缺泊位数据的港口"},
    "teu": {"en": "container capacity (TEU/year)", "zh": "集装箱能力（标箱/年）"},
}

#: A documented measure of one phase of a port (``berths_phase1``, ``teu_phase2``): the
#: measure and the phase's number (:mod:`geo.reconcile` computes it; words:
#: :func:`documented_measure_label`).
PORT_PHASE: re.Pattern[str] = re.compile(r"(?P<measure>berths|teu)_phase(?P<phase>\d+)")

#: The measures a report documents (``documented.csv``, :mod:`geo.reconcile`) as a person
#: reads them; a port's phase is worded by :func:`documented_measure_label`.
DOCUMENTED_MEASURE_LABELS: dict[str, dict[str, str]] = {
    "expressways": {"en": "expressways", "zh": "高速公路"},
    "routes": {"en": "routes", "zh": "线路"},
    "interfaces": {"en": "interfaces", "zh": "接口"},
    "lanes": {"en": "lanes", "zh": "车道"},
    "waterways": {"en": "waterways", "zh": "航道"},
    "berths": {"en": "berths", "zh": "泊位"},
    "teu": {"en": "container capacity (TEU/year)", "zh": "集装箱能力（标箱/年）"},
}

#: One port phase's measure: ``{n}`` its number, in Chinese numerals in Chinese (一期, as
#: the report writes "洋山深水港一期"). The TEU of a phase is its design capacity.
_PHASE_LABELS: dict[str, dict[str, str]] = {
    "berths": {"en": "berths of phase {n}", "zh": "{n}期泊位"},
    "teu": {
        "en": "container capacity of phase {n} (TEU/year, design)",
        "zh": "{n}期集装箱设计能力（标箱/年）",
    },
}

_CHINESE_DIGITS = "一二三四五六七八九"


#: Columns that are not ``{layer}_{measure}``.
COLUMN_LABELS: dict[str, dict[str, str]] = {
    "a": {"en": "region", "zh": "地区"},
    "b": {"en": "neighbour", "zh": "相邻地区"},
    "border": {"en": "border", "zh": "边界"},
    "pair_kind": {"en": "border kind", "zh": "边界类型"},
    "as_of": {"en": "year", "zh": "年份"},
    "year": {"en": "year", "zh": "年份"},
    "statuses": {"en": "statuses counted", "zh": "计入的状态"},
    "basis": {"en": "counting basis", "zh": "统计口径"},
    "layer": {"en": "layer", "zh": "图层"},
    "capacity": {"en": "capacity", "zh": "通行能力"},
    "capacity_unit": {"en": "capacity unit", "zh": "能力单位"},
    "capacity_missing": {"en": "without capacity data", "zh": "缺能力数据"},
    "change": {"en": "change", "zh": "变化"},
    "before": {"en": "before", "zh": "之前"},
    "after": {"en": "after", "zh": "之后"},
    "years": {"en": "year(s) it happened", "zh": "发生年份"},
    "sources": {"en": "sources", "zh": "来源"},
    "source_ids": {"en": "features", "zh": "要素"},
    "covered": {"en": "covered", "zh": "已覆盖"},
    "partly": {"en": "partly covered", "zh": "部分覆盖"},
    "coverage_note_en": {"en": "why not wholly covered (English)", "zh": "未完全覆盖原因（英文）"},
    "coverage_note_zh": {"en": "why not wholly covered (Chinese)", "zh": "未完全覆盖原因（中文）"},
    "routes": {"en": "routes", "zh": "线路"},
    "interfaces": {"en": "interfaces", "zh": "接口"},
    "teu": {"en": "container capacity (TEU/year)", "zh": "集装箱能力（标箱/年）"},
    "status": {"en": "status", "zh": "状态"},
    "id": {"en": "interface", "zh": "接口编号"},
    "class": {"en": "class", "zh": "等级"},
    "ref": {"en": "route number", "zh": "编号"},
    "name": {"en": "name", "zh": "名称"},
    "port": {"en": "port", "zh": "港口"},
    "berths": {"en": "berths", "zh": "泊位"},
    "how": {"en": "how it belongs to the border", "zh": "归属方式"},
    "via": {"en": "reached by", "zh": "经由接口"},
    "measure": {"en": "documented measure", "zh": "文件指标"},
    "column": {"en": "timeline column", "zh": "对应列"},
    "value": {"en": "documented value", "zh": "文件数值"},
    "quote_zh": {"en": "quote (Chinese)", "zh": "原文（中文）"},
    "quote_en": {"en": "quote (English)", "zh": "原文（英译）"},
    "source": {"en": "source", "zh": "来源"},
}

#: What ``_a``, ``_b`` and ``_change`` after a column's name mean (:mod:`geo.compare`).
SUFFIX_LABELS: dict[str, dict[str, str]] = {
    "a": {"en": "year A", "zh": "A 年"},
    "b": {"en": "year B", "zh": "B 年"},
    "change": {"en": "change", "zh": "变化"},
}

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")


def documented_measure_label(measure: str, lang: Language = "en") -> str:
    """A documented measure as a person reads it, in ``lang``; an unknown one as written.

    The one wording of these measures for the page, the command line's tables and its
    plain count. A measure the data name that is neither documented nor a port's phase
    falls back to :data:`MEASURE_LABELS`, then to its name with spaces for underscores.

    Examples
    --------
    >>> documented_measure_label("berths_phase1", "zh"), documented_measure_label("lanes")
    ('一期泊位', 'lanes')
    >>> documented_measure_label("teu_phase12", "zh")
    '12期集装箱设计能力（标箱/年）'
    """
    phase = PORT_PHASE.fullmatch(measure)
    if phase is not None:
        n = int(phase["phase"])
        if lang == "zh" and 1 <= n <= len(_CHINESE_DIGITS):
            return label(_PHASE_LABELS[phase["measure"]], lang).format(n=_CHINESE_DIGITS[n - 1])
        return label(_PHASE_LABELS[phase["measure"]], lang).format(n=n)
    words = DOCUMENTED_MEASURE_LABELS.get(measure) or MEASURE_LABELS.get(measure)
    return label(words, lang) if words else measure.replace("_", " ")


def label(labels: dict[str, str], lang: Language = "en") -> str:
    """One language of a label (``{"en": ..., "zh": ...}``)."""
    return labels[lang]


def column_label(column: str, lang: Language = "en") -> str:
    """The header of a border table's column, e.g. ``highways_lanes`` -> ``Highways: lanes``.

    Columns ``{layer}_{measure}`` combine the layer's and the measure's labels,
    ``{column}_a``, ``_b`` and ``_change`` the column's and the suffix's
    (:data:`SUFFIX_LABELS`); the others come from :data:`COLUMN_LABELS`; an unknown column
    is shown as it is.

    Examples
    --------
    >>> column_label("waterways_best_grade"), column_label("highways_lanes", "zh")
    ('Inland waterways: best navigation grade', '公路：车道')
    """
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column][lang]
    base, _, suffix = column.rpartition("_")
    if suffix in SUFFIX_LABELS and base in COLUMN_LABELS:
        if lang == "en":
            return f"{COLUMN_LABELS[base]['en']} ({SUFFIX_LABELS[suffix]['en']})"
        return f"{COLUMN_LABELS[base]['zh']}（{SUFFIX_LABELS[suffix]['zh']}）"
    layer, _, measure = column.partition("_")
    if layer in LAYER_LABELS and measure in MEASURE_LABELS:
        joiner = ": " if lang == "en" else "："
        return LAYER_LABELS[layer][lang] + joiner + MEASURE_LABELS[measure][lang]
    return column


def class_label(layer: str, cls: object, lang: Language = "en") -> str:
    """A feature's class as a planner names it (:data:`CLASS_LABELS`), else as written.

    Examples
    --------
    >>> class_label("highways", "motorway", "zh"), class_label("railways", "high_speed")
    ('高速公路', 'high-speed rail')
    >>> class_label("highways", "busway_x")
    'busway x'
    """
    known = CLASS_LABELS.get(layer, {}).get(str(cls))
    return known[lang] if known else str(cls or "").replace("_", " ")


def status_label(layer: str, status: object, lang: Language = "en") -> str:
    """A status in the words that fit ``layer`` (:data:`LAYER_STATUS_LABELS`), else as written.

    Examples
    --------
    >>> status_label("pipelines", "open", "zh"), status_label("highways", "open", "zh")
    ('已投产', '已通车')
    >>> status_label("waterways", "open"), status_label("railways", "proposed")
    ('open to navigation', 'planned')
    """
    key = "" if status is None else str(status)
    known = LAYER_STATUS_LABELS.get(layer, {}).get(key) or STATUS_LABELS.get(key)
    return known[lang] if known else key.replace("_", " ")


def grade_text(grade: object, lang: Language = "en") -> str:
    """A navigation grade 1-7 as its Roman numeral; else ``""``.

    English ``"IV"``, Chinese ``"IV级"`` (how Chinese waterway plans write it).

    Examples
    --------
    >>> grade_text(4), grade_text(4, "zh"), grade_text(None)
    ('IV', 'IV级', '')
    """
    try:
        number = int(grade)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
    if not 1 <= number <= len(_ROMAN):
        return ""
    return _ROMAN[number - 1] + ("级" if lang == "zh" else "")


def grade_both(grade: object) -> str:
    """A navigation grade in both languages, for the command line: ``"IV (IV级)"``.

    ``"?"`` when the grade is unknown or not 1-7.
    """
    text = grade_text(grade)
    return f"{text} ({grade_text(grade, 'zh')})" if text else "?"


def statuses_text(statuses: Sequence[str], lang: Language = "en") -> str:
    """The statuses counted: their basis's label (``open + under construction``), else listed.

    One wording with the captions (:func:`geo.basis.statuses_label`).
    """
    label = basis.statuses_label(statuses)
    return label.zh if lang == "zh" else label.en


def counting_caption(as_of: int | None, statuses: Sequence[str]) -> dict[str, str]:
    """What a table counts, in both languages: :func:`geo.basis.caption` as a dict."""
    return basis.caption(statuses, as_of).as_dict()


#: The dash between the first and the last year of a span, per language: the English en
#: dash (``1990–2026``), the Chinese 一字线 of GB/T 15834-2011 (``1990—2026 年``).
YEAR_DASH: dict[str, str] = {"en": "–", "zh": "—"}


def year_span(first: int, last: int, lang: Language = "en") -> str:
    """Every year from ``first`` to ``last``, as a person reads it; one year when equal.

    Examples
    --------
    >>> year_span(1990, 2026), year_span(1990, 2026, "zh"), year_span(2006, 2006, "zh")
    ('1990–2026', '1990—2026 年', '2006 年')
    """
    text = f"{first}" if first == last else f"{first}{YEAR_DASH[lang]}{last}"
    return f"{text} 年" if lang == "zh" else text


def years_caption(first: int, last: int, statuses: Sequence[str], *, span: bool) -> dict[str, str]:
    """What a table of two years or of a span counts, in both languages.

    ``span`` False: two years compared (``2006 and 2024, open``); True: every year from
    ``first`` to ``last`` (:func:`year_span`: ``1990–2026, open``, ``1990—2026 年，已通车``).
    """
    if not span:
        en, zh = f"{first} and {last}", f"{first} 年与 {last} 年"
    else:
        en, zh = year_span(first, last, "en"), year_span(first, last, "zh")
    return {
        "en": f"{en}, {statuses_text(statuses, 'en')}",
        "zh": f"{zh}，{statuses_text(statuses, 'zh')}",
    }
