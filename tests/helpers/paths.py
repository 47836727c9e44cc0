"""Where things are: the project root and the real OSM extracts in ``../shared/osm``."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_OSM = ROOT.parent / "shared" / "osm"
MONACO = SHARED_OSM / "monaco-2012-06-29.osm.gz"
ANDORRA = SHARED_OSM / "andorra-2013-05-28.osm.pbf"
