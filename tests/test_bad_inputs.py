"""Bad and hostile inputs (tests/helpers/bad_inputs.py): one sentence or a correct result.

Every input of the corpus runs through the command line in-process (``geo.cli.main``, fast);
a representative subset (every kind, and the ones marked ``subprocess``) runs as a real
``python -m geo`` process under a memory limit; and every input runs through the page
(Streamlit's AppTest), in the form its :attr:`~helpers.bad_inputs.BadInput.on_page` names.
Each time:

* exit code 2 with exactly one line on stderr, ``jiegui: <sentence>``, and no traceback (a
  bug surfaces as an exception here, not as a sentence), or exit code 0 with a correct
  result, as the input allows;
* the inputs are unchanged (sha256 before and after);
* nothing is left in the output folder on failure;
* the time is bounded (:data:`LIMIT_S` per input; the memory too, in the subprocesses);
* on the page: the command line's sentence in the one error box, no exception, nothing
  written beside the inputs or left in the fetch folder, and the page still works (the
  embedded dataset opens again).

The page takes one source, from a path box (or, hosted, a list of the data folder's files),
and has inputs of its own for a few options; so each input reaches it in the nearest form
a user has (:mod:`helpers.bad_inputs` says which, and why, per input):

* **path box** (one file): the path typed in; the page must show what ``crossings PATH``
  says, word for word (with the GCJ-02 box ticked for ``--datum gcj02``).
* **packed** (``REGIONS LAYER=PATH ...``): the loader reads a GeoPackage of a ``regions``
  layer and one layer per line file as it reads the files
  (:func:`geo.io.sources.load_source`), so the files are packed into one
  (:func:`helpers.bad_inputs.pack`, through GDAL, geometries as they are: NaN, infinite,
  one-point, 3-D, mixed). The sentences then name the GeoPackage's layer instead of the
  file, so the command line runs on the packed file too: it must still find what is wrong
  (or count what is right: the input's own check), and the page must say what it says.
  Where the file's name is the hostile part, the GeoPackage keeps it; where there is no file
  to pack (a missing one), its path is typed instead.
* **widget** (numeric options): the page's counterpart is an input with bounds (the fetch
  panel's band and sea gap, the year slider) or nothing (:data:`NOT_ON_PAGE`, checked
  against the page's inputs). A value out of an input's bounds, NaN too, is put back to the
  input's default by Streamlit itself (its widgets' deserialisers, which AppTest goes through
  as a browser's values do): the test asserts that, and that the default is what the engine
  then gets (the fetched package's manifest). The input's data run through the page too.
* **fetch panel** (``fetch``): the page's fetch is ``fetch --boundaries <the page's source>
  --osm-file <typed>``; so the case's regions are typed into the path box and its OSM file
  into the panel, as the command line takes them, and then the panel fetches from the OSM
  file with the corpus's good regions, against the same command line. Offline: the panel
  reads local files only, and nothing is asked of Overpass.
* **data folder list** (a name that is not UTF-8, which no browser can type): the file is
  chosen from the list a hosted page shows of its data folder.

The path box and packed inputs (121 of them) share one page, put back on the embedded
dataset after each (:class:`SharedPage`): a new AppTest per input spent about 0.2 s more
on opening the page each time, which took the page tests past a minute.

Hypothesis adds random bytes and random cuts of valid files under every suffix, and random
region names: the loader answers with data or a :class:`geo.errors.JieguiError`, nothing else.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from app import hosting
from app.query import Keys
from geo import settings
from geo.cli import main
from geo.errors import JieguiError, RegionNameError
from geo.io.sources import load_source
from helpers.bad_inputs import (
    PAGE_FORMS,
    BadInput,
    Packed,
    everything,
    features,
    geojson_text,
    good_regions,
    osm_pbf,
    osm_xml,
    pack,
    regions_frame,
    shapefile_zip,
    two_regions,
)
from helpers.paths import ROOT
from layers import OSM_LAYERS

CASES = everything()
BY_NAME = {case.name: case for case in CASES}
#: Seconds an input may take, in-process or as a process (generous: two shared cores).
LIMIT_S = 60.0
#: Address space a ``python -m geo`` process may use (bytes).
MEMORY_LIMIT = 2 * 1024**3
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
    # Every input runs through the page, once, by the test of its form.
    assert set(PAGE_RUNS) == set(PAGE_FORMS) == set(PAGE_TESTS)
    assert sorted(n for names in PAGE_RUNS.values() for n in names) == sorted(BY_NAME)
    assert all(PAGE_RUNS.values()) and all(callable(globals()[t]) for t in PAGE_TESTS.values())


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
        (["crossings", f"{tmp_path}/regions\0.geojson", "--format", "json", "--out",
          f"{tmp_path}/r.json"], "does not exist"),
        (["crossings", str(tmp_path / "regions.geojson"), "--format", "json", "--out",
          f"{tmp_path}/r\0.json"],
         "--out holds a NUL character"),
        (["fetch", "--osm-file", f"{tmp_path}/x.osm", "--out", f"{tmp_path}/b\0.gpkg"],
         "--out holds a NUL character"),
    ]:
        code, stderr, _ = run_in_process(argv)
        assert code == 2 and stderr.count("\n") == 1 and words in stderr, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["regions.geojson"]


# ------------------------------------------------------------------------------ the page

#: The page's inputs standing for numeric options of the command line: a number input's
#: key, or a slider's label (the year slider has no key).
ON_PAGE = {"--band-km": Keys.FETCH_BAND, "--sea-gap-km": Keys.FETCH_SEA, "--as-of": "As of year"}
#: Numeric options the page has no input for (it always takes their default), with a word
#: no label on the page may hold (test_numeric_options_are_on_the_page_or_known_not_to_be).
NOT_ON_PAGE = {"--timeout": "timeout", "--rule": "rule", "--admin-level": "admin"}


def names_on(form: str) -> list[str]:
    """The inputs that reach the page in this form (:attr:`BadInput.on_page`)."""
    return [case.name for case in CASES if case.on_page == form]


#: The inputs each page test runs, by form: together, every input of the corpus.
PAGE_RUNS = {form: names_on(form) for form in PAGE_FORMS}
#: The test of each form.
PAGE_TESTS = {
    "path box": "test_page_path_box",
    "packed": "test_page_packed",
    "widget": "test_page_numeric_option",
    "fetch panel": "test_page_fetch_panel",
    "data folder list": "test_page_data_folder_list",
}


def new_page() -> AppTest:
    """The page, not run yet; a run longer than :data:`LIMIT_S` fails."""
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=LIMIT_S)


class SharedPage:
    """One page for every input typed into its path box (a new one per input took longer).

    Each input starts from the page as a new session opens it, on the embedded dataset
    without an error; each test leaves it so (clearing the path is how it checks that the
    page recovers), and :meth:`clean` opens a new page when a failed test did not.
    """

    def __init__(self) -> None:
        self._at: AppTest | None = None

    def clean(self) -> AppTest:
        """The page on the embedded dataset, no path typed, no box ticked, no error."""
        at = self._at
        if (
            at is None
            or at.exception
            or at.error
            or at.text_input(key=Keys.SOURCE_PATH).value
            or at.checkbox(key=Keys.GCJ02).value
        ):
            at = self._at = new_page().run()
            assert not at.exception and not at.error
        return at


@pytest.fixture(scope="module")
def shared() -> SharedPage:
    return SharedPage()


@pytest.fixture
def fetch_folder(tmp_path, monkeypatch) -> Path:
    """The page's fetch folder, empty (JIEGUI_FETCH_DIR)."""
    folder = tmp_path / "fetched"
    folder.mkdir()
    monkeypatch.setenv(settings.FETCHED.variable, str(folder))
    return folder


