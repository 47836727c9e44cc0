"""Text the page writes around the data: its title, places, pair labels, data shown as itself.

Places (regions) are named in the page's language: their Chinese names when the page is in
Chinese and the data give them (a regions file's ``name_zh`` or OpenStreetMap's ``name:zh``,
kept as :attr:`geo.regions.RegionSet.regions`' ``name_zh``), else as the data name them.
The page sets the names of its source once per run (:func:`use_places`), as it sets the
language (:func:`app.language.use`); the widgets keep the data's names as their values, so
that a switch of language keeps the view. Nothing here imports streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextvars import ContextVar
from types import MappingProxyType
from typing import Final

import pandas as pd

from app.labels import say
from app.language import current
from geo.names_zh import region_names_zh
from geo.text import Bilingual

#: The page's title, shown above the map and above every message that ends a run early.
TITLE: Final = Bilingual("Jiegui 接轨 — links across borders", "接轨 Jiegui — 跨界交通与能源连接")

#: The neighbour choice that shows all the focus region's borders: the widget's value,
#: the same in both languages (shown as :func:`neighbour_label`).
ALL_NEIGHBOURS: Final = "All neighbours"

_PLACES: ContextVar[Mapping[str, str]] = ContextVar("jiegui_places", default=MappingProxyType({}))


def title() -> str:
    """The page's title in the page's language."""
    return TITLE.en if current() == "en" else TITLE.zh


def md(text: object) -> str:
    """Text shown as itself in Streamlit markdown: no links, emphasis, LaTeX or HTML."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))


#: Where :func:`md_with_code` puts its code: a character of Unicode's private use area,
#: which no text of the page holds and :func:`md` leaves as it is.
CODE_MARK: Final = "\ue000"


def md_with_code(text: str, code: str) -> str:
    r"""``text`` as itself in markdown (:func:`md`), ``code`` as inline code at :data:`CODE_MARK`.

    Examples
    --------
    >>> print(md_with_code(f"run ({CODE_MARK}).", "python -m geo --x"))
    run \(`python -m geo --x`\)\.
    """
    return md(text).replace(CODE_MARK, f"`{code.replace('`', '')}`")


def zh_places(regions: pd.DataFrame) -> dict[str, str]:
    """``{name: Chinese name}`` of the regions that have one (a ``name_zh`` column).

    The command line's (:func:`geo.names_zh.region_names_zh`), so both name them alike.
    """
    return region_names_zh(regions)


def use_places(zh: Mapping[str, str]) -> None:
    """Name the places of this run's source by ``zh`` (:func:`zh_places`) in Chinese."""
    _PLACES.set(dict(zh))


def place(name: object) -> str:
    """A region's name in the page's language (its Chinese name when known).

    Examples
    --------
    >>> from app.language import use
    >>> use_places({"Zhejiang": "浙江省"}); use("zh")
    >>> place("Zhejiang"), place("Monaco")
    ('浙江省', 'Monaco')
    >>> use("en"); place("Zhejiang")
    'Zhejiang'
    """
    text = str(name)
    return _PLACES.get().get(text, text) if current() == "zh" else text


def neighbour_label(value: object) -> str:
    """A choice of the sidebar's neighbour as shown: a place, or "all neighbours"."""
    return say("all_neighbours") if value == ALL_NEIGHBOURS else place(value)


def border_label(a: object, b: object) -> str:
    """``"A – B"``, both places in the page's language."""
    return f"{place(a)} – {place(b)}"


def pair_label(region: str, neighbour: str | None) -> str:
    """``"A – B"``, or ``"A – all neighbours"``, in the page's language."""
    if neighbour:
        return border_label(region, neighbour)
    return say("pair_all", region=place(region))


def border_phrase(region: str, neighbour: str | None) -> str:
    """``"the border A–B"``, or ``"the borders of A"``, in the page's language."""
    if neighbour:
        return say("border_phrase", a=place(region), b=place(neighbour))
    return say("borders_phrase", region=place(region))
