"""Why a port's berths are unknown in a year, from its phases (geo.port_phases)."""

from __future__ import annotations

import json

import pandas as pd

from geo.io.sources import load_source
from geo.port_phases import unknown_berths


def _port(phases: list[dict[str, object]], **columns: object) -> pd.DataFrame:
    by_year: dict[str, int | None] = {}
    total: int | None = 0
    for phase in phases:
        added = phase["berths"]
        total = None if added is None or total is None else total + int(added)  # type: ignore[call-overload]
        by_year[str(phase["opened"])[:4]] = total
    row = {
        "id": "p", "name": "Port", "name_zh": "某港", "capacity": total, "status": "open",
        "start_year": 2000, "capacity_by_year": json.dumps(by_year),
        "phases": json.dumps(phases), **columns,
    }  # fmt: skip
    return pd.DataFrame([row])


def test_a_phase_without_berths_is_why_they_are_unknown_from_its_opening():
    ports = _port(
        [
            {"phase": 1, "opened": "2000-06-01", "berths": 5},
            {"phase": 2, "opened": "2010", "berths": None},
        ]
    )
    assert unknown_berths(ports, 2009) == {}  # known: 5
    for year in (2010, 2030):
        why = unknown_berths(ports, year)["p"]
        assert why.en == "the data have no berth figure for Port's phase 2, opened in 2010"
        assert why.zh == "数据未给出某港 2010 年投产的第 2 期泊位数"


def test_several_phases_without_berths_are_named_together():
    ports = _port(
        [
            {"phase": 1, "opened": "2000", "berths": 5},
            {"phase": 3, "opened": "2010", "berths": None},
            {"phase": 4, "opened": "2017", "berths": None},
        ],
        name_en="Port E",
    )
    why = unknown_berths(ports, 2020)["p"]
    assert why.en.endswith("Port E's phases 3 and 4, opened in 2010 and 2017")
    assert "2010、2017 年投产的第 3、4 期" in why.zh


def test_no_reason_is_guessed_where_the_data_give_none():
    plain = pd.DataFrame([{"id": "osm:1", "name": "Port", "capacity": None, "status": "open"}])
    assert unknown_berths(plain, 2020) == {}  # no phases: no reason
    ports = _port([{"phase": 1, "opened": "2000", "berths": 5}])
    assert unknown_berths(ports, 2020) == {}  # known berths need no reason


def test_yangshan_berths_are_unknown_from_phase_iv_as_its_data_say():
    ports = load_source("yrd").layers["ports"]
    [yangshan] = ports.to_dict("records")
    phases = json.loads(yangshan["phases"])
    blank = [p for p in phases if p["berths"] is None]
    assert blank, "the data's Yangshan has a phase without berths"
    opened = int(str(blank[0]["opened"])[:4])
    assert unknown_berths(ports, opened - 1) == {}
    why = unknown_berths(ports, opened)[yangshan["id"]]
    assert f"{yangshan['name_en']}'s phase {blank[0]['phase']}, opened in {opened}" in why.en
    assert yangshan["name_zh"] in why.zh and f"第 {blank[0]['phase']} 期" in why.zh
