"""Pinned input files (geo/io/pinned.py) and the build scripts' errors about them."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.errors import InputFileError
from geo.io.pinned import check_file, check_folder, digest_of
from geo.text import Bilingual
from helpers.paths import ROOT
from helpers.scripts import load_script

FIX = Bilingual("pass --source.", "请用 --source 指定。")


def _sri(data: bytes, algorithm: str) -> str:
    return f"{algorithm}-{base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=256), algorithm=st.sampled_from(["sha256", "sha384", "sha512"]))
def test_a_file_matches_its_own_pin_in_either_form(tmp_path_factory, data, algorithm):
    path = tmp_path_factory.mktemp("pin") / "f.bin"
    path.write_bytes(data)
    for pin in (hashlib.sha256(data).hexdigest(), _sri(data, algorithm)):
        assert digest_of(path, pin) == pin
        assert check_file(path, pin, pinned_in="PINS") == path


def test_a_changed_file_is_refused_in_one_sentence_naming_the_pin(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"pinned")
    pins = [hashlib.sha256(b"pinned").hexdigest(), _sri(b"pinned", "sha512")]
    path.write_bytes(b"changed")
    for pin in pins:
        with pytest.raises(InputFileError) as err:
            check_file(path, pin, pinned_in="INPUTS in scripts/x.py")
        for lang in ("en", "zh"):
            text = err.value.text(lang)
            assert "INPUTS in scripts/x.py" in text and str(path) in text
            assert "\n" not in text
        assert "not the pinned version" in err.value.text("en")
        assert "不是固定的版本" in err.value.text("zh")


def test_the_restore_hint_replaces_the_default(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"x")
    with pytest.raises(InputFileError) as err:
        check_file(path, "0" * 64, pinned_in="P", restore=Bilingual("delete it", "删除它"))
    assert "delete it, or update P" in err.value.text("en")
    assert "删除它" in err.value.text("zh")


def test_a_folder_is_checked_file_by_file(tmp_path):
    (tmp_path / "a").write_bytes(b"a")
    (tmp_path / "b").write_bytes(b"b")
    pins = {name: hashlib.sha256(name.encode()).hexdigest() for name in ("a", "b")}
    assert check_folder(tmp_path, pins, pinned_in="P", missing_fix=FIX) == {
        "a": tmp_path / "a",
        "b": tmp_path / "b",
    }
    (tmp_path / "b").unlink()
    with pytest.raises(InputFileError, match="is missing") as err:
        check_folder(tmp_path, pins, pinned_in="P", missing_fix=FIX)
    assert "不存在" in err.value.text("zh")
    with pytest.raises(InputFileError) as err:
        check_folder(tmp_path / "nowhere", pins, pinned_in="P", missing_fix=FIX)
    assert err.value.text("en").endswith("was not found; pass --source.")
    assert err.value.text("zh").endswith("请用 --source 指定。")


def test_both_railway_and_natural_earth_inputs_use_the_one_check(tmp_path):
    """The two build scripts refuse an empty folder through geo.io.pinned, naming their pins."""
    for script, option in (("osm_railways", "--shared"), ("build_context", "--source")):
        module = load_script(script)
        with pytest.raises(InputFileError) as err:
            module.find_inputs(tmp_path / "nowhere")
        assert option in err.value.text("en") and option in err.value.text("zh")
        (tmp_path / script).mkdir()
        first = next(iter(module.INPUTS))
        (tmp_path / script / first).write_bytes(b"not the data")
        with pytest.raises(InputFileError) as err:
            module.find_inputs(tmp_path / script)
        assert f"INPUTS in scripts/{script}.py" in str(err.value)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_build_script_says_it_in_the_chosen_language(tmp_path, lang):
    env = {**os.environ, "JIEGUI_LANGUAGE": lang}
    proc = subprocess.run(
        [sys.executable, "scripts/build_context.py", "--source", str(tmp_path / "nowhere"),
         "--out", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert ("找不到文件夹" in lines[0]) == (lang == "zh")
    assert ("was not found" in lines[0]) == (lang == "en")
