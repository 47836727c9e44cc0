"""The what-if view's logic in the page, run in-process with AppTest (browser: test_e2e_what_if)."""

from __future__ import annotations

import io
import json
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app import link_state, webmap, what_if_map, what_if_table, what_if_view
from app.language import use
from app.query import Keys
from geo.resilience import ResilienceResult
from helpers.paths import ROOT


def opened() -> AppTest:
    """The page on its default border (Zhejiang–Shanghai) after the map's first report."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    return at.run().run()


def closures(at: AppTest) -> pd.DataFrame:
    [table] = [d.value for d in at.dataframe if "closed_now" in d.value.columns]
    return table


@pytest.fixture(scope="module")
def switched_on() -> AppTest:
    at = opened()
    at.toggle(key=Keys.WHAT_IF).set_value(True).run()
    assert not at.exception
    return at


def test_the_view_is_off_until_asked_for():
    at = opened()
    assert not at.exception
    assert not [d for d in at.dataframe if "closed_now" in d.value.columns]
    assert at.toggle(key=Keys.WHAT_IF).value is False


def test_closing_an_interface_changes_the_table(switched_on):
    at = switched_on
    alone = closures(at)
    assert not alone["closed_now"].any()  # each interface alone, nothing closed yet
    assert {"highways", "railways"} <= set(alone["layer"])
    donghai = alone[alone["ref"] == "S2"]
    assert len(donghai) == 1 and bool(donghai["critical"].iat[0])  # Yangshan cut off
    assert int(donghai["disconnected"].iat[0]) > 0
    at.multiselect(key=Keys.WHAT_IF_CLOSED).set_value([str(donghai["id"].iat[0])]).run()
    assert not at.exception
    closed = closures(at)
    assert len(closed) == len(alone) + 1
    first = closed.iloc[0]
    assert bool(first["closed_now"]) and first["ref"] == "S2"
    assert first["scenario"] == "closed together"
    assert not at.error
    # The scenario column is as wide as its longest words (the grid cut "closed together").
    [grid] = [d for d in at.dataframe if "closed_now" in d.value.columns]
    width = json.loads(grid.proto.columns)["scenario"]["width"]
    assert width == what_if_table.column_width(["Closure", "closed together", "alone"])
    assert width > what_if_table.column_width(["Closure", "alone"])


class Map:
    """The map's reports as a browser makes them (AppTest draws no map): st_folium returns
    ``report`` and keeps it under the map's key; :meth:`click` is a click on a feature, in
    the session state when the next run starts, as the browser sends it with the rerun."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import streamlit_folium

        self.report: dict[str, Any] | None = None
        self.count = 0
        real = streamlit_folium.st_folium

        def drawn(*args: Any, **kwargs: Any) -> Any:
            value = real(*args, **kwargs)
            import streamlit as st

            if self.report is None:
                return value
            st.session_state[Keys.MAP] = self.report
            return self.report

        monkeypatch.setattr(streamlit_folium, "st_folium", drawn)

    def click(self, at: AppTest, feature: dict[str, Any]) -> None:
        self.count += 1
        self.report = {
            webmap.CLICK_REPORT: json.loads(json.dumps(feature)),
            webmap.CLICK_COUNT: self.count,
            "center": {"lat": 30.9, "lng": 121.1},
            "zoom": 9,
        }
        at.session_state[Keys.MAP] = self.report


def _ring_targets(at: AppTest) -> dict[str, dict[str, Any]]:
    """The what-if rings' click targets in the map's payload, by the interface's id."""
    [component] = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    script = json.loads(component.proto.json_args)["feature_group"]
    found = {}
    for text in script.split("L.geoJson(")[1:]:
        data, _ = json.JSONDecoder().raw_decode(text)
        for feature in data.get("features", []):
            ident = feature["properties"].get(what_if_map.TOGGLE_PROPERTY)
            if ident is not None:
                found[ident] = feature
    return found


