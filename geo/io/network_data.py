"""The routable network shipped with an embedded dataset (``data/<name>/network/``).

``scripts/build_network.py`` writes one CSV per routable layer, one edge per row
(``lon_u, lat_u, lon_v, lat_v, length_m``, WGS84, from the ``scgraph-data`` graphs; see the
folder's README for source, accuracy and licence). Read here as two-point lines with the
edge's stated length and the class ``main`` (the graphs have no classes).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import InputFileError
from geo.projection import WGS84
from geo.text import Bilingual

#: Columns of a network CSV.
COLUMNS = ("lon_u", "lat_u", "lon_v", "lat_v", "length_m")
#: The class every edge of a shipped network has (no classes in the source graphs).
NETWORK_CLASS = "main"


def dataset_network(folder: Path | None, layers: tuple[str, ...]) -> dict[str, gpd.GeoDataFrame]:
    """``{layer: edges}`` of the network shipped in ``folder/network`` (empty when none).

    Parameters
    ----------
    folder
        An embedded dataset's folder, or None (a source that ships no network).
    layers
        The layers wanted; those without a file are left out.

    Returns
    -------
    dict of str to GeoDataFrame
        Two-point LineStrings in WGS84 with ``layer``, ``class`` and ``length_m``.

    Raises
    ------
    InputFileError
        When a file is damaged (columns missing or not numbers).
    """
    if folder is None:
        return {}
    out = {}
    for layer in layers:
        path = folder / "network" / f"{layer}.csv"
        if path.is_file():
            out[layer] = _read(path, layer)
    return out


def _read(path: Path, layer: str) -> gpd.GeoDataFrame:
    try:
        table = pd.read_csv(path, dtype=float)
        values = table[list(COLUMNS)].to_numpy(dtype=float)
    except (ValueError, KeyError, OSError) as exc:
        raise InputFileError(
            Bilingual(
                f"The shipped network file {path.name} is damaged ({type(exc).__name__}): "
                "rebuild it with python scripts/build_network.py.",
                f"随附的路网文件 {path.name} 已损坏（{type(exc).__name__}）：请用 "
                "python scripts/build_network.py 重新生成。",
            )
        ) from exc
    coords = np.stack([values[:, 0:2], values[:, 2:4]], axis=1)
    return gpd.GeoDataFrame(
        {"layer": layer, "class": NETWORK_CLASS, "length_m": values[:, 4]},
        geometry=shapely.linestrings(coords),
        crs=WGS84,
    )
