"""Fixtures: the real OSM extracts in ../shared/osm (skipped when absent); a result folder;
for the browser tests (tests/test_e2e*.py), the app served once per module, Chromium once
per module and an offline guard per test (a module may define its own to override one)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from helpers import e2e_support as e2e
from helpers.paths import ANDORRA, MONACO, SHARED_OSM

# The app keeps results on disk between runs (app.result_cache); the tests, and the app
# servers they start, use a folder of their own that starts empty and is removed at the end.
RESULT_CACHE = Path(tempfile.mkdtemp(prefix="jiegui-test-results-"))
os.environ["JIEGUI_CACHE_DIR"] = str(RESULT_CACHE)


# Property tests draw the same examples in every run of the test command, and no deadline
# (a loaded CI machine is slow): its verdict does not depend on a random draw
# (docs/testing.md). `JIEGUI_HYPOTHESIS=explore` draws new ones (1,000 a test unless it says).
settings.register_profile("fixed", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("JIEGUI_HYPOTHESIS", "fixed"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(RESULT_CACHE, ignore_errors=True)


def _require(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"real OSM extract {path.name} not found in {SHARED_OSM} (../shared is absent)")
    return path


@pytest.fixture(scope="session")
def monaco_path() -> Path:
    return _require(MONACO)


@pytest.fixture(scope="session")
def andorra_path() -> Path:
    return _require(ANDORRA)


@pytest.fixture(scope="session")
def synth_pbf(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int, int], Path]:
    """Generated PBF files (:func:`benchmarks.osm_synth.generate`: ten provinces, roads,
    footways, buildings, landuse, points), each made once a session for its size and seed.

    The tests read them and never write beside them.
    """
    from benchmarks.osm_synth import generate

    made: dict[tuple[int, int], Path] = {}

    def make(nodes: int, seed: int) -> Path:
        if (nodes, seed) not in made:
            path = tmp_path_factory.mktemp("synth") / f"synth-{nodes}-{seed}.osm.pbf"
            generate(path, nodes=nodes, seed=seed)
            made[nodes, seed] = path
        return made[nodes, seed]

    return make


@pytest.fixture(scope="module")
def app() -> Iterator[e2e.AppServer]:
    """The app (``streamlit run streamlit_app.py``) on a free loopback port, for a module."""
    with e2e.streamlit_app() as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for a module's browser tests (:func:`helpers.e2e_support.chromium_browser`)."""
    with e2e.chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def offline() -> e2e.OfflineGuard:
    """A route handler that lets only local requests through, and lists what it blocked."""
    return e2e.OfflineGuard()