def test_a_click_on_a_ring_closes_the_interface_and_the_list_follows(monkeypatch):
    the_map = Map(monkeypatch)
    at = opened()
    at.toggle(key=Keys.WHAT_IF).set_value(True).run()
    alone = closures(at)
    s2 = str(alone.loc[alone["ref"] == "S2", "id"].iat[0])
    targets = _ring_targets(at)
    assert set(targets) == set(alone["id"].astype(str))  # every interface can be clicked
    assert targets[s2]["properties"]["kind"] == "critical"

    the_map.click(at, targets[s2])
    at.run()
    assert not at.exception and not at.error
    assert at.multiselect(key=Keys.WHAT_IF_CLOSED).value == [s2]  # the list follows
    first = closures(at).iloc[0]
    assert bool(first["closed_now"]) and first["ref"] == "S2"
    assert _ring_targets(at)[s2]["properties"]["kind"] == "closed"
    assert at.session_state[Keys.CLICK_SEEN] is None  # no marker selected by it
    at.run()  # the same report again (a rerun, a map move): read once
    assert at.multiselect(key=Keys.WHAT_IF_CLOSED).value == [s2]

    the_map.click(at, _ring_targets(at)[s2])  # clicked again: open again
    at.run()
    assert not at.exception
    assert at.multiselect(key=Keys.WHAT_IF_CLOSED).value == []
    assert not closures(at)["closed_now"].any()


def test_a_crafted_ring_click_is_refused(monkeypatch):
    the_map = Map(monkeypatch)
    at = opened()
    at.toggle(key=Keys.WHAT_IF).set_value(True).run()
    fake = {"type": "Feature", "properties": {what_if_map.TOGGLE_PROPERTY: "highways/X/x:evil"}}
    the_map.click(at, fake)
    at.run()
    assert not at.exception
    assert "is not an interface of this border" in at.error[0].value
    assert at.multiselect(key=Keys.WHAT_IF_CLOSED).value == []


def test_a_ring_click_beyond_the_bound_is_refused(monkeypatch):
    the_map = Map(monkeypatch)
    at = opened()
    at.toggle(key=Keys.WHAT_IF).set_value(True).run()
    ids = list(dict.fromkeys(closures(at)["id"].astype(str)))
    full = ids[: what_if_view.MAX_CLOSED]
    at.multiselect(key=Keys.WHAT_IF_CLOSED).set_value(full).run()
    the_map.click(at, _ring_targets(at)[ids[what_if_view.MAX_CLOSED]])
    at.run()
    assert not at.exception and not at.error
    assert at.multiselect(key=Keys.WHAT_IF_CLOSED).value == full
    assert f"{what_if_view.MAX_CLOSED} interfaces are closed already" in at.warning[0].value


def test_the_notes_name_their_layer_and_the_columns_say_what_they_count(switched_on):
    """Each layer has its own places left out: a note without its layer read as if the
    railways' note contradicted the highways' one. The Donghai Bridge's row reads "1" pair
    cut off beside a 0 % share (the port has no population): the headers say so."""
    shown = [c.value.replace("\\", "") for c in switched_on.caption]  # markdown escapes
    notes = [c for c in shown if "Places left out" in c]
    assert notes and all(n.startswith(("Highways: ", "Railways: ")) for n in notes)
    heads = what_if_table.headers()
    assert heads["disconnected"] == "Place pairs cut off"
    assert "population-weighted" in heads["share"]
    donghai = closures(switched_on).query("ref == 'S2'").iloc[0]
    assert int(donghai["disconnected"]) == 1 and donghai["share"] == 0.0
    assert heads["slower"] == "Place pairs slowed"


def test_added_minutes_never_stand_beside_0_pairs_slowed(switched_on):
    """A row's added minutes are of the pairs it slows (docs/resilience.md): the page never
    shows "+2.4 min" beside 0 pairs slowed, and the pairs cut off are no pairs slowed."""
    table = closures(switched_on)
    slowed = table["added_min_max"].fillna(0) > 0
    assert slowed.any()
    assert (table.loc[slowed, "slower"] >= 1).all() and (table.loc[slowed, "share"] > 0).all()
    assert (table.loc[~slowed, "slower"] == 0).all()


def test_cards_give_min_cut_and_critical_count(switched_on):
    labels = {m.label: m.value for m in switched_on.metric}
    assert "Independent routes" in labels and "Critical interfaces" in labels


def test_a_bad_selection_gives_an_error_box():
    at = opened()
    at.toggle(key=Keys.WHAT_IF).set_value(True).run()
    at.session_state[Keys.WHAT_IF_CLOSED] = ["highways/Nowhere/x:not-an-interface"]
    at.run()
    assert not at.exception
    assert "is not an interface of this border" in at.error[0].value
    assert not closures(at)["closed_now"].any()  # nothing closed


