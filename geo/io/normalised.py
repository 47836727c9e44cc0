"""Frames of features normalised as columns (:class:`layers.base.NormalisedTable`).

A reader of many features (an OSM file read whole, a user's GIS layer) normalises them with
:meth:`layers.base.LayerSpec.normalise_table` and builds its frame here, with no dict per
feature: a dict of a feature's 25 attributes takes about 1.2 kB (350 MB for the 291,250
roads of the 57 MB benchmark file; 6 GB for a layer of five million features, the most a
user's file may hold).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers import NormalisedTable

#: The text columns of a feature, in the order of :attr:`NormalisedTable.texts`.
TEXT_COLUMNS = ("ref", "name", "name_zh", "name_en")


def normalised_frame(table: NormalisedTable) -> pd.DataFrame:
    """The attributes of the features ``table`` took, one row each, in their order.

    The same frame as ``pandas.DataFrame`` of the dicts :meth:`NormalisedTable.rows`
    gives (the columns in :meth:`~layers.base.LayerSpec.normalise`'s order, the same
    dtypes: every kind in ``table.kinds`` is some feature's): each kind's attributes once,
    taken for every feature of the kind, then the features' own id, text and source.

    Parameters
    ----------
    table
        Features normalised, at least one taken.

    Returns
    -------
    pandas.DataFrame
        With a ``RangeIndex``.
    """
    frame = pd.DataFrame(table.kinds).take(table.kind_of).reset_index(drop=True)
    frame["id"] = table.ids
    texts = np.array(table.texts, dtype=object).reshape(-1, len(TEXT_COLUMNS))
    for n, column in enumerate(TEXT_COLUMNS):
        frame[column] = texts[:, n]
    frame["source"] = table.sources
    return frame


__all__ = ["TEXT_COLUMNS", "normalised_frame"]
