"""The titles of the exports' columns, in Chinese and English.

The exported files keep machine column names (``lanes``, ``opened``, ``as_of``): short,
ASCII, stable, what a GIS expression, a script or a join refers to, and what the documented
contract names (docs/exports.md). What a person reads as a column's title is here, in both
languages, and reaches them two ways: as the field aliases of the QGIS styles (QGIS shows
``车道 lanes`` as the attribute table's header, :mod:`geo.io.qgis_style`) and as the
columns table of every export (:func:`columns_table`: one row per file and column, its
Chinese and English title), in the zip and in the GeoPackage.

Columns that come from the data as they are (an embedded dataset's ``accuracy_m``, an OSM
extract's ``usage``) have no title of their own: they are listed under their name, marked
as the data's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from geo.labels import COLUMN_LABELS
from geo.text import Bilingual

#: Titles of the columns the exports write (see the module docstring).
COLUMN_TITLES: dict[str, Bilingual] = {
    "id": Bilingual("id", "编号"),
    "layer": Bilingual("layer", "图层"),
    "class": Bilingual("class", "等级"),
    "ref": Bilingual("route number", "路线编号"),
    "name": Bilingual("name in the data", "数据中的名称"),
    "name_zh": Bilingual("name (Chinese)", "中文名称"),
    "name_en": Bilingual("name (English)", "英文名称"),
    "status": Bilingual("status in the year shown", "所示年份的状态"),
    "opened": Bilingual("year opened (or expected)", "通车年份（或预计）"),
    "closed": Bilingual("year closed", "停用年份"),
    "widened": Bilingual("year last widened or upgraded", "最近扩容（升级）年份"),
    "lanes": Bilingual("lanes", "车道数"),
    "lanes_forward": Bilingual("lanes along the line", "顺线方向车道数"),
    "lanes_backward": Bilingual("lanes against the line", "逆线方向车道数"),
    "lanes_per_carriageway": Bilingual("lanes per carriageway", "各幅车道数"),
    "lanes_missing": Bilingual("lane data missing", "缺车道数据"),
    "carriageways": Bilingual("carriageways", "幅数"),
    "tracks": Bilingual("tracks", "股道数"),
    "grade": Bilingual("navigation grade (1 best)", "航道等级（1为最高）"),
    "grade_roman": Bilingual("navigation grade", "航道等级"),
    "diameter_mm": Bilingual("diameter (mm)", "管径（毫米）"),
    "berths": Bilingual("berths", "泊位数"),
    "teu": Bilingual("container capacity (TEU/year)", "集装箱能力（标箱/年）"),
    "teu_by_year": Bilingual(
        "container capacity from each year on (TEU/year, JSON)", "各年起集装箱能力（标箱/年，JSON）"
    ),
    "teu_note": Bilingual("what the container capacity is", "集装箱能力说明"),
    "phases": Bilingual("phases: opening, berths, TEU (JSON)", "分期：开港、泊位、标箱（JSON）"),
    "projects": Bilingual("projects brought in (report)", "引进项目数（报告）"),
    "agreed_yuan": Bilingual("agreed investment (yuan, report)", "协议总金额（元，报告）"),
    "realised_yuan": Bilingual("investment in place (yuan, report)", "实际到位资金（元，报告）"),
    "farm_supply_yuan": Bilingual(
        "farm produce supplied to Shanghai (yuan, report)", "供沪农产品总额（元，报告）"
    ),
    "farm_supply_share": Bilingual(
        "share of the city's farm output supplied to Shanghai (%, report)",
        "供沪农产品占农业生产总值比例（%，报告）",
    ),
    "university_projects": Bilingual(
        "projects with Shanghai universities and institutes (report)",
        "与上海高校科研院所合作项目数（报告）",
    ),
    "university_benefit_yuan": Bilingual(
        "direct benefit of those projects (yuan, report)", "合作项目直接经济效益（元，报告）"
    ),
    "figures": Bilingual("the report's figures with quotes (JSON)", "报告数字及原文引文（JSON）"),
    "province": Bilingual("province", "省份"),
    "report_year": Bilingual("year of the report's figures", "报告数字年份"),
    "bridge": Bilingual("bridge", "桥梁"),
    "tunnel": Bilingual("tunnel", "隧道"),
    "oneway": Bilingual("one-way (1 along, -1 against, 0 both)", "单向（1顺线，-1逆线，0双向）"),
    "capacity_note": Bilingual("how the capacity was read", "通行能力读取说明"),
    "as_of": Bilingual("year shown", "所示年份"),
    "basis": Bilingual("counting basis", "统计口径"),
    "a": Bilingual("region", "地区"),
    "b": Bilingual("neighbour", "相邻地区"),
    "via": Bilingual("crosses over (land or water)", "跨越方式（陆地或水域）"),
    "along": Bilingual("runs along the border", "沿边界走向"),
    "overdue": Bilingual("opening overdue", "逾期未通车"),
    "lon": Bilingual("longitude (WGS84)", "经度（WGS84）"),
    "lat": Bilingual("latitude (WGS84)", "纬度（WGS84）"),
    "source_ids": Bilingual("features crossed", "所跨要素编号"),
    "source": Bilingual("source", "来源"),
    "pair_kind": Bilingual("border kind", "边界类型"),
    "routes": Bilingual("routes", "线路数"),
    "interfaces": Bilingual("interfaces", "接口数"),
    "along_km": Bilingual("km along the border", "沿边界长度（公里）"),
    "covered": Bilingual("covered by the data", "数据已覆盖"),
    "partly": Bilingual("partly covered", "部分覆盖"),
    "coverage": Bilingual("coverage", "覆盖情况"),
    "coverage_note_en": Bilingual("why not wholly covered (English)", "未完全覆盖原因（英文）"),
    "coverage_note_zh": Bilingual("why not wholly covered (Chinese)", "未完全覆盖原因（中文）"),
    "year": Bilingual("year", "年份"),
    "change": Bilingual("change", "变化"),
    "change_en": Bilingual("change (English)", "变化（英文）"),
    "change_zh": Bilingual("change (Chinese)", "变化（中文）"),
    "status_before": Bilingual("status the year before", "上一年状态"),
    "status_after": Bilingual("status from that year", "当年起状态"),
    "measure": Bilingual("capacity measured", "能力指标"),
    "value_before": Bilingual("capacity the year before", "上一年能力"),
    "value_after": Bilingual("capacity from that year", "当年起能力"),
    "role": Bilingual("role (focus or neighbour)", "角色（本地区或相邻地区）"),
    "table": Bilingual("file or table", "文件或数据表"),
    "column": Bilingual("column", "列名"),
    "title_en": Bilingual("title (English)", "英文标题"),
    "title_zh": Bilingual("title (Chinese)", "中文标题"),
}

#: How a column of the data (not written by Jiegui) is titled.
FROM_DATA = Bilingual("{column} (from the data)", "{column}（数据原有字段）")


def column_title(column: str) -> Bilingual:
    """A column's title in both languages (see the module docstring).

    Examples
    --------
    >>> column_title("lanes").zh, column_title("accuracy_m").en
    ('车道数', 'accuracy_m (from the data)')
    """
    if column in COLUMN_TITLES:
        return COLUMN_TITLES[column]
    if column in COLUMN_LABELS:
        label = COLUMN_LABELS[column]
        return Bilingual(label["en"], label["zh"])
    return Bilingual(FROM_DATA.en.format(column=column), FROM_DATA.zh.format(column=column))


def has_title(column: str) -> bool:
    """Whether a column has a title of its own (is not the data's, under its name)."""
    return column in COLUMN_TITLES or column in COLUMN_LABELS


#: Columns of :func:`columns_table`.
COLUMNS_TABLE_COLUMNS = ["table", "column", "title_zh", "title_en"]


def columns_table(tables: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """One row per table (or file) and column, with the column's titles.

    Parameters
    ----------
    tables
        ``{table or file name: its columns}``, in the order they are listed.
    """
    rows = [
        (table, column, column_title(column).zh, column_title(column).en)
        for table, columns in tables.items()
        for column in columns
    ]
    return pd.DataFrame(rows, columns=COLUMNS_TABLE_COLUMNS)