def unescaped(text: str) -> str:
    """Text as the page wrote it before escaping it for markdown (app.page_text.md)."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\1", text)


def errors(at: AppTest) -> list[str]:
    """The page's error boxes, as the engine wrote them."""
    return [unescaped(e.value) for e in at.error]


def open_on_page(at: AppTest, path: str, *, gcj02: bool = False) -> None:
    """Type ``path`` into the path box (ticking the GCJ-02 box), in bounded time."""
    start = time.perf_counter()
    at.text_input(key=Keys.SOURCE_PATH).set_value(path).run()
    if gcj02:  # the box is disabled until a file is given
        at.checkbox(key=Keys.GCJ02).check().run()
    assert not at.exception, [e.value for e in at.exception]
    assert time.perf_counter() - start < LIMIT_S


def said(stderr: str) -> str:
    """The command line's sentence (its last line on stderr, after fetch's progress)."""
    return stderr.strip().splitlines()[-1].removeprefix("jiegui: ")


def shows_the_outcome(at: AppTest, code: int, stderr: str, out: Path | None = None) -> None:
    """The page shows what the command line did: its one sentence in one error box, or data.

    With the command line's ``out/result.json``, the page's warnings are its warnings too.
    """
    assert not at.exception, [e.value for e in at.exception]
    if code == 2:
        assert errors(at) == [said(stderr)]
        return
    assert code == 0 and not at.error, errors(at)
    assert at.title and at.sidebar.selectbox  # the data's page, with its regions
    if out is not None:
        warned = json.loads((out / "result.json").read_text(encoding="utf-8"))["warnings"]
        assert sorted(unescaped(w.value) for w in at.warning) == sorted(warned)


