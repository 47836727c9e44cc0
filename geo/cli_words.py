"""The command line's own words in Chinese: its help texts and argparse's messages.

``python -m geo`` speaks the language :func:`geo.cli.message_language` chooses (``--lang``,
``JIEGUI_LANGUAGE``, the locale). The engine's sentences are :class:`geo.text.Bilingual`;
this module holds the rest, which argparse writes:

* **Help texts** (:data:`HELP_ZH`), keyed by ``"COMMAND:DEST"`` (an argument),
  ``"COMMAND"`` (a command's description), ``"choice:COMMAND"`` (a command's line in the
  list of commands), ``""`` (the program's description) and ``":DEST"`` (an option of the
  program itself, before the command: ``--lang``). The English stay where the
  parser is built (:func:`geo.cli.build_parser`); :func:`put_help_language` puts the
  Chinese in their place. ``tests/test_cli_language.py`` checks that every argument has its
  Chinese.
* **argparse's fixed messages** ("usage: ", "the following arguments are required: %s",
  "invalid choice: ..."): argparse passes each through ``gettext`` (``argparse._`` and
  ``argparse.ngettext``, looked up when a message is made); :func:`argparse_language`
  swaps those two for :data:`ARGPARSE_ZH` while the parser is built and used. The message
  ids are those of this Python's ``argparse`` (3.11; a message without a Chinese is shown as
  argparse writes it, in English).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from geo.resilience import MAX_PAIR_INTERFACES

#: argparse's messages (its ``gettext`` ids, Python 3.11) in Chinese.
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示此帮助并退出",
    "subcommands": "子命令",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "没有子命令 %(parser_name)r（可选：%(choices)s）"
    ),
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 不明确，可能是 %(matches)s"
    ),
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的%(type)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "没有 %(value)r 这一选项（可选：%(choices)s）"
    ),
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "can't open '%(filename)s': %(error)s": "无法打开 '%(filename)s'：%(error)s",
}

#: The names argparse gives a type in "invalid %(type)s value" (``type.__name__``), in Chinese.
TYPE_ZH: dict[str, str] = {"int": "整数", "float": "数字", "Path": "路径", "str": "文本"}

_LANG_HELP = (
    "消息（错误、帮助、进度和警告）的语言：en 或 zh（默认：JIEGUI_LANGUAGE，"
    "其次是系统语言环境，如 LANG=zh_CN.UTF-8，否则为 en）"
)

#: The help texts in Chinese (see the module's docstring for the keys).
HELP_ZH: dict[str, str] = {
    "": "统计跨越行政区边界的交通联系。",
    ":lang": _LANG_HELP,
    "choice:crossings": "统计跨界接口",
    "choice:fetch": "把边界附近的 OSM 要素获取到一个 GeoPackage 中",
    "choice:export": "为 GIS 导出一条边界的联系：带 QGIS 样式的 GeoJSON、GeoPackage、CSV",
    "choice:cities": "报告中各城市的数字（投资、农产品供应）及其原文",
    # crossings
    "crossings": "统计跨越每条边界的线路、接口和车道。",
    "crossings:source": (
        ".osm/.osm.gz/.osm.bz2/.osm.pbf 文件、边界文件（GeoJSON/GeoPackage/Shapefile），"
        "或内置数据集的名称"
    ),
    "crossings:lines": "附加到边界文件上的线要素文件",
    "crossings:region": (
        "只报告该地区的边界，可用它的任一名称：中文或英文，带或不带 省/市/自治区 或 "
        "Province，不分大小写（浙江、浙江省、zhejiang）"
    ),
    "crossings:neighbour": (
        "与 --region 一起使用：只报告它与该相邻地区（可用它的任一名称）之间的边界，"
        "与 export 和 resilience 相同"
    ),
    "crossings:admin_level": "地区的 OSM admin_level",
    "crossings:layers": (
        "以逗号分隔的图层（默认 %(default)s）；配合 --overview、--all-regions、--compare 或 "
        "--timeline 时也可加 'ports'，这些汇总表总会列出每条边界的港口"
    ),
    "crossings:format": (
        "table（默认）、json、geojson（接口），或 csv（配合 --overview、--compare 或 "
        "--timeline；带字节顺序标记的 UTF-8，供 Excel 打开）"
    ),
    "crossings:overview": "每条边界一行：各图层的线路、接口和通行能力，以及港口",
    "crossings:progress": (
        "每隔几秒在 stderr 上报告 OSM 文件的读取进度（已读字节、选中线路、已用和剩余时间）；"
        "stderr 是终端时默认开启"
    ),
    "crossings:all_regions": (
        "OSM 文件中 --admin-level（默认 4，即省级）所有相邻地区之间的每条边界，一次读取，"
        "输出同 --overview 的汇总表"
    ),
    "crossings:compare": "并列显示两个年份的边界，以及两者之间的变化",
    "crossings:timeline": ("逐年显示边界：从数据的第一年到今年，或给出时从 FIRST（到 LAST）"),
    "crossings:out": (
        "写入此文件，而不是标准输出；扩展名须与 --format 相符：.txt（table）、.json（json）、"
        ".geojson（geojson）或 .csv（csv）；- 表示标准输出"
    ),
    "crossings:force": "--out 已存在时覆盖它",
    "crossings:as_of": "统计该年份的网络",
    "crossings:basis": (
        "统计口径：open（已通车，默认）、open+construction（已通车及在建，与 2006 年"
        "报告一致）或 planned（已通车、在建及规划）"
    ),
    "crossings:status": (
        "以逗号分隔的统计状态，代替 --basis（可选 open、construction、proposed、cancelled、"
        "disused、abandoned）"
    ),
    "crossings:name_field": "文件中给地区命名的列",
    "crossings:datum": (
        "你自己的 GIS 文件的基准：gcj02（高德地图、腾讯地图及由其派生的数据）或 bd09"
        "（百度地图），通常标为 EPSG:4326，会被转换为 WGS84（默认 wgs84）"
    ),
    "crossings:workers": "扫描线要素的线程数（默认 1；双核上用 2 可加快大数据的处理）",
    "crossings:rule": "覆盖一条跨界规则，例如 --rule along_band_m=200",
    "crossings:scheduler": "在这个 Dask 集群上读取 OSM 文件，每个文件一个任务，例如 "
    "tcp://主机:8786（默认：JIEGUI_DASK_SCHEDULER，否则在本机读取；见 docs/dask.md）",
    "crossings:lang": _LANG_HELP,
    # fetch
    "fetch": (
        "从 OpenStreetMap（通过 osmnx 在线获取，或读取本地 .osm/.osm.pbf 文件）获取所选边界"
        "两侧条带内各图层的要素，写入带清单文件的 GeoPackage。该 GeoPackage 可作为 "
        "'crossings' 的数据源。"
    ),
    "fetch:boundaries": (
        "从此文件读取地区：多边形（GeoJSON/GeoPackage/Shapefile）或含边界关系的 OSM 文件"
        "（默认：--osm-file）"
    ),
    "fetch:places": (
        "在线地理编码的地区（OpenStreetMap Nominatim），以逗号分隔：名称，或 OSM 编号"
        "（如 R913011，表示确切的关系；用这种方式选择行政级别）"
    ),
    "fetch:osm_file": "离线读取此文件中的要素",
    "fetch:region": "沿该地区的边界获取（可用它的任一名称，与 crossings 相同）",
    "fetch:neighbour": "只取 --region 与该地区之间的边界（可用它的任一名称）",
    "fetch:admin_level": "地区的 OSM admin_level",
    "fetch:name_field": "文件中给地区命名的列",
    "fetch:layers": "以逗号分隔的图层（默认 %(default)s；也可加 'ports'）",
    "fetch:band_km": "条带半宽（公里）",
    "fetch:sea_gap_km": "加入海岸相距小于此值的水域（公里；0 表示不加）",
    "fetch:network_km": (
        "另外获取此半宽（公里）的更宽范围内的主要道路和铁路，作为 resilience 的路径计算网络"
    ),
    "fetch:network_classes": "网络包含的道路等级，以逗号分隔（默认 %(default)s，连同匝道）",
    "fetch:overpass_url": "Overpass API 的基础网址",
    "fetch:nominatim_url": "--places 所用 Nominatim 的基础网址",
    "fetch:timeout": "每个 HTTP 请求的秒数",
    "fetch:retries": "下载失败后的重试次数",
    "fetch:cache_folder": (
        "osmnx 的响应缓存（默认：$JIEGUI_OSMNX_CACHE，否则为 ~/.cache/jiegui/osmnx）"
    ),
    "fetch:out": "要写出的 GeoPackage（.gpkg）",
    "fetch:force": "--out 已存在时替换它",
    "fetch:lang": _LANG_HELP,
    # export
    "export": (
        "导出一条边界的联系（在该边界上有接口的联系）、其接口、历史和计数，按一个年份和"
        "统计口径：打包为 zip（每个 GeoJSON 文件旁附 QGIS 样式 .qml、一个带样式的 "
        "GeoPackage 和 CSV 文件，--out FILE.zip），或只导出 GeoPackage（--out FILE.gpkg）。"
        "这些文件与网页“导出”部分提供的相同（docs/exports.md）。"
    ),
    "export:source": "OSM 文件、边界文件或内置数据集",
    "export:lines": "附加到边界文件上的线要素文件",
    "export:region": "关注的地区",
    "export:neighbour": "相邻地区（默认：该地区的所有相邻地区）",
    "export:layers": "以逗号分隔的图层（默认 %(default)s）",
    "export:as_of": "导出该年份的网络",
    "export:basis": "统计口径",
    "export:status": "以逗号分隔的状态，代替 --basis",
    "export:admin_level": "地区的 OSM admin_level",
    "export:name_field": "文件中给地区命名的列",
    "export:datum": "你自己的文件的基准",
    "export:rule": "一条跨界规则",
    "export:out": "要写出的文件：FILE.zip 或 FILE.gpkg",
    "export:force": "--out 已存在时替换它",
    "export:scheduler": "在这个 Dask 集群上读取 OSM 文件，每个文件一个任务，例如 "
    "tcp://主机:8786（默认：JIEGUI_DASK_SCHEDULER，否则在本机读取；见 docs/dask.md）",
    "export:lang": _LANG_HELP,
    # resilience
    "choice:resilience": "如果一个接口关闭会怎样：每条边界的绕行和最小割",
    "resilience": (
        "逐一关闭一条边界的各接口（或 --close 给出的接口），测量边界两侧地点之间的绕行，"
        "以及跨越边界的边不相交路线数（最小割）。"
    ),
    "resilience:source": "内置数据集的名称、OSM 文件或边界文件",
    "resilience:lines": "附加到边界文件上的线要素文件",
    "resilience:region": "边界的一侧（可用它的任一名称）",
    "resilience:neighbour": "边界的另一侧；默认为 --region 的每个相邻地区",
    "resilience:layers": "以逗号分隔的可通行图层（默认 %(default)s）",
    "resilience:close": "一同关闭的接口编号（重复此选项给出多个情景）；默认逐一单独关闭",
    "resilience:pairs": f"另外把一个图层的接口两两一同关闭（最多 {MAX_PAIR_INTERFACES} 个接口）",
    "resilience:network_km": "边界两侧条带的半宽（默认 %(default)g 公里）",
    "resilience:critical_min": "使一个接口成为关键接口的增加分钟数（默认 %(default)g）",
    "resilience:places": "带名称和人口列的地点文件",
    "resilience:as_of": "该年份的网络",
    "resilience:basis": "统计口径（默认 open）",
    "resilience:format": "table（默认）、json 或 geojson（绕行路线）",
    "resilience:admin_level": "地区的 OSM admin_level",
    "resilience:out": (
        "写入此文件，而不是标准输出；扩展名须与 --format 相符：.txt（table）、.json（json）"
        "或 .geojson（geojson）；- 表示标准输出"
    ),
    "resilience:force": "--out 已存在时覆盖它",
    "resilience:lang": _LANG_HELP,
    # cities
    "cities": ("列出数据集文献给出的各城市数字，每个城市和数字一行，附文献的中文原文和译文。"),
    "cities:source": "内置数据集的名称（yrd）",
    "cities:format": "输出格式：table（默认）、csv 或 json",
    "cities:lang": _LANG_HELP,
}


def _gettext_zh(message: str) -> str:
    return ARGPARSE_ZH.get(message, message) if message else message


def _ngettext_zh(singular: str, plural: str, n: int) -> str:
    return _gettext_zh(singular if n == 1 else plural)


@contextmanager
def argparse_language(lang: Literal["en", "zh"]) -> Iterator[None]:
    """Within the block, argparse writes its messages in ``lang``.

    argparse looks up ``argparse._`` and ``argparse.ngettext`` (its ``gettext``) each time it
    makes a message: the block puts :data:`ARGPARSE_ZH`'s lookups there in Chinese, and
    restores argparse's own after it (English: nothing changes).
    """
    if lang != "zh":
        yield
        return
    saved: tuple[Callable[[str], str], Callable[[str, str, int], str]] = (
        argparse._,  # type: ignore[attr-defined]
        argparse.ngettext,  # type: ignore[attr-defined]
    )
    argparse._ = _gettext_zh  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext_zh  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def help_keys(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.Action | None]]:
    """Every help text's key (see :data:`HELP_ZH`) and its action (None: a description)."""
    yield "", None
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            yield f":{action.dest}", action
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield f"choice:{choice.dest}", choice
            for name, command in action.choices.items():
                yield name, None
                for argument in command._actions:
                    if not isinstance(argument, argparse._HelpAction):
                        yield f"{name}:{argument.dest}", argument


def put_help_language(parser: argparse.ArgumentParser, lang: Literal["en", "zh"]) -> None:
    """Put the Chinese help texts (:data:`HELP_ZH`) in ``parser`` when ``lang`` is ``"zh"``."""
    if lang != "zh":
        return
    commands: dict[str, argparse.ArgumentParser] = {"": parser}
    for item in parser._actions:
        if isinstance(item, argparse._SubParsersAction):
            commands.update(item.choices)
    for key, action in help_keys(parser):
        zh = HELP_ZH.get(key)
        if zh is None:
            continue
        if action is None:
            commands[key].description = zh
        else:
            action.help = zh


def type_name_zh(message: str) -> str:
    """An argparse message with its type names (``int``) in Chinese (:data:`TYPE_ZH`).

    The subcommand, which argparse names by its ``dest`` (``command``), is 子命令.
    """
    for name, zh in TYPE_ZH.items():
        message = message.replace(f"有效的{name}", f"有效的{zh}")
    return message.replace("参数 command：", "子命令：")


__all__ = [
    "ARGPARSE_ZH",
    "HELP_ZH",
    "TYPE_ZH",
    "argparse_language",
    "help_keys",
    "put_help_language",
    "type_name_zh",
]
