"""Shared fixtures: the real OSM extracts in ../shared/osm (skipped when absent)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_OSM = ROOT.parent / "shared" / "osm"
MONACO = SHARED_OSM / "monaco-2012-06-29.osm.gz"
ANDORRA = SHARED_OSM / "andorra-2013-05-28.osm.pbf"

# The app keeps results on disk between runs (geo.result_cache); the tests, and the app
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
