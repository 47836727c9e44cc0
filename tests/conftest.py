"""Shared fixtures: the real OSM extracts in ../shared/osm (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_OSM = ROOT.parent / "shared" / "osm"
MONACO = SHARED_OSM / "monaco-2012-06-29.osm.gz"
ANDORRA = SHARED_OSM / "andorra-2013-05-28.osm.pbf"


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
