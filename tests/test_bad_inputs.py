"""Bad and hostile inputs (tests/helpers/bad_inputs.py): one sentence or a correct result.

Every input of the corpus runs through the command line in-process (``geo.cli.main``, fast);
a representative subset (every kind, and the ones marked ``subprocess``) runs as a real
``python -m geo`` process under a memory limit; a subset covering every kind runs through
the page (Streamlit's AppTest). Each time:

* exit code 2 with exactly one line on stderr, ``jiegui: <sentence>``, and no traceback (a
  bug surfaces as an exception here, not as a sentence), or exit code 0 with a correct
  result, as the input allows;
* the inputs are unchanged (sha256 before and after);
* nothing is left in the output folder on failure;
* the time is bounded (:data:`LIMIT_S` per input; the memory too, in the subprocesses);
* on the page: the same sentence in an error box, no exception, and the page still works
  (the embedded dataset opens again).

Hypothesis adds random bytes and random cuts of valid files under every suffix, and random
region names: the loader answers with data or a :class:`geo.errors.JieguiError`, nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.cli import main
from geo.errors import JieguiError, RegionNameError
from geo.io.sources import load_source
from helpers.bad_inputs import (
    BadInput,
    everything,
    features,
    geojson_text,
    osm_pbf,
    osm_xml,
    regions_frame,
    shapefile_zip,
    two_regions,
)
from helpers.paths import ROOT

CASES = everything()
BY_NAME = {case.name: case for case in CASES}
#: Seconds an input may take, in-process or as a process (generous: two shared cores).
LIMIT_S = 60.0
#: Address space a ``python -m geo`` process may use (bytes).
MEMORY_LIMIT = 2 * 1024**3
#: Inputs run through the page: every kind of input, errors and correct results.
PAGE_CASES = [
    "empty.geojson",
    "truncated-pbf",
    "corrupt.gpkg",
    "geojson-named-osm-gz",
    "projected-coordinates-labelled-wgs84",
    "swapped-lat-lon",
    "nan-in-geojson-ring-closed",
    "null-region-geometry",
    "self-intersecting-region",
    "null-region-names",
    "hostile-names-in-a-geopackage",
    "non-utf8-geojson",
    "shapefile-zip-without.shx",
    "zip-slip",
    "zip-bomb",
    "gpkg-without-layers",
    "osm-latitude-out-of-range",
    "osm-swapped-lat-lon",
    "osm-nan-coordinates",
    "package-manifest-not-json",
    "package-stretches-without-b",
    "path-with-nul",
]
#: The first input of each kind, and those marked to run as a process.
SUBPROCESS_CASES = sorted(
    {case.name for case in CASES if case.subprocess}
    | {next(c.name for c in CASES if c.kind == kind) for kind in {c.kind for c in CASES}}
    - {"path-with-nul"}  # a NUL cannot be passed to a process
)


def test_the_corpus_covers_every_class():
    kinds = {case.kind for case in CASES}
    assert len(CASES) >= 60
    assert kinds >= {
        "empty", "truncated", "corrupt", "mislabelled", "crs", "coordinates", "geometry",
        "names", "hostile names", "encoding", "shapefile zip", "bomb", "geopackage", "osm",
        "package", "numeric option", "fetch",
    }
    assert len(BY_NAME) == len(CASES)  # names are unique
    page_names = [getattr(p, "values", [p])[0] for p in PAGE_CASES]
    page_kinds = {BY_NAME[name].kind for name in page_names}
    source_kinds = {case.kind for case in CASES if case.page is not None}
    assert page_kinds == source_kinds, source_kinds - page_kinds
    assert all(BY_NAME[name].page is not None for name in page_names)


# ------------------------------------------------------------------------------ helpers


def folder_name(name: str) -> str:
    """A case name as a folder name ('=' would read as LAYER=PATH)."""
    return re.sub(r"[^\w.-]", "_", name)


def prepare(case: BadInput, tmp_path: Path) -> tuple[Path, Path]:
    """Write the case's files; return its input folder and an empty output folder."""
    folder = tmp_path / folder_name(case.name)
    out = tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    case.write(folder)
    return folder, out


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def sentence_of(case: BadInput, code: int, stderr: str, out: Path) -> str | None:
    """Check the outcome of one run; return the error sentence (None for a result)."""
    allowed = {"error": {2}, "ok": {0}, "either": {0, 2}}[case.expect]
    assert code in allowed, f"{case.name}: exit {code}, stderr:\n{stderr}"
    assert "Traceback" not in stderr
    if code == 0:
        check_result(case, out)
        return None
    lines = stderr.strip().splitlines()
    said = [line for line in lines if line.startswith("jiegui: ")]
    assert len(said) == 1 and lines[-1] == said[0], stderr
    if case.argv[0] == "crossings":  # fetch reports its progress before
        assert lines == said, stderr
    sentence = said[0].removeprefix("jiegui: ")
    for word in case.says:
        assert word in sentence, (word, sentence)
    assert str(out) not in sentence and str(tempfile.gettempdir()) + "/" not in sentence
    assert list(out.rglob("*")) == [], f"partial output left: {list(out.rglob('*'))}"
    return sentence


