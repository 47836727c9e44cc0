"""The border tables' text in Chinese: ``crossings --overview | --compare | --timeline --lang zh``.

Every line of the text tables is Chinese with ``--lang zh`` (the title, headers, cells, the
coverage notes, ports, changes, documented figures, attribution), regions and features
named by the Chinese names the data give; the figures are those of the English table, and
the grid's columns line up on a terminal. The English tables are checked elsewhere
(``test_cli_border_tables``, ``test_compare``, ``test_timeline``) and are unchanged.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import unicodedata

import pytest
from test_language import ALLOWED_IN_ZH, PATTERNS_IN_ZH

import geo.io.table_words
import geo.names_zh
from geo.cli import main
from geo.coverage import BorderNote, Cover
from geo.io.border_report import _compare_span, _span
from geo.io.sources import load_source
from geo.text import Bilingual
from helpers.page_texts import english_sentence_words, english_words, phases_in_digits

#: The tables asked for, each in English and Chinese: a comparison with changes of every
#: kind the data hold, a timeline with documented figures (2006) and ports.
MODES = {
    "overview": ("--overview",),
    "compare": ("--compare", "2006", "2024"),
    "timeline": ("--timeline", "2000", "2010", "--region", "Zhejiang"),
}

#: A feature's or an interface's id (``yrd:hwy-g42-he-ning``,
#: ``highways/Anhui–Jiangsu/yrd:rail-jinghu-hsr#2``): written as the data have it.
_ID = re.compile(r"(?:[a-z]+/[^/\s（）()]+/)?[a-z]+:[\w./#-]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
#: The source's name, written as it is ("数据来源：yrd").
SOURCE_NAMES = frozenset({"yrd"})


def _run(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["crossings", "yrd", *args]) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def tables() -> dict[str, dict[str, str]]:
    """Each mode's text table, ``{mode: {"en": ..., "zh": ...}}``."""
    return {
        mode: {lang: _run(*args, "--lang", lang) for lang in ("en", "zh")}
        for mode, args in MODES.items()
    }


@pytest.fixture(scope="module")
def feature_names() -> list[str]:
    """Every feature's name in the data, English and Chinese, longest first."""
    names = set()
    for frame in load_source("yrd").layers.values():
        for column in ("name", "name_zh", "name_en"):
            if column in frame.columns:
                names.update(str(n) for n in frame[column] if isinstance(n, str) and n.strip())
    return sorted(names, key=len, reverse=True)


def _english_left(text: str) -> list[str]:
    """Latin words of ``text`` but ids, names and units a Chinese text keeps as they are."""
    plain = _ID.sub(" ", text)
    return english_words(plain, ALLOWED_IN_ZH | SOURCE_NAMES, PATTERNS_IN_ZH)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.mark.parametrize("mode", MODES)
def test_every_line_in_chinese_has_no_english_but_names_ids_and_units(tables, mode):
    text = tables[mode]["zh"]
    left = {line: _english_left(line) for line in text.splitlines()}
    assert {line: words for line, words in left.items() if words} == {}
    assert english_sentence_words(text) == []
    # The lines the English table writes around its figures are gone, each of them.
    for english in ("Source:", "Border", "unknown", "Coverage", "Partly covered", "features"):
        assert english not in text, english
    # Regions by their Chinese names, the notes in Chinese only, one line per note.
    assert "浙江省" in text and "Zhejiang –" not in text
    notes = _notes(text.splitlines(), "覆盖范围：")
    assert notes and all(_CJK.search(line) for line in notes)
    assert len(notes) == len(_notes(tables[mode]["en"].splitlines(), "Coverage (覆盖范围):")) / 2


def test_the_changes_ports_and_documented_figures_are_said_in_chinese(tables):
    compare, timeline = tables["compare"]["zh"], tables["timeline"]["zh"]
    assert "2006 年至 2024 年的变化（按接口编号对应）：" in compare
    # G42 widened from 4 to 8 lanes in 2022, named by its Chinese name, its id as it is.
    assert re.search(
        r"公路 +扩容 +G42 合宁高速公路[^（]*（highways/Anhui–Jiangsu/yrd:hwy-g42-he-ning）："
        r"4 -> 8 车道；2022；要素 yrd:hwy-g42-he-ning",
        compare,
    ), compare
    assert "：航道等级 V级 -> III级；2017；" in compare  # a waterway's grade, widened
    assert "：9 -> ? 泊位；2008、2017；" in compare  # Yangshan's berths, years listed so
    assert "文件所载数字（计入已通车及在建的连接）：" in timeline
    assert "  浙江省 – 上海市 港口：一期泊位 15（2006 年）" in timeline
    overview = tables["overview"]["zh"]
    assert "  上海市 – 浙江省：洋山深水港区（yrd:port-yangshan），经 S2 东海大桥" in overview
    # The dataset's credit in Chinese (its attribution_zh), in place of the English one.
    assert overview.rstrip().splitlines()[-1].startswith("边界及河流：Natural Earth（公有领域）")


def _notes(lines: list[str], heading: str) -> list[str]:
    """The notes under ``heading``: its lines of four spaces, up to the next empty line."""
    at = lines.index(heading)
    block = lines[at + 1 : lines.index("", at)]
    return [line for line in block if line.startswith("    ")]


