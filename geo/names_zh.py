"""The Chinese names the data give: regions' and features'.

A text for a reader of Chinese (the command line's ``--lang zh`` tables) names a region by
its Chinese name where the data give one (a regions file's ``name_zh``, OpenStreetMap's
``name:zh``, kept as :attr:`geo.regions.RegionSet.regions`' ``name_zh``), and a feature by
its ``name_zh`` (the embedded dataset's, OpenStreetMap's ``name:zh``); else as the data
name them. The page does the same (``app.page_text.zh_places``,
``app.views.feature_names_zh``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from geo.values import is_missing


@dataclass(frozen=True)
class ChineseNames:
    """Chinese names of a source's regions and features.

    Attributes
    ----------
    places
        ``{region's name in the data: its Chinese name}``, of the regions that have one.
    features
        ``{feature id: its Chinese name}``, of the features that have one.

    Examples
    --------
    >>> names = ChineseNames({"Zhejiang": "浙江省"}, {"yrd:hwy-g60": "G60沪昆高速"})
    >>> names.place("Zhejiang"), names.place("Monaco")
    ('浙江省', 'Monaco')
    >>> names.feature("osm:way/1;yrd:hwy-g60"), names.feature(["osm:way/1"])
    ('G60沪昆高速', None)
    """

    places: Mapping[str, str] = field(default_factory=dict)
    features: Mapping[str, str] = field(default_factory=dict)

    def place(self, name: object) -> str:
        """A region's Chinese name, else its name as the data give it."""
        text = str(name)
        return self.places.get(text, text)

    def feature(self, ids: object) -> str | None:
        """The Chinese name of the first of ``ids`` that has one (``;``-separated or a list)."""
        listed = ids if isinstance(ids, list | tuple) else str(ids or "").split(";")
        return next((self.features[str(i)] for i in listed if str(i) in self.features), None)

    @classmethod
    def of(cls, regions: pd.DataFrame, layers: Mapping[str, pd.DataFrame]) -> ChineseNames:
        """The names of a source: its regions (``name``, ``name_zh``) and layers (``id``)."""
        return cls(region_names_zh(regions), feature_names_zh(layers.values()))


def region_names_zh(regions: pd.DataFrame) -> dict[str, str]:
    """``{name: Chinese name}`` of the regions that have one (a ``name_zh`` column)."""
    if "name_zh" not in regions.columns:
        return {}
    return {
        str(name): str(zh).strip()
        for name, zh in zip(regions["name"], regions["name_zh"])
        if not is_missing(zh) and str(zh).strip()
    }


def feature_names_zh(
    frames: Iterable[pd.DataFrame], ids: Collection[str] | None = None
) -> dict[str, str]:
    """``{feature id: Chinese name}`` of the features that have one (``id``, ``name_zh``).

    ``ids``: only these features (an interface's ``source_ids``); None: every one.
    """
    names: dict[str, str] = {}
    for frame in frames:
        if "name_zh" in frame.columns and "id" in frame.columns:
            for fid, zh in zip(frame["id"], frame["name_zh"]):
                if (ids is None or str(fid) in ids) and isinstance(zh, str) and zh.strip():
                    names[str(fid)] = zh.strip()
    return names


__all__ = ["ChineseNames", "feature_names_zh", "region_names_zh"]
