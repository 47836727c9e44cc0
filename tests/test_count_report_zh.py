"""The plain count's text report in Chinese (``crossings --lang zh``, the default table).

Every line is Chinese: no Latin word is left but the names the data give no Chinese for (a
region, a feature, the source), interface ids, route numbers, commands to copy and the
words a Chinese page shows as they are (:data:`test_language.ALLOWED_IN_ZH`:
OpenStreetMap, ODbL, G60 ...). The same run in English and in Chinese holds the same
numbers, line by line; the Chinese report says each coverage note once, in Chinese, where
the English one has the English and the Chinese beside it. The English report's text is
what it was before the Chinese one was written (checked by diffing the outputs of 19 runs);
the JSON of ``--lang zh`` is the English run's, and ``tests/test_cli_golden.py`` holds it.
"""

from __future__ import annotations

import doctest
import functools
import json
import re
import string
from pathlib import Path

import pytest
from test_language import ALLOWED_IN_ZH, PATTERNS_IN_ZH

from geo.analysis import count_crossings
from geo.coverage import declared
from geo.io import count_words
from geo.io.report import _summary_line
from geo.io.sources import load_source
from geo.labels import DOCUMENTED_MEASURE_LABELS
from helpers import golden
from helpers.page_texts import english_sentence_words, english_words, phases_in_digits
from helpers.paths import ANDORRA, MONACO, ROOT

#: The runs read: the whole embedded dataset, one border (named in Chinese), a year with the
#: 2006 report's figures beside, an earlier year of one region, another basis, and the real
#: OpenStreetMap extracts (skipped when ../shared is absent).
CASES: dict[str, list[str]] = {
    "yrd": ["yrd"],
    "one-border": ["yrd", "--region", "浙江", "--neighbour", "Shanghai"],
    "2006-documented": ["yrd", "--as-of", "2006"],
    "1995-jiangsu": ["yrd", "--as-of", "1995", "--region", "Jiangsu"],
    "planned-anhui": ["yrd", "--basis", "planned", "--region", "Anhui"],
    "monaco": [str(MONACO)],
    "andorra": [str(ANDORRA)],
}

#: Latin words read as they are written: an option to type (``--as-of``) and, in the
#: engine's own Chinese sentences (its warnings), a thing named as OpenStreetMap names it: a
#: tag key, an element (``osm:way/93207288``, ``r1403916``).
AS_WRITTEN = (
    re.compile(r"--[\w-]+"),
    re.compile(r"\badmin_level\b"),
    re.compile(r"\bosm:(way|node|relation)/\d+"),
    re.compile(r"\br\d+\b"),
)
#: A coverage note's line, in English (``  highways partly covered: ...``) or Chinese.
NOTE_EN = re.compile(r"^  \S.* (partly covered|not covered): ")
NOTE_ZH = re.compile(r"^  \S.*(部分覆盖|未覆盖)：")
FIX_EN, FIX_ZH = "  To cover it: ", "  如需覆盖："
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _run(case: str, lang: str, fmt: str = "table") -> str:
    """What ``python -m geo crossings`` prints for ``case`` (run once a module)."""
    first = CASES[case][0]
    if first != "yrd" and not Path(first).is_file():
        pytest.skip(f"real OSM extract {Path(first).name} not found (../shared is absent)")
    return _printed(case, lang, fmt)


@functools.cache
def _printed(case: str, lang: str, fmt: str) -> str:
    return golden.run(["crossings", *CASES[case], "--format", fmt, "--lang", lang])


@functools.cache
def _names_kept(case: str) -> frozenset[str]:
    """What the Chinese report may name as the data do: what has no Chinese name.

    The source, the interfaces' ids and route numbers, the regions without a ``name_zh``
    and the features without one (named by their ``name``).
    """
    data = json.loads(_run(case, "en", "json"))
    source = load_source(CASES[case][0])
    regions = source.region_set.regions
    with_zh = {
        str(name)
        for name, zh in zip(regions["name"], regions["name_zh"])
        if isinstance(zh, str) and zh.strip()
    }
    kept = {str(data["source"])}
    kept |= {str(p[k]) for p in data["pairs"] for k in ("a", "b")} - with_zh
    features_zh = {
        str(fid)
        for frame in source.layers.values()
        if "name_zh" in frame.columns
        for fid, zh in zip(frame["id"], frame["name_zh"])
        if isinstance(zh, str) and zh.strip()
    }
    for record in data["interfaces"]:
        kept |= {str(record["id"]), str(record["ref"] or "")}
        if not features_zh & set(record["source_ids"]):
            kept.add(str(record["name"] or ""))
    return frozenset(k for k in kept if k)


def _english_left(line: str, kept: frozenset[str] = frozenset()) -> list[str]:
    """The Latin words of ``line`` that are not a name kept, written as typed nor allowed."""
    for name in sorted(kept, key=len, reverse=True):  # longest first: an id holds a name
        line = line.replace(name, " ")
    for pattern in AS_WRITTEN:
        line = pattern.sub(" ", line)
    return english_sentence_words(line) + english_words(line, ALLOWED_IN_ZH, PATTERNS_IN_ZH)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_line_of_the_chinese_report_is_chinese(case):
    text = _run(case, "zh")
    kept = _names_kept(case)
    left = {line: words for line in text.splitlines() if (words := _english_left(line, kept))}
    assert not left, "\n".join(f"{words}: {line[:160]}" for line, words in left.items())
    heads = text.splitlines()[:2]
    assert all(_CJK.search(line) for line in heads), heads


