"""Fixtures: the real OSM extracts in ../shared/osm (skipped when absent); a result folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers.paths import ANDORRA, MONACO, SHARED_OSM

# The app keeps results on disk between runs (app.result_cache); the tests, and the app
# servers they start, use a folder of their own that starts empty and is removed at the end.
RESULT_CACHE = Path(tempfile.mkdtemp(prefix="jiegui-test-results-"))
os.environ["JIEGUI_CACHE_DIR"] = str(RESULT_CACHE)


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