def check_result(case: BadInput, out: Path) -> None:
    """The output of a successful run is there and correct."""
    if case.argv[0] == "fetch":
        assert (out / "border.gpkg").is_file() and (out / "border.manifest.json").is_file()
        return
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    if case.check is not None:
        case.check(result)


def run_in_process(argv: list[str]) -> tuple[int, str, list[str]]:
    """``python -m geo ARGV`` in this process: exit code, stderr and Python warnings."""
    stderr = io.StringIO()
    with (
        warnings.catch_warnings(record=True) as caught,
        contextlib.redirect_stderr(stderr),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        warnings.simplefilter("always")
        code = main(argv)
    return code, stderr.getvalue(), [f"{w.category.__name__}: {w.message}" for w in caught]


def run_process(argv: list[str]) -> subprocess.CompletedProcess[bytes]:
    """``python -m geo ARGV`` as a process, its address space limited to MEMORY_LIMIT."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run(
        [sys.executable, "-m", "geo", *(os.fsencode(a) for a in argv)],
        cwd=ROOT,
        capture_output=True,
        timeout=2 * LIMIT_S,
        preexec_fn=limit_memory,
    )


# --------------------------------------------------------------- the command line


@pytest.mark.parametrize("name", [case.name for case in CASES])
def test_command_line_in_process(name, tmp_path):
    case = BY_NAME[name]
    folder, out = prepare(case, tmp_path)
    before = checksums(folder)
    start = time.perf_counter()
    code, stderr, caught = run_in_process(case.command(folder, out))
    elapsed = time.perf_counter() - start
    sentence = sentence_of(case, code, stderr, out)
    if sentence is not None:
        assert caught == [], caught  # a warning would be a second line on stderr
    assert checksums(folder) == before
    assert elapsed < LIMIT_S


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_command_line_as_a_process(name, tmp_path):
    case = BY_NAME[name]
    folder, out = prepare(case, tmp_path)
    before = checksums(folder)
    start = time.perf_counter()
    proc = run_process(case.command(folder, out))
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.decode("utf-8", errors="backslashreplace")
    sentence_of(case, proc.returncode, stderr, out)
    assert checksums(folder) == before
    assert elapsed < 2 * LIMIT_S


def test_nothing_is_written_beside_the_inputs_of_a_zip_slip(tmp_path):
    case = BY_NAME["zip-slip"]
    work = tmp_path / "deep" / "er"
    work.mkdir(parents=True)
    folder, out = prepare(case, work)
    around = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    run_in_process(case.command(folder, out))
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == around
    assert not Path("/tmp/jiegui-evil.geojson").exists()


def test_a_nul_in_a_path_is_one_sentence_with_an_out_file_too(tmp_path):
    # main() can be given a NUL in-process (no shell can pass one): checking the output
    # against the inputs resolved both paths, which raised ValueError.
    features("regions.geojson", two_regions())(tmp_path)
    for argv, words in [
        (["crossings", f"{tmp_path}/regions\0.geojson", "--out", f"{tmp_path}/r.json"],
         "does not exist"),
        (["crossings", str(tmp_path / "regions.geojson"), "--out", f"{tmp_path}/r\0.json"],
         "--out holds a NUL character"),
        (["fetch", "--osm-file", f"{tmp_path}/x.osm", "--out", f"{tmp_path}/b\0.gpkg"],
         "--out holds a NUL character"),
    ]:
        code, stderr, _ = run_in_process(argv)
        assert code == 2 and stderr.count("\n") == 1 and words in stderr, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["regions.geojson"]


# ------------------------------------------------------------------------------ the page


def unescaped(text: str) -> str:
    """Text as the page wrote it before escaping it for markdown (app.page_text.md)."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\1", text)