def recovers(at: AppTest) -> None:
    """Clearing the path (and the GCJ-02 box) opens the embedded dataset again."""
    if at.checkbox(key=Keys.GCJ02).value:
        at.checkbox(key=Keys.GCJ02).uncheck()
    at.text_input(key=Keys.SOURCE_PATH).set_value("").run()
    assert not at.exception and not at.error
    assert len(at.metric) >= 6


def crossings_argv(path: str | Path, out: Path | None = None, *options: str) -> list[str]:
    """``crossings PATH --format json`` (into ``out/result.json`` when given)."""
    into = ["--out", str(out / "result.json")] if out is not None else []
    return ["crossings", str(path), "--format", "json", *into, *options]


@pytest.mark.parametrize("name", PAGE_RUNS["path box"])
def test_page_path_box(name, tmp_path, shared):
    case = BY_NAME[name]
    folder, out = prepare(case, tmp_path)
    path = case.page_path(folder)
    assert path is not None
    datum = ("--datum", "gcj02") if "--datum" in case.argv else ()
    code, stderr, _ = run_in_process(crossings_argv(path, out, *datum))
    before = checksums(folder)
    at = shared.clean()
    open_on_page(at, path, gcj02=bool(datum))
    shows_the_outcome(at, code, stderr, out)
    assert checksums(folder) == before  # unchanged, and nothing written beside them
    recovers(at)


def as_packed(case: BadInput) -> BadInput:
    """The case with what is acceptable of its packed GeoPackage (:class:`Packed`)."""
    packed = case.packed or Packed()
    says = packed.says
    if says is None:  # the words that do not name a file of the input
        says = tuple(w for w in case.says if not any(w in a for a in case.argv))
    return dataclasses.replace(
        case, expect=packed.expect or case.expect, says=says, check=packed.check or case.check
    )


@pytest.mark.parametrize("name", PAGE_RUNS["packed"])
def test_page_packed(name, tmp_path, shared):
    case = BY_NAME[name]
    folder, out = prepare(case, tmp_path)
    packed = pack(case, folder, tmp_path / "packed")
    # The command line on the packed file: what the page must show, and what shows that the
    # packing kept what is wrong (or right) with the files.
    code, stderr, _ = run_in_process(crossings_argv(packed, out))
    sentence = sentence_of(as_packed(case), code, stderr, out)
    if sentence is not None:
        assert packed.name in sentence, sentence
    before = checksums(tmp_path)
    at = shared.clean()
    open_on_page(at, str(packed))
    shows_the_outcome(at, code, stderr, out)
    assert checksums(tmp_path) == before
    recovers(at)


def fetched_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def fetch_on_page(at: AppTest, osm_file: str) -> None:
    """Fetch from a local OSM file with the fetch panel (offline: no Overpass is asked)."""
    at.radio(key=Keys.FETCH_FROM).set_value("file").run()
    at.text_input(key=Keys.fetch_where(False)).set_value(osm_file).run()
    start = time.perf_counter()
    at.button(key=Keys.FETCH_RUN).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert time.perf_counter() - start < LIMIT_S


def one_package(folder: Path) -> dict:
    """The manifest of the one package the page fetched into ``folder``."""
    [package] = list(folder.glob("*.gpkg"))
    assert fetched_files(folder) == sorted([package.name, package.stem + ".manifest.json"])
    return json.loads((folder / (package.stem + ".manifest.json")).read_text())


