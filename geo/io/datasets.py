"""Embedded datasets: folders under ``data/`` with a ``dataset.json`` manifest.

A dataset folder holds ``regions.geojson`` and one GeoJSON file per layer
(``highways.geojson`` ...), with the manifest naming its source, licence and datum. A
dataset's name is its folder's name: a name with ``/``, ``..`` or an absolute path names no
dataset (:func:`dataset_dir`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geo.io.safe_paths import UnsafePathError, resolve_inside

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def available() -> list[str]:
    """Names of the embedded datasets."""
    if not DATA_DIR.is_dir():
        return []
    return sorted(p.parent.name for p in DATA_DIR.glob("*/dataset.json"))


def dataset_dir(name: str) -> Path | None:
    """Folder of dataset ``name``, or None when there is no such dataset.

    ``name`` is one folder name inside :data:`DATA_DIR`; any other (``../x``, ``/x``,
    ``a/b``, a link leading out) names no dataset.
    """
    if "/" in name:
        return None
    try:
        folder = resolve_inside(DATA_DIR, name)
    except UnsafePathError:
        return None
    return folder if (folder / "dataset.json").is_file() else None


def manifest(name: str) -> dict[str, Any]:
    """The manifest of dataset ``name``."""
    folder = dataset_dir(name)
    if folder is None:
        return {}
    return json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
