"""Embedded datasets: folders under ``data/`` with a ``dataset.json`` manifest.

A dataset folder holds ``regions.geojson`` and one GeoJSON file per layer
(``highways.geojson`` ...), with the manifest naming its source, licence and datum.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def available() -> list[str]:
    """Names of the embedded datasets."""
    if not DATA_DIR.is_dir():
        return []
    return sorted(p.parent.name for p in DATA_DIR.glob("*/dataset.json"))


def dataset_dir(name: str) -> Path | None:
    """Folder of dataset ``name``, or None when there is no such dataset."""
    folder = DATA_DIR / name
    return folder if (folder / "dataset.json").is_file() else None


def manifest(name: str) -> dict[str, Any]:
    """The manifest of dataset ``name``."""
    folder = dataset_dir(name)
    if folder is None:
        return {}
    return json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
