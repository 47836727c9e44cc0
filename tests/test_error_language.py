"""Every error a person reads, in Chinese and English (issue 14, item 4).

A :class:`geo.errors.JieguiError` takes its sentence as a :class:`geo.text.Bilingual`; these
tests enumerate every place that makes one (an AST scan of ``geo/``, ``app/``, ``layers/`` and
the page) and check the sentences written there, then trigger a set of real errors through
the command line (both languages, exit code 2, no traceback), the engine and the page.
"""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import re
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

import app
import geo
import geo.errors
import layers
from app import link_state
from app.language import use
from geo import settings
from geo.cli import main, message_language
from geo.errors import (
    AmbiguousRegionError,
    InputFileError,
    InvalidParameterError,
    JieguiError,
    UnknownRegionError,
)
from geo.io.overpass import allowed_url
from geo.region_names import RegionNames
from geo.text import Bilingual
from helpers.bad_inputs import everything
from helpers.page_texts import english_sentence_words, outside_quotes, readable
from helpers.paths import ROOT

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
def _jiegui_classes() -> set[str]:
    """The names of every JieguiError subclass, once every module that defines one is loaded."""
    for package in (geo, app):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not info.name.endswith("__main__"):  # python -m geo: runs the command line
                importlib.import_module(info.name)
    found: set[str] = set()
    todo = [JieguiError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _scanned_files() -> list[Path]:
    folders = [ROOT / "geo", ROOT / "app", ROOT / "layers"]
    return [*sorted(p for f in folders for p in f.rglob("*.py")), ROOT / "streamlit_app.py"]


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _error_calls() -> list[tuple[str, ast.Call]]:
    """Every call that makes a JieguiError, ``(file:line, call)``."""
    classes = _jiegui_classes()
    calls = []
    for path in _scanned_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in classes:
                calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return calls


def _plain(node: ast.expr) -> str:
    """The literal text of a string or f-string, its placeholders as ``{}``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_plain(v) if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.IfExp):
        return _plain(node.body) + " " + _plain(node.orelse)
    if isinstance(node, ast.BinOp):
        return _plain(node.left) + _plain(node.right)
    return "{}"


def assert_chinese(zh: str) -> None:
    assert _CJK.search(zh), zh
    assert not english_sentence_words(zh), (english_sentence_words(zh), zh)


def assert_english(en: str, *, names: tuple[str, ...] = ()) -> None:
    """No Chinese in ``en`` but in what it quotes and in the data's ``names``."""
    plain = re.sub(r"\([^()]*\)", " ", outside_quotes(en))  # Zhejiang (浙江省): a region
    for name in names:
        plain = plain.replace(name, "")
    assert not _CJK.search(plain.replace("–", "")), en


# ------------------------------------------------------------------ every place an error is made


def test_every_error_is_made_with_a_bilingual_sentence():
    calls = _error_calls()
    assert len(calls) > 120  # the scan finds them (about 150 in geo/, geo/io/ and app/)
    plain = (ast.Constant, ast.JoinedStr, ast.BinOp)
    bad = [
        where for where, call in calls
        if call.args and not any(k.arg == "zh" for k in call.keywords) and (
            isinstance(call.args[0], plain)
            or (isinstance(call.args[0], ast.Call) and _name(call.args[0].func) in {"str"})
        )
    ]  # fmt: skip
    assert bad == [], f"errors made with a one-language message: {bad}"


def _bilinguals() -> list[tuple[str, ast.Call]]:
    """Every ``Bilingual(en, zh)`` written inside a call that makes an error (or its parts)."""
    parts = _jiegui_classes() | {"exceeded", "_damaged", "check_year", "_too_many", "_layer_file"}
    helpers = {"_unknown", "_osm_range_message", "_too_many", "_layer_file", "_describe_zh"}
    found = []
    for path in _scanned_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        roots: list[ast.AST] = [
            n for n in ast.walk(tree)
            if (isinstance(n, ast.Call) and _name(n.func) in parts)
            or (isinstance(n, ast.FunctionDef) and n.name in helpers)
        ]  # fmt: skip
        for root in roots:
            for node in ast.walk(root):
                if isinstance(node, ast.Call) and _name(node.func) == "Bilingual":
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
                zh = [k.value for k in getattr(node, "keywords", []) if k.arg == "zh"]
                if isinstance(node, ast.Call) and node.args and zh:  # layers: (en, zh=...)
                    pair = ast.Call(ast.Name("Bilingual"), [node.args[0], zh[0]], [])
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", pair))
    return list({where: node for where, node in found}.items())


def test_every_error_sentence_is_written_in_both_languages():
    sentences = _bilinguals()
    assert len(sentences) > 120
    for where, call in sentences:
        assert len(call.args) == 2, where
        if not all(isinstance(a, (ast.Constant, ast.JoinedStr, ast.IfExp)) for a in call.args):
            continue  # made of other texts (layers' two sentences), checked where written
        en, zh = (_plain(a) for a in call.args)
        assert zh.strip("{} ") and en.strip("{} "), where
        assert_english(en)
        assert not english_sentence_words(zh), (where, english_sentence_words(zh), zh)
        if len(zh.replace("{}", "").strip()) > 3:  # more than a placeholder or a name
            assert _CJK.search(zh), (where, zh)


def test_an_error_keeps_english_for_logs_and_gives_either_language():
    error = InputFileError(Bilingual("File 'a.osm' does not exist.", "找不到文件 'a.osm'。"))
    assert str(error) == "File 'a.osm' does not exist." == error.text("en")
    assert error.text("zh") == "找不到文件 'a.osm'。"
    assert isinstance(error, OSError)
    region = UnknownRegionError(Bilingual("No region 'x'.", "没有地区 'x'。"))
    assert str(region) == "No region 'x'."  # not quoted as a KeyError would
    import pickle

    again = pickle.loads(pickle.dumps(error))
    assert type(again) is InputFileError and again.text("zh") == error.text("zh")


def test_layers_stay_below_geo_and_geo_names_an_unknown_layer_in_both():
    with pytest.raises(layers.UnknownLayerError) as raised:
        geo.errors.layer_spec("roads")
    assert isinstance(raised.value, JieguiError)
    assert_chinese(raised.value.text("zh"))
    assert "roads" in raised.value.text("zh") and "highways" in raised.value.text("zh")


# ------------------------------------------------ every warning and progress line, in both


#: The functions that make a warning and hand it back (not appended where they are made).
_WARNING_MAKERS = {
    "overdue_warning", "conversion_note", "_layer_warnings", "_unread_layers", "_assemble",
    "usable_features", "_usable", "_repaired",
}  # fmt: skip


def _warning_bilinguals() -> list[tuple[str, ast.Call]]:
    """Every ``Bilingual(en, zh)`` the engine writes as a warning or a progress line.

    Those appended to (or extending) a list named ``warnings`` or ``notes``, passed to a
    ``progress`` callback, or made inside a function of :data:`_WARNING_MAKERS`.
    """
    found = []
    for path in sorted((ROOT / "geo").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        roots: list[ast.AST] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in _WARNING_MAKERS:
                roots.append(node)
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if _name(func) == "progress" or (
                isinstance(func, ast.Attribute)
                and func.attr in {"append", "extend"}
                and _name(func.value) in {"warnings", "notes"}
            ):
                roots.append(node)
        for root in roots:
            for node in ast.walk(root):
                if isinstance(node, ast.Call) and _name(node.func) == "Bilingual":
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return list({where: node for where, node in found}.items())


def test_every_warning_and_progress_line_is_written_in_both_languages():
    sentences = _warning_bilinguals()
    assert len(sentences) >= 20, sentences  # 24 when written (geo/, geo/io/)
    for where, call in sentences:
        assert len(call.args) == 2, where
        en, zh = (_plain(a) for a in call.args)
        assert zh.strip("{} ") and en.strip("{} "), where
        assert _CJK.search(zh), (where, zh)
        assert not english_sentence_words(zh), (where, english_sentence_words(zh), zh)
        assert_english(en)


def test_warnings_and_progress_are_typed_bilingual_so_mypy_holds_every_site():
    import typing
    from collections.abc import Callable

    from geo.analysis import CrossingResult, LayerCount
    from geo.io.osm_features import Progress
    from geo.io.package import FetchResult
    from geo.overview import Overview
    from geo.regions import RegionSet

    for kind in (RegionSet, CrossingResult, LayerCount, Overview, FetchResult):
        assert typing.get_type_hints(kind)["warnings"] == list[Bilingual], kind
    assert Progress == Callable[[Bilingual], None]


def test_the_chinese_page_shows_a_loader_note_in_chinese_only(tmp_path, monkeypatch):
    # A bow-tie polygon is repaired with a note; the Chinese page says it in Chinese, with
    # no English lead or sentence; the English page in English.
    monkeypatch.setenv(settings.UPLOADS.variable, str(tmp_path))
    bowtie = shapely.Polygon([(120, 30), (121, 31), (121, 30), (120, 31)])
    frame = gpd.GeoDataFrame(
        {"name": ["Bow", "Square"]}, geometry=[bowtie, shapely.box(121, 30, 122, 31)],
        crs="EPSG:4326",
    )  # fmt: skip
    data = frame.to_json().encode()
    for lang in ("zh", "en"):
        at = _page(lang)
        at.file_uploader[0].upload("bow.geojson", data, "application/json").run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        shown = [readable(w.value) for w in at.warning]
        repaired = [w for w in shown if "Bow" in w]
        assert repaired, shown
        for text in repaired:
            if lang == "zh":
                assert_chinese(text)
                assert "已修复" in text and "英文" not in text
            else:
                assert_english(text)
                assert "repaired" in text


# -------------------------------------------------------------- real errors, in both languages


def _regions_file(folder: Path) -> Path:
    """Two neighbouring regions named 吉林省 and 吉林市: ``吉林`` names both."""
    frame = gpd.GeoDataFrame(
        {"name": ["吉林省", "吉林市"]},
        geometry=[shapely.box(125.0, 43.0, 126.0, 44.0), shapely.box(126.0, 43.0, 127.0, 44.0)],
        crs="EPSG:4326",
    )
    path = folder / "jilin.geojson"
    frame.to_file(path, driver="GeoJSON")
    return path


def _cases(tmp: Path) -> dict[str, list[str]]:
    """Command lines that end in a user's error: a bad file, a region, a year, an option."""
    bad = tmp / "broken.geojson"
    bad.write_text("not a GeoJSON file", encoding="utf-8")
    return {
        "bad file": ["crossings", str(bad)],
        "missing file": ["crossings", str(tmp / "nowhere.geojson")],
        "unknown region": ["crossings", "yrd", "--region", "Atlantis"],
        "ambiguous region": ["crossings", str(_regions_file(tmp)), "--region", "吉林"],
        "bad year": ["crossings", "yrd", "--as-of", "1700"],
        "bad layer": ["crossings", "yrd", "--layers", "roads"],
    }


def _stderr_of(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


def test_the_command_line_says_each_error_in_the_language_chosen(tmp_path, capsys, monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", settings.LANGUAGE.variable):
        monkeypatch.delenv(variable, raising=False)
    for case, args in _cases(tmp_path).items():
        shown = {}
        for lang in ("en", "zh"):
            code, err = _stderr_of([*args, "--lang", lang], capsys)
            assert code == 2, (case, err)
            assert err.startswith("jiegui: ") and err.count("\n") == 1, (case, err)
            assert "Traceback" not in err
            shown[lang] = err.removeprefix("jiegui: ").strip()
        assert_english(shown["en"], names=("吉林市", "吉林省"))  # the data's names
        assert_chinese(shown["zh"])
        code, err = _stderr_of(args, capsys)  # no --lang, no setting, no locale: English
        assert err.removeprefix("jiegui: ").strip() == shown["en"], case
    zh = _stderr_of([*_cases(tmp_path)["ambiguous region"], "--lang", "zh"], capsys)[1]
    assert "吉林市" in zh and "吉林省" in zh and "全称" in zh


def test_every_bad_input_of_the_corpus_is_refused_in_chinese(tmp_path, capsys):
    # tests/helpers/bad_inputs.py: over 140 bad and hostile inputs; each one refused is
    # refused in a Chinese sentence with no English sentence left (a library's own words,
    # GDAL's or pyosmium's, are in the English sentence only).
    refused, english_left = 0, []
    for n, case in enumerate(everything()):
        folder, out = tmp_path / f"in{n}", tmp_path / f"out{n}"
        folder.mkdir()
        out.mkdir()
        case.write(folder)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = main([*case.command(folder, out), "--lang", "zh"])
        err = capsys.readouterr().err
        if code != 2:
            continue
        refused += 1
        sentence = err.strip().splitlines()[-1].removeprefix("jiegui: ")
        assert "Traceback" not in err
        if english_sentence_words(sentence) or not _CJK.search(sentence):
            english_left.append((case.name, sentence))
    assert refused > 100
    assert english_left == []


def test_the_language_of_the_command_line_follows_the_option_the_setting_then_the_locale():
    assert message_language(None, {}) == "en"
    assert message_language(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert message_language(None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert message_language(None, {"JIEGUI_LANGUAGE": "zh", "LANG": "en_GB.UTF-8"}) == "zh"
    assert message_language("en", {"JIEGUI_LANGUAGE": "zh"}) == "en"
    assert message_language(None, {"JIEGUI_LANGUAGE": "fr", "LANG": "C.UTF-8"}) == "en"


@pytest.mark.parametrize("lang", ["zh_CN.UTF-8", "en_US.UTF-8"])
def test_jiegui_in_a_chinese_or_english_locale_exits_2_with_one_sentence(lang, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "JIEGUI_LANGUAGE"))}
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "crossings", "yrd", "--region", "Atlantis"],
        cwd=ROOT, capture_output=True, text=True, timeout=180, env={**env, "LANG": lang},
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    message = proc.stderr.strip()
    assert message.startswith("jiegui: ") and "\n" not in message
    assert "Atlantis" in message
    if lang.startswith("zh"):
        assert_chinese(message)
    else:
        assert_english(message)
        assert "No region called 'Atlantis'" in message


def test_engine_errors_name_the_value_in_both_languages():
    names = RegionNames.of(["吉林省", "吉林市", "Jilin"], {"吉林省": ["Jilin Province"]})
    with pytest.raises(AmbiguousRegionError) as ambiguous:
        names.resolve("吉林")
    with pytest.raises(InvalidParameterError) as url:
        allowed_url("http://example.org/api", ["https://overpass-api.de/api"], what="Overpass API")
    for error in (ambiguous.value, url.value):
        assert_english(error.text("en"), names=("吉林市", "吉林省"))
        assert_chinese(error.text("zh"))
    assert "https://overpass-api.de/api" in url.value.text("zh")  # the one allowed
    with pytest.raises(InvalidParameterError) as limit:
        os.environ[settings.MAX_FEATURES.variable] = "many"
        try:
            settings.MAX_FEATURES.value()
        finally:
            del os.environ[settings.MAX_FEATURES.variable]
    assert_chinese(limit.value.text("zh"))
    too_large = settings.MAX_OSM_NODES.exceeded(
        Bilingual("a.osm holds too many nodes", "a.osm 中的节点太多")
    )
    assert_chinese(too_large.text("zh"))
    assert "JIEGUI_MAX_OSM_NODES" in too_large.text("zh")


# ---------------------------------------------------------------------------------- the page

BROKEN = ("broken.geojson", b"not a GeoJSON file", "application/json")


def _page(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)
    at.query_params[link_state.LANGUAGE] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_shows_an_uploaded_bad_file_in_its_language_only(lang, tmp_path, monkeypatch):
    monkeypatch.setenv(settings.UPLOADS.variable, str(tmp_path))
    at = _page(lang)
    at.file_uploader[0].upload(*BROKEN).run()
    assert not at.exception, [e.value for e in at.exception]
    [error] = at.error
    shown = readable(error.value)
    assert "broken.geojson" in shown
    if lang == "zh":
        assert_chinese(shown)
        assert shown.startswith("无法把 broken.geojson 作为 GIS 文件读取"), shown
    else:
        assert_english(shown)
        assert shown.startswith("Could not read broken.geojson as a GIS file"), shown


def test_the_chinese_page_refuses_an_oversized_upload_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.UPLOADS.variable, str(tmp_path))
    monkeypatch.setenv(settings.MAX_UPLOAD_MB.variable, "0.001")
    at = _page("zh")
    at.file_uploader[0].upload("regions.geojson", b" " * 2000).run()
    [error] = at.error
    shown = readable(error.value)
    assert_chinese(shown)
    assert "0.001 MB" in shown and "regions.geojson" in shown
    assert list(tmp_path.rglob("*.geojson")) == []


def test_a_file_name_in_an_error_box_is_escaped(tmp_path, monkeypatch):
    # A name with markdown in it is shown as it is, not as a link or emphasis.
    monkeypatch.setenv(settings.UPLOADS.variable, str(tmp_path))
    at = _page("zh")
    at.file_uploader[0].upload("[x](y)*_b_*.geojson", b"not GeoJSON", "application/json").run()
    [error] = at.error
    assert r"\[x\]\(y\)\*\_b\_\*" in error.value, error.value
    assert readable(error.value).startswith("无法把 [x](y)*_b_*.geojson")


def teardown_module() -> None:
    use("en")