def defaults(at: AppTest) -> tuple[float, float]:
    """The fetch panel's band and sea gap as the page takes them (km)."""
    return at.number_input(key=Keys.FETCH_BAND).value, at.number_input(key=Keys.FETCH_SEA).value


@pytest.mark.parametrize("name", PAGE_RUNS["widget"])
def test_page_numeric_option(name, tmp_path, shared, fetch_folder):
    case = BY_NAME[name]
    option, value = case.argv[-2:]
    assert option in ON_PAGE or option in NOT_ON_PAGE
    folder, out = prepare(case, tmp_path)
    before = checksums(folder)
    if case.argv[0] == "fetch":
        # As the command line takes its regions from the OSM file, so does the page here.
        at = new_page().run()
        osm_file = case.command(folder, out)[case.argv.index("--osm-file") + 1]
        open_on_page(at, osm_file)
        assert not at.error, errors(at)
        band, sea = defaults(at)
        if option in ON_PAGE:
            # Streamlit puts a value outside the input's bounds (NaN too) back to the input's
            # default, as the browser's input never sends one: the page cannot take it.
            at.number_input(key=ON_PAGE[option]).set_value(float(value)).run()
            assert not at.exception and not at.error, errors(at)
            assert defaults(at) == (band, sea)
        fetch_on_page(at, osm_file)
        assert not at.error, errors(at)
        band_m = one_package(fetch_folder)["band"]
        assert (band_m["width_m"], band_m["sea_gap_m"]) == (band * 1000, sea * 1000)
    else:
        # The data are fine, the option is not: the page counts the data with its defaults.
        packed = pack(case, folder, tmp_path / "packed")
        code, stderr, _ = run_in_process(crossings_argv(packed, out))
        assert code == 0, stderr
        at = shared.clean()
        open_on_page(at, str(packed))
        shows_the_outcome(at, code, stderr, out)
        if option == "--as-of":
            assert not at.slider  # these data have no opening years: there is no year to set
            assert any("No opening years" in c.value for c in at.sidebar.caption)
        recovers(at)
        if option == "--as-of":  # the embedded dataset's slider, out of its bounds
            slider = next(s for s in at.slider if s.label == ON_PAGE[option])
            default = slider.value
            slider.set_value(int(value)).run()
            assert not at.exception and not at.error, errors(at)
            assert next(s for s in at.slider if s.label == ON_PAGE[option]).value == default
            assert len(at.metric) >= 6
    assert checksums(folder) == before


def test_numeric_options_are_on_the_page_or_known_not_to_be(shared):
    options = {case.argv[-2] for case in CASES if case.on_page == "widget"}
    assert options == set(ON_PAGE) | set(NOT_ON_PAGE)
    assert not set(ON_PAGE) & set(NOT_ON_PAGE)
    at = shared.clean()  # the embedded dataset has opening years: its year slider is shown
    numeric = {w.key for w in at.number_input} | {w.label for w in at.slider}
    assert numeric == set(ON_PAGE.values())  # a new numeric input needs a word here
    labels = [
        w.label.lower()
        for kind in ("text_input", "number_input", "slider", "selectbox", "multiselect",
                     "checkbox", "radio", "button")
        for w in getattr(at, kind)
    ]
    assert len(labels) >= 10
    for word in NOT_ON_PAGE.values():
        assert not [label for label in labels if word in label]