@pytest.mark.parametrize("name", PAGE_CASES)
def test_page(name, tmp_path):
    from streamlit.testing.v1 import AppTest

    from app.query import Keys

    case = BY_NAME[name]
    folder, _ = prepare(case, tmp_path)
    path = case.page_path(folder)
    assert path is not None
    code, stderr, _ = run_in_process(["crossings", path, "--format", "json"])
    before = checksums(folder)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=LIMIT_S).run()
    at.text_input(key=Keys.SOURCE_PATH).set_value(path).run()
    assert not at.exception, [e.value for e in at.exception]
    if code == 2:
        sentence = stderr.strip().removeprefix("jiegui: ")
        assert [unescaped(e.value) for e in at.error] == [sentence]
    else:
        assert code == 0 and not at.error, [e.value for e in at.error]
        assert at.title and at.sidebar.selectbox  # the data's page, with its regions
    assert checksums(folder) == before
    at.text_input(key=Keys.SOURCE_PATH).set_value("").run()  # the page still works
    assert not at.exception and not at.error
    assert len(at.metric) >= 6


# --------------------------------------------------------------------- property tests

SUFFIXES = [".geojson", ".json", ".gpkg", ".zip", ".shp", ".fgb", ".osm", ".osm.gz",
            ".osm.bz2", ".osm.pbf"]
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def loads_or_says_why(name: str, data: bytes) -> None:
    """Loading ``data`` saved as ``name`` gives a source or a JieguiError, nothing else."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        with contextlib.suppress(JieguiError), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            load_source(str(path))
        assert path.read_bytes() == data


@PROPERTY
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_raise_anything_but_a_sentence(data, suffix):
    loads_or_says_why("input" + suffix, data)


def _valid_files() -> dict[str, bytes]:
    """A valid file of every format, as bytes."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        regions_frame().to_file(folder / "r.gpkg", driver="GPKG", engine="pyogrio")
        shapefile_zip("r.zip")(folder)
        osm_pbf("r.osm.pbf")(folder)
        return {
            ".geojson": geojson_text(regions_frame()).encode(),
            ".gpkg": (folder / "r.gpkg").read_bytes(),
            ".zip": (folder / "r.zip").read_bytes(),
            ".osm": osm_xml().encode(),
            ".osm.pbf": (folder / "r.osm.pbf").read_bytes(),
        }


VALID = _valid_files()


@PROPERTY
@given(suffix=st.sampled_from(sorted(VALID)), share=st.floats(0.0, 1.0), flip=st.integers(0, 255))
@example(suffix=".osm", share=0.681640625, flip=64)  # a relation's id read '1p0' (ValueError)
def test_cut_or_damaged_files_never_raise_anything_but_a_sentence(suffix, share, flip):
    data = bytearray(VALID[suffix])
    cut = int(len(data) * share)
    if flip and cut < len(data):
        data[cut] ^= flip  # one byte damaged
    else:
        del data[cut:]  # the file cut short
    loads_or_says_why("input" + suffix, bytes(data))


NAMES = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=200,
)


@PROPERTY
@given(west=NAMES, east=NAMES)
def test_any_region_name_is_kept_as_it_is_or_refused_in_a_sentence(west, east):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        features("r.geojson", two_regions(west_name=west, east_name=east))(folder)
        try:
            source = load_source(str(folder / "r.geojson"))
        except RegionNameError:
            assert not west.strip() or not east.strip()
            return
    assert west.strip() and east.strip()
    assert sorted(source.region_set.names) == sorted({west, east})
