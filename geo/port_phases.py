"""Why a port's berths are unknown in a year: its phases that have no berth figure.

An embedded dataset's port may carry ``phases`` (JSON, ``scripts/build_sites.py``): each
phase's number, opening, berths and TEU. Its berths in a year (``capacity_by_year``) are
those of the phases open by then added up, and a phase whose berths no source gives makes
the total unknown from its opening on: Yangshan's phase IV (2017) adds 4 M TEU and an
unknown number of berths, so Yangshan's berths are unknown from 2017
(``data/yrd/sources/links/ports.yaml``). Shown as a bare "unknown" (or a line that stops),
that reads as the port losing its berths; :func:`unknown_berths` gives the reason, from the
data, in both languages, to say beside it. No number is put in its place.

A port without ``phases`` (OpenStreetMap ports, a user's file) gets no reason: none is
guessed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd

from geo.lifecycle import value_at
from geo.text import Bilingual
from geo.values import is_missing


def unknown_berths(ports: pd.DataFrame, year: int) -> dict[str, Bilingual]:
    """Why each port of ``ports`` whose berths are unknown in ``year`` has none.

    Parameters
    ----------
    ports
        Ports (``id``, ``capacity`` = berths, optionally ``capacity_by_year``, ``phases``,
        ``name``, ``name_en``, ``name_zh``).
    year
        The year the berths are read in (:func:`geo.lifecycle.value_at`).

    Returns
    -------
    dict
        ``{port id: reason}`` for the ports whose berths are unknown in ``year`` because a
        phase open by then has no berth figure (the phases named, with their openings);
        ports with known berths, or without such a phase, are left out.

    Examples
    --------
    >>> ports = pd.DataFrame({
    ...     "id": ["p"], "name": ["Port"], "capacity": [None],
    ...     "capacity_by_year": ['{"2005": 5, "2017": null}'],
    ...     "phases": ['[{"phase": 1, "opened": "2005", "berths": 5}, '
    ...                '{"phase": 4, "opened": "2017-12-10", "berths": null}]'],
    ... })
    >>> unknown_berths(ports, 2017)["p"].en
    "the data have no berth figure for Port's phase 4, opened in 2017"
    >>> unknown_berths(ports, 2016)
    {}
    """
    if ports.empty or "phases" not in ports.columns:
        return {}
    berths = value_at(ports, "capacity", year).tolist()
    found: dict[str, Bilingual] = {}
    for k, record in enumerate(ports.to_dict("records")):
        if not is_missing(berths[k]):
            continue
        phases = _phases_without_berths(record.get("phases"), year)
        if phases:
            found[str(record["id"])] = _reason(record, phases)
    return found


def _phases_without_berths(raw: object, year: int) -> list[tuple[int, int]]:
    """``(phase, year opened)`` of the phases open by ``year`` whose berths are not given."""
    if not isinstance(raw, str) or not raw.strip():
        return []
    found = []
    for item in json.loads(raw):
        opened = int(str(item["opened"])[:4])
        if opened <= year and item.get("berths") is None:
            found.append((int(item["phase"]), opened))
    return sorted(found)


def _name(record: dict[str, object], language: str) -> str:
    """The port's name in ``language`` (``name_en`` / ``name_zh``), else its ``name``."""
    for column in (f"name_{language}", "name", "id"):
        value = record.get(column)
        if not is_missing(value) and str(value).strip():
            return str(value)
    return ""


def _reason(record: dict[str, object], phases: Sequence[tuple[int, int]]) -> Bilingual:
    numbers = [str(number) for number, _ in phases]
    years = [str(opened) for _, opened in phases]
    if len(phases) == 1:
        en = f"phase {numbers[0]}, opened in {years[0]}"
    else:
        en = f"phases {_and(numbers)}, opened in {_and(years)}"
    zh_years = "、".join(years)
    return Bilingual(
        f"the data have no berth figure for {_name(record, 'en')}'s {en}",
        f"数据未给出{_name(record, 'zh')} {zh_years} 年投产的第 {'、'.join(numbers)} 期泊位数",
    )


def _and(items: Sequence[str]) -> str:
    """``"3 and 4"``, ``"2, 3 and 4"``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