def test_the_check_finds_a_line_left_in_english():
    kept = _names_kept("one-border")
    english = _run("one-border", "en").splitlines()
    assert _english_left(english[0], kept)  # Source: yrd
    summary = next(line for line in english if "route(s)" in line)
    assert _english_left(summary, kept)


def test_regions_and_routes_are_named_in_chinese_where_the_data_name_them():
    text = _run("one-border", "zh")
    assert "浙江省 – 上海市（陆地边界）" in text
    assert "Zhejiang – Shanghai" not in text and "Shanghai–Zhejiang Expressway" not in text
    assert "G60 沪杭高速公路" in text  # the feature's name_zh, its route number kept
    assert "highways/Shanghai–Zhejiang/yrd:hwy-g60-hu-hang" in text  # the id as it is


#: An interface's line up to its route (a name of the data, in either language, whose
#: digits are its own), and from its lines on: ``; 1 carriageway(s)``, ``；1 幅``.
ROUTE = re.compile(r"^(  \S+\s+.+?  \S+\s+).*?((?:; |；)\d+ (?:carriageway|line|幅|条线))")


def _figure_lines(text: str) -> list[str]:
    """The report's lines of figures: all but the notes, warnings and the attribution.

    A documented figure's line is cut before its explanation, an interface's route left
    out (prose and names, written apart in each language), a port's phase in digits. The
    attribution is the last line of these runs.
    """
    out = []
    for line in text.rstrip("\n").splitlines()[:-1]:
        if NOTE_EN.match(line) or NOTE_ZH.match(line) or line.startswith((FIX_EN, FIX_ZH)):
            continue
        if line.startswith(("Warning: ", "警告：")):
            continue
        out.append(phases_in_digits(ROUTE.sub(r"\1\2", line.split(" — ")[0])))
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_chinese_report_holds_the_english_ones_numbers_line_by_line(case):
    english, chinese = _figure_lines(_run(case, "en")), _figure_lines(_run(case, "zh"))
    assert len(english) == len(chinese)
    for number, (en, zh) in enumerate(zip(english, chinese)):
        en_digits, zh_digits = re.findall(r"\d+", en), re.findall(r"\d+", zh)
        if number == 1:  # the basis counted: "as of 2006, open (2006年，已通车)", both languages
            assert set(en_digits) == set(zh_digits), (en, zh)
        else:
            assert sorted(en_digits) == sorted(zh_digits), (en, zh)


@pytest.mark.parametrize("case", ["yrd", "andorra", "1995-jiangsu"])
def test_the_chinese_report_says_each_note_once_in_chinese(case):
    english, chinese = _run(case, "en").splitlines(), _run(case, "zh").splitlines()
    beside = [line.split("：", 1)[1] for line in english if NOTE_ZH.match(line)]
    notes = [line.split("：", 1)[1] for line in chinese if NOTE_ZH.match(line)]
    assert notes and notes == beside
    assert not any(NOTE_EN.match(line) or line.startswith(FIX_EN) for line in chinese)
    assert [x for x in chinese if x.startswith(FIX_ZH)] == [
        x for x in english if x.startswith(FIX_ZH)
    ]
    assert sum(bool(NOTE_EN.match(line)) for line in english) == len(notes)


def test_the_json_of_a_chinese_run_is_the_english_runs():
    assert _run("2006-documented", "zh", "json") == _run("2006-documented", "en", "json")


def test_a_border_not_covered_says_what_was_found_in_chinese():
    """As tests/test_coverage.py's English: the Jiangsu–Shanghai pipelines declared not
    covered still show the two found, in Chinese the same numbers."""
    import copy

    yrd = load_source("yrd")
    manifest = json.loads((ROOT / "data" / "yrd" / "dataset.json").read_text(encoding="utf-8"))
    raw = copy.deepcopy(manifest["coverage"])
    for entry in raw["borders"]:
        if entry["border"] == "Jiangsu–Shanghai":
            del entry["layers"]["pipelines"]
    result = count_crossings(
        yrd.layers, yrd.region_set, as_of=2024, coverage=declared(raw, source="yrd")
    )
    summary = result.summary
    border = (summary["a"] == "Jiangsu") & (summary["b"] == "Shanghai")
    row = summary[border & (summary["layer"] == "pipelines")].iloc[0]
    line = _summary_line(row.to_dict(), "zh")
    assert line.startswith("  管道") and "未覆盖（仍找到：2 条线路，2 处接口" in line, line
    assert not _english_left(line)


def test_the_words_module_examples_hold():
    assert doctest.testmod(count_words).failed == 0


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_word_of_the_report_is_written_in_both_languages():
    words = {
        **count_words.WORDS,
        **{f"{unit} {i}": w for unit, pair in count_words.CAPACITY_WORDS.items()
           for i, w in enumerate(pair)},
    }  # fmt: skip
    for key, text in words.items():
        assert text.en.strip() and text.zh.strip(), key
        # Filled from the same fields; the English head says the basis in both languages.
        assert _fields(text.zh) == _fields(text.en) - ({"en"} if key == "counted" else set()), key
        chinese = re.sub(r"\{[^{}]*\}", " ", text.zh)
        assert not _english_left(chinese), (key, text.zh)
    assert all(_CJK.search(zh) for zh in count_words.PAIR_KINDS_ZH.values())
    assert all(_CJK.search(w["zh"]) for w in DOCUMENTED_MEASURE_LABELS.values())
