"""The command line's own words in the language chosen: argparse's usage errors and help.

``python -m geo ... --lang zh`` (or ``JIEGUI_LANGUAGE=zh``, or a Chinese locale) says a usage
error (an unknown option, a bad choice, a missing argument) in one Chinese sentence with no
English sentence left, exit code 2, no traceback, and prints ``--help`` in Chinese;
``--lang en`` stays English (issue 14, item 4).
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import subprocess
import sys

import pytest

from geo import settings
from geo.cli import main
from geo.cli_words import ARGPARSE_ZH, HELP_ZH, help_keys
from helpers.page_texts import english_sentence_words
from helpers.paths import ROOT

_CJK = re.compile(r"[\u4e00-\u9fff]")

#: Usage errors argparse finds, each with words of argparse's English message.
USAGE_ERRORS = {
    "bad choice": (["crossings", "yrd", "--format", "xml"], "invalid choice"),
    "unknown option": (["crossings", "yrd", "--bogus"], "unrecognized arguments"),
    "missing argument": (["crossings"], "the following arguments are required"),
    "missing option": (["export", "yrd"], "the following arguments are required"),
    "no value": (["crossings", "yrd", "--region"], "expected one argument"),
    "not a number": (["crossings", "yrd", "--workers", "soon"], "invalid int value"),
    "unknown command": (["count", "yrd"], "invalid choice"),
    "two modes": (["crossings", "yrd", "--overview", "--timeline"], "not allowed with"),
    "two values short": (["crossings", "yrd", "--compare", "2006"], "expected 2 arguments"),
}


@pytest.fixture(autouse=True)
def _no_language_setting(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", settings.LANGUAGE.variable):
        monkeypatch.delenv(variable, raising=False)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def assert_one_chinese_sentence(err: str) -> None:
    assert err.startswith("jiegui: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "usage" not in err
    sentence = err.removeprefix("jiegui: ")
    assert _CJK.search(sentence), sentence
    assert not english_sentence_words(sentence), (english_sentence_words(sentence), sentence)


@pytest.mark.parametrize("case", sorted(USAGE_ERRORS))
def test_a_usage_error_is_one_sentence_in_the_language_chosen(case, capsys):
    argv, english = USAGE_ERRORS[case]
    code, _, err = _run([*argv, "--lang", "zh"], capsys)
    assert code == 2
    assert_one_chinese_sentence(err)
    assert "--help" in err  # where to read the options
    code, _, err = _run([*argv, "--lang", "en"], capsys)
    assert code == 2 and err.startswith("jiegui: ") and err.count("\n") == 1, err
    assert english in err and not _CJK.search(err), err
    code, _, default = _run(argv, capsys)  # no --lang, no setting, no locale: English
    assert code == 2 and default == err


def test_the_setting_or_the_locale_choose_chinese_too(capsys, monkeypatch):
    monkeypatch.setenv(settings.LANGUAGE.variable, "zh")
    code, _, err = _run(["crossings", "yrd", "--format", "xml"], capsys)
    assert code == 2
    assert_one_chinese_sentence(err)
    monkeypatch.delenv(settings.LANGUAGE.variable)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, _, err = _run(["crossings", "yrd", "--bogus"], capsys)
    assert code == 2
    assert_one_chinese_sentence(err)


@pytest.mark.parametrize("command", [[], ["crossings"], ["fetch"], ["export"], ["cities"]])
def test_help_is_chinese_with_lang_zh(command, capsys):
    code, out, _ = _run([*command, "--help", "--lang", "zh"], capsys)
    assert code == 0
    assert out.startswith("用法：python -m geo")
    body = out.split("\n\n", 1)[1]  # after the usage line (options and their metavars)
    assert _CJK.search(body)
    left = english_sentence_words(body)
    assert left == [], (left, body)
    assert "show this help" not in out and "positional arguments" not in out
    code, out, _ = _run([*command, "--help", "--lang", "en"], capsys)
    assert code == 0 and out.startswith("usage: python -m geo") and "show this help" in out


def test_every_help_text_has_its_chinese():
    from geo.cli import build_parser

    keys = dict(help_keys(build_parser()))
    missing = [
        k for k, action in keys.items() if k not in HELP_ZH and (action is None or action.help)
    ]
    assert missing == []
    assert sorted(set(HELP_ZH) - set(keys)) == []  # none left over from a removed option
    for key, zh in HELP_ZH.items():
        assert _CJK.search(zh), key
        assert not english_sentence_words(zh), (key, english_sentence_words(zh), zh)


def test_argparse_still_has_the_messages_translated():
    # The ids are argparse's own (this Python's): one renamed by a Python upgrade would be
    # shown in English again; this says which.
    source = inspect.getsource(argparse)
    gone = [m for m in ARGPARSE_ZH if repr(m) not in source and f'"{m}"' not in source]
    assert gone == []
    for english, zh in ARGPARSE_ZH.items():  # the same placeholders, so formatting works
        assert sorted(re.findall(r"%\(\w+\)[rs]|%[rs]", english)) == sorted(
            re.findall(r"%\(\w+\)[rs]|%[rs]", zh)
        ), english


def test_argparse_speaks_english_again_after_a_chinese_run(capsys):
    _run(["crossings", "yrd", "--bogus", "--lang", "zh"], capsys)
    parser = argparse.ArgumentParser(prog="other")
    assert "usage: other" in parser.format_usage()  # argparse's gettext restored


@pytest.mark.parametrize("lang", ["zh_CN.UTF-8", "en_US.UTF-8"])
def test_python_m_geo_in_a_chinese_or_english_locale(lang):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "JIEGUI_LANGUAGE"))}
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "crossings", "yrd", "--format", "xml"],
        cwd=ROOT, capture_output=True, text=True, timeout=180, env={**env, "LANG": lang},
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    if lang.startswith("zh"):
        assert_one_chinese_sentence(proc.stderr)
    else:
        assert proc.stderr.startswith("jiegui: argument --format: invalid choice: 'xml'")


def test_what_the_command_line_wrote_is_said_in_the_language_chosen(tmp_path, capsys):
    # crossings --out and export say what they wrote: in Chinese with --lang zh.
    out = tmp_path / "counts.json"
    assert main(["crossings", "yrd", "--format", "json", "--out", str(out), "--lang", "zh"]) == 0
    assert capsys.readouterr().err.strip() == f"已写出 {out}"
    package = tmp_path / "zs.gpkg"
    argv = ["export", "yrd", "--region", "浙江", "--neighbour", "上海", "--out", str(package)]
    assert main([*argv, "--lang", "zh"]) == 0
    said = capsys.readouterr().out.strip()
    assert said.startswith(f"已写出 {package}（") and "个接口" in said, said
    assert not english_sentence_words(said.replace(str(package), "")), said
    package.unlink()
    assert main([*argv, "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith(f"Wrote {package} (")


# ------------------------------------------------------------- --lang before the command


@pytest.mark.parametrize("command", [[], ["crossings"], ["resilience"]])
def test_lang_before_the_command_counts_too(command, capsys):
    # docs/language.md: "--lang zh anywhere on the line counts"; before the command it was
    # an unrecognised argument (exit 2).
    code, out, _ = _run(["--lang", "zh", *command, "--help"], capsys)
    assert code == 0
    assert out.startswith("用法：python -m geo") and "--lang" in out
    assert not english_sentence_words(out.split("\n\n", 1)[1])


def test_lang_before_the_command_sets_the_errors_language_and_after_it_wins(capsys):
    code, _, err = _run(["--lang", "zh", "crossings", "yrd", "--format", "xml"], capsys)
    assert code == 2
    assert_one_chinese_sentence(err)
    assert main(["--lang", "zh", "crossings", "yrd", "--as-of", "x"]) == 2
    assert_one_chinese_sentence(capsys.readouterr().err)
    assert main(["--lang", "zh", "crossings", "yrd", "--as-of", "x", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jiegui: --as-of takes whole years") and not _CJK.search(err), err


# ---------------------------------------------------------------- --as-of not a number


@pytest.mark.parametrize(
    "argv",
    [
        ["crossings", "yrd"],
        ["export", "yrd", "--region", "Zhejiang", "--out", "x.zip"],
        ["resilience", "yrd", "--region", "Zhejiang"],
    ],
    ids=["crossings", "export", "resilience"],
)
def test_as_of_not_a_number_is_one_sentence_with_an_example(argv, capsys, tmp_path, monkeypatch):
    # It was argparse's "argument --as-of: invalid int value: '20O6'".
    monkeypatch.chdir(tmp_path)
    assert main([*argv, "--as-of", "20O6", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "jiegui: --as-of takes whole years such as 2006 (got '20O6'); give e.g. --as-of 2020.\n"
    )
    assert main([*argv, "--as-of", "20O6", "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert_one_chinese_sentence(err)
    assert "'20O6'" in err and "例如 --as-of 2020" in err
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------ the warnings of a table, in its language


@pytest.fixture
def bowtie_regions(tmp_path):
    """Two regions, one a self-crossing polygon: counting them warns that it was repaired."""
    import geopandas as gpd
    import shapely

    path = tmp_path / "bowtie.geojson"
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    gpd.GeoDataFrame(
        {"name": ["Bow", "Square"]}, geometry=[bowtie, shapely.box(1, 0, 2, 1)], crs=4326
    ).to_file(path)
    return path


@pytest.mark.parametrize("mode", [[], ["--overview"]], ids=["interfaces", "overview"])
def test_the_table_s_warnings_are_in_the_language_chosen(bowtie_regions, mode, capsys):
    # With --lang zh they were printed in English ("Warning: ...").
    assert main(["crossings", str(bowtie_regions), *mode, "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    warned = [line for line in out.splitlines() if line.startswith(("Warning", "警告"))]
    assert warned and all(line.startswith("警告：") for line in warned), out
    for line in warned:
        assert _CJK.search(line) and not english_sentence_words(line), line
    assert main(["crossings", str(bowtie_regions), *mode, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    warned = [line for line in out.splitlines() if line.startswith(("Warning", "警告"))]
    assert warned and all(line.startswith("Warning: ") for line in warned), out
    assert main(["crossings", str(bowtie_regions), *mode, "--format", "json", "--lang", "zh"]) == 0
    assert "repaired" in " ".join(json.loads(capsys.readouterr().out)["warnings"])  # contract


# ----------------------------------------------------- JIEGUI_LANGUAGE naming no language


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_language_setting_naming_no_language_is_said_not_ignored(lang, capsys, monkeypatch):
    monkeypatch.setenv(settings.LANGUAGE.variable, "fr")
    assert main(["cities", "yrd", "--lang", lang]) == 0
    out, err = capsys.readouterr()
    assert out  # the command ran
    assert err.count("\n") == 1 and "JIEGUI_LANGUAGE='fr'" in err, err
    if lang == "zh":
        assert err.startswith("jiegui: 警告：") and "en 或 zh" in err, err
        assert not english_sentence_words(err.removeprefix("jiegui: ")), err
    else:
        assert err.startswith("jiegui: warning: ") and "(en or zh" in err, err
        assert not _CJK.search(err)
    monkeypatch.setenv(settings.LANGUAGE.variable, "zh-CN")  # a tag naming zh: nothing said
    assert main(["cities", "yrd", "--lang", lang]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("locale", ["C.UTF-8", "zh_CN.UTF-8"])
def test_a_language_setting_naming_no_language_is_said_in_both_without_lang(
    locale, capsys, monkeypatch
):
    # JIEGUI_LANGUAGE=fr: the language meant is unknown, so the warning is said in English
    # and in Chinese whatever the locale (before, only in the locale's).
    monkeypatch.setenv(settings.LANGUAGE.variable, "fr")
    monkeypatch.setenv("LANG", locale)
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    assert main(["cities", "yrd"]) == 0
    out, err = capsys.readouterr()
    assert out  # the command ran
    english, chinese = err.splitlines()
    assert english.startswith("jiegui: warning: JIEGUI_LANGUAGE='fr' names no language")
    assert not _CJK.search(english)
    assert chinese.startswith("jiegui: 警告：JIEGUI_LANGUAGE='fr' 不是本工具支持的语言")
    assert not english_sentence_words(chinese.removeprefix("jiegui: "))