def _without_english_notes(lines: list[str]) -> list[str]:
    """The English table's lines without its English notes (the Chinese table has none)."""
    if "Coverage (覆盖范围):" not in lines:
        return lines
    at = lines.index("Coverage (覆盖范围):")
    end = lines.index("", at)
    block = [
        line for line in lines[at:end] if not (line.startswith("    ") and not _CJK.search(line))
    ]
    return [*lines[:at], *block, *lines[end:]]


@pytest.mark.parametrize("mode", MODES)
def test_the_chinese_table_has_the_english_tables_figures_line_by_line(tables, feature_names, mode):
    english = _without_english_notes(tables[mode]["en"].splitlines())
    chinese = tables[mode]["zh"].splitlines()
    assert len(english) == len(chinese)

    def figures(line: str) -> list[str]:
        for name in feature_names:  # a name's digits ("phase 1", 一期) are the data's
            line = line.replace(name, " ")
        return re.findall(r"\d+", phases_in_digits(line))

    differ = [(e, c) for e, c in zip(english, chinese) if figures(e) != figures(c)]
    assert differ == []
    assert sum(len(figures(line)) for line in chinese) > 100


def _starts(row: str) -> list[int]:
    """The terminal columns where the grid's cells start (after two spaces or more)."""
    starts, column, spaces = [], 0, 2
    for char in row:
        if char != " " and spaces >= 2:
            starts.append(column)
        spaces = spaces + 1 if char == " " else 0
        column += _width(char)
    return starts


@pytest.mark.parametrize("mode", ["overview", "compare"])
def test_the_chinese_grid_lines_up_on_a_terminal(tables, mode):
    lines = tables[mode]["zh"].splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("边界  "))
    grid = lines[at : lines.index("", at)]
    assert grid[0].split()[:3] == ["边界", "公路（车道）", "铁路（股道）"]
    assert len(grid) == 10  # the header and yrd's nine borders
    header = _starts(grid[0])
    assert len(header) == 6  # the border and five layers
    assert [row for row in grid if _starts(row) != header] == []


def test_the_chinese_changes_and_timeline_line_up_on_a_terminal(tables):
    block = tables["compare"]["zh"].partition("的变化（按接口编号对应）：")[2].partition("\n\n")[0]
    changes = re.findall(r"^    (\S+ +\S+ +)\S", block, re.MULTILINE)
    assert len(changes) > 40
    assert {_width(prefix) for prefix in changes} == {8 + 1 + 16 + 1}  # 内河航道, 通行能力数据变化
    years = re.findall(r"^  (.*?)(?=(?:19|20)\d\d  )", tables["timeline"]["zh"], re.MULTILINE)
    assert len(years) > 40
    assert {_width(prefix) for prefix in years} == {9}  # 内河航道 (8) and a space


def test_a_note_of_some_years_only_says_them_in_chinese():
    cover = Cover(True, partly=True, reason=Bilingual("some", "部分"))
    said = Bilingual(
        "Partly covered (Zhejiang–Anhui: highways): some; fix.",
        "部分覆盖（Zhejiang–Anhui：highways）：部分；办法。",
    )
    reason, fix = Bilingual("some", "部分"), Bilingual("fix", "办法")
    border = ("Zhejiang", "Anhui", ("highways",), cover, reason, "部分", said)
    note = BorderNote(*border, 2006, 2006, fix)
    assert _span(note, "zh") == "2006 年：" and _span(note) == "2006: "
    assert note.in_chinese({"Zhejiang": "浙江省"}) == "部分覆盖（浙江省–Anhui：公路）：部分；办法。"

    class Two:  # a comparison of 2006 and 2024 (its years only)
        year_a, year_b = 2006, 2024

    span = _compare_span(Two())  # type: ignore[arg-type]
    assert span(note, "zh") == "2006 年：" and span(note, "en") == "2006: "
    whole = BorderNote(*border, 2006, 2024)
    assert span(whole, "zh") == ""
    assert whole.in_chinese({}) == said.zh  # no fix known: the note as it was


@pytest.mark.parametrize("module", [geo.names_zh, geo.io.table_words])
def test_the_examples_of_the_words_and_names_hold(module):
    assert doctest.testmod(module).failed == 0


@pytest.mark.shared
def test_an_osm_file_names_regions_in_chinese_where_it_tags_them_and_keeps_the_others(
    monaco_path, capsys
):
    argv = ["crossings", str(monaco_path), "--all-regions", "--admin-level", "8", "--lang", "zh"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    # Monaco has a name:zh tag; the French communes around it have none: named as given.
    assert "Beausoleil – 摩纳哥" in text and "摩纳哥 – Roquebrune-Cap-Martin" in text
    assert "Monaco" not in text
    # OpenStreetMap's credit in Chinese, its licence and address as they are.
    assert text.rstrip().splitlines()[-1] == (
        "数据 © OpenStreetMap 贡献者（ODbL 1.0）；https://www.openstreetmap.org/copyright"
    )
    names = {
        "beausoleil",
        "cap-d'ail",
        "la",
        "turbie",
        "roquebrune-cap-martin",
        "monaco-2012-06-29",
    }
    kept = {"admin", "level", "r174558", "r174562", "r174956", "r174958"}  # admin_level, ids
    left = english_words(_ID.sub(" ", text), ALLOWED_IN_ZH | names | kept, PATTERNS_IN_ZH)
    assert left == []