def test_too_many_closed_at_once_gives_an_error_box(switched_on):
    at = switched_on
    table = closures(at)
    ids = list(dict.fromkeys(table.loc[~table["closed_now"], "id"]))
    assert len(ids) > what_if_view.MAX_CLOSED  # else the bound could not be tested here
    at.session_state[Keys.WHAT_IF_CLOSED] = ids
    at.run()
    assert not at.exception
    assert f"close at most {what_if_view.MAX_CLOSED} at once" in at.error[0].value


def test_the_view_in_chinese():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.query_params[link_state.LANGUAGE] = "zh"
    at.run().run()
    at.toggle(key=Keys.WHAT_IF).set_value(True).run()
    assert not at.exception
    assert any(s.value == "接口关闭会怎样？" for s in at.subheader)
    table = closures(at)
    assert set(table["layer_text"]) <= {"公路", "铁路"}
    assert "东海大桥" in set(table["route"])
    assert set(table["scenario"]) == {"单独关闭"}
    labels = {m.label for m in at.metric}
    assert {"独立路径数", "关键接口"} <= labels
    captions = [c.value.replace("\\", "") for c in at.caption]  # markdown escapes
    assert any(c.startswith("出行起讫地点：") and "洋山深水港区" in c for c in captions)
    notes = [c for c in captions if "未计入的地点" in c]
    assert notes and all(n.startswith(("公路：", "铁路：")) for n in notes)
    use("zh")  # the headers in the page's language (AppTest ran the page in its own)
    try:
        heads = what_if_table.headers()
    finally:
        use("en")
    assert heads["disconnected"] == "中断的起讫地点对数" and "按人口加权" in heads["share"]
    assert heads["slower"] == "行程变长的起讫地点对数"


def _one_closure(moves: dict[str, float], critical: bool) -> ResilienceResult:
    """A result of one interface closed alone (the columns the engine gives)."""
    row = {
        "id": "highways/A–B/x:1", "ref": "G1", "name": "One", "edges": 2, "base_share": 0.5,
        "pairs_moved": 1, "pairs_slower": 1, "added_min_mean": 3.04, "added_min_max": 7.96,
        "added_km_mean": 1.0, "added_km_max": 12.34, "disconnected_pairs": 0,
        "disconnected_share": 0.0,
        "moves_to": moves, "critical": critical,
    }  # fmt: skip
    empty = pd.DataFrame()
    routes = gpd.GeoDataFrame({"closed": []}, geometry=[], crs=4326)
    table = pd.DataFrame([row])
    return ResilienceResult("A", "B", "highways", 2, 1, table, empty, empty, routes, 0, ())


@pytest.mark.parametrize(
    ("lang", "alone", "header", "moved", "yes", "slowed"),
    [("en", "alone", "Moves to", "G2 75%, other crossing 25%", "yes", "Place pairs slowed"),
     ("zh", "单独关闭", "转移至", "G2 75%、其他跨界路段 25%", "是", "行程变长的起讫地点对数")],
)  # fmt: skip
def test_the_table_s_words_follow_the_language(lang, alone, header, moved, yes, slowed):
    use(lang)
    try:
        result = _one_closure({"highways/A–B/x:2": 0.25 * 3, "other": 0.25}, True)
        table = what_if_table.closures_table(
            [result], [], refs={"highways/A–B/x:2": "G2"}, routes={}, layer_words={}
        )
        assert what_if_table.headers()["moves_to"] == header
        # Its help says a trip counts in every interface it crosses: shares may pass 100%.
        assert "100%" in what_if_table.helps()["moves_to"]
        assert set(what_if_table.helps()) <= set(what_if_table.SHOWN_COLUMNS)
        row = table.iloc[0]
        assert (row["scenario"], row["moves_to"], row["critical_text"]) == (alone, moved, yes)
        assert (row["share"], row["added_min_mean"], row["added_km_max"]) == (50.0, 3.0, 12.3)
        assert row["slower"] == 1 and what_if_table.headers()["slower"] == slowed
        csv = what_if_table.closures_csv(table)
        assert csv.startswith("\ufeff".encode()) and header in csv.decode("utf-8-sig")
        assert pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")[slowed].tolist() == [1]
    finally:
        use("en")