@pytest.mark.parametrize("name", PAGE_RUNS["fetch panel"])
def test_page_fetch_panel(name, tmp_path, fetch_folder):
    case = BY_NAME[name]
    folder, out = prepare(case, tmp_path)
    argv = case.command(folder, out)
    osm_file = argv[argv.index("--osm-file") + 1]
    regions = argv[argv.index("--boundaries") + 1] if "--boundaries" in argv else osm_file
    code, stderr, _ = run_in_process(argv)
    sentence_of(case, code, stderr, out)
    before = checksums(folder)
    # 1. As the command line: the regions (its --boundaries, else the OSM file) typed into
    # the path box, then the OSM file fetched from with the panel.
    at = new_page().run()
    open_on_page(at, regions)
    if at.error:  # the regions are refused before the panel is even shown, as fetch does
        assert code == 2 and errors(at) == [said(stderr)]
        assert not [b for b in at.button if b.key == Keys.FETCH_RUN]
    else:
        fetch_on_page(at, osm_file)
        assert len(at.error) == (code == 2)
        if code == 2:
            shows_the_outcome(at, code, stderr)
            assert fetched_files(fetch_folder) == []
        else:
            one_package(fetch_folder)
    # 2. The panel on the OSM file whatever its regions: the corpus's good regions typed,
    # the same sentence (or a package) as fetch --boundaries with them.
    good = tmp_path / "good"
    good.mkdir()
    good_regions()(good)
    for leftover in fetch_folder.iterdir():
        leftover.unlink()
    at = new_page().run()
    open_on_page(at, str(good / "regions.geojson"))
    region = next(s for s in at.sidebar.selectbox if s.label == "Focus region").value
    neighbour = next(s for s in at.sidebar.selectbox if s.label == "Neighbour").value
    pair = ["--region", region]
    if neighbour != "All neighbours":
        pair += ["--neighbour", neighbour]
    shutil.rmtree(out)
    out.mkdir()
    code, stderr, _ = run_in_process([
        "fetch", "--boundaries", str(good / "regions.geojson"), "--osm-file", osm_file, *pair,
        "--layers", ",".join(OSM_LAYERS), "--out", str(out / "border.gpkg"),
    ])  # fmt: skip
    fetch_on_page(at, osm_file)
    if code == 2:
        shows_the_outcome(at, code, stderr)
        assert fetched_files(fetch_folder) == []
    else:
        assert not at.error, errors(at)
        one_package(fetch_folder)
    assert checksums(folder) == before


@pytest.fixture
def hosted(tmp_path, monkeypatch, fetch_folder):
    """Hosted mode; Streamlit's options it changes (the process's) are put back after."""
    from streamlit import config

    saved = {o: config.get_option(o) for o in ("client.showErrorDetails", "server.maxUploadSize")}
    monkeypatch.setenv(settings.HOSTED.variable, "1")
    monkeypatch.setenv(settings.UPLOADS.variable, str(tmp_path / "uploads"))
    yield monkeypatch
    for option, value in saved.items():
        config.set_option(option, value)


@pytest.mark.parametrize("name", PAGE_RUNS["data folder list"])
def test_page_data_folder_list(name, tmp_path, hosted):
    case = BY_NAME[name]
    folder, out = prepare(case, tmp_path)
    hosted.setenv(settings.DATA.variable, str(folder))
    code, stderr, _ = run_in_process(case.command(folder, out))
    before = checksums(folder)
    at = new_page().run()
    assert not at.exception and not at.error
    [listed] = hosting.shared_files()
    at.selectbox(key=Keys.SHARED_FILE).set_value(listed).run()
    shows_the_outcome(at, code, stderr)
    assert checksums(folder) == before
    at.selectbox(key=Keys.SHARED_FILE).set_value(None).run()
    assert not at.exception and not at.error
    assert len(at.metric) >= 6


# --------------------------------------------------------------------- property tests

SUFFIXES = [".geojson", ".json", ".gpkg", ".zip", ".shp", ".fgb", ".osm", ".osm.gz",
            ".osm.bz2", ".osm.pbf"]
PROPERTY = hypothesis_settings(
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


def test_a_coordinate_system_pyogrio_cannot_decode_is_one_sentence(tmp_path):
    # Found by the damaged-files property: a byte in a zipped Shapefile's .prj that is not
    # UTF-8, inside a name GDAL reads, made pyogrio 0.13 fail with its own UnboundLocalError
    # (reading the CRS's WKT) instead of an error of the file.
    staging = tmp_path / "staging"
    staging.mkdir()
    regions_frame().to_file(staging / "regions.shp", engine="pyogrio")
    prj = staging / "regions.prj"
    prj.write_bytes(prj.read_bytes().replace(b"WGS_1984", b"WGS_19\x85\x84", 1))
    archive = tmp_path / "regions.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for part in sorted(staging.iterdir()):
            packed.write(part, part.name)
    with pytest.raises(JieguiError, match=r"coordinate reference system.*is damaged"):
        load_source(str(archive))
