"""The page's two years and growth over time, run in-process with AppTest.

"Compare with year" under the year slider, the change card, the rings on the map, the
"What changed" table and its files; the "Growth over time" expander and its chart. The
browser tests (test_e2e_years) see them drawn. Expected values come from the data
(independent counts), never typed in.
"""

from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from app import compare_view, result_cache, views, year_history
from app import years_text as tx
from app.query import Keys
from geo import settings
from geo.analysis import count_crossings
from geo.io.sources import load_source
from geo.labels import LAYER_LABELS
from geo.summary import pair_interfaces
from helpers.paths import ROOT
from layers import LINE_LAYERS, REGISTRY

CHANGES_TITLE = tx.text("changes_title", "en")


def opened() -> AppTest:
    """The page after its first two runs (in a browser the drawn map's report is the second)."""
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run().run()


def feature_groups(at: AppTest) -> str:
    """The script of what the page adds to its map (``st_folium``'s feature groups)."""
    [map_] = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    return json.loads(map_.proto.json_args).get("feature_group") or ""


def compare_with(at: AppTest, year: int | None) -> AppTest:
    chosen = compare_view.NO_YEAR if year is None else year
    return at.selectbox(key=Keys.COMPARE_YEAR).set_value(chosen).run()


def changes_table(at: AppTest):
    return next(d.value for d in at.dataframe if "change" in d.value.columns)


def opened_ids(year_a: int, year_b: int, neighbour: str | None = "Shanghai") -> set[str]:
    source = load_source("yrd", layer_names=tuple(REGISTRY))
    ids = []
    for year in (year_a, year_b):
        result = count_crossings(
            source.layers, source.region_set, region="Zhejiang", as_of=year,
            coverage=source.coverage,
        )  # fmt: skip
        ids.append(set(pair_interfaces(result.interfaces, "Zhejiang", neighbour)["id"]))
    return ids[1] - ids[0]


@pytest.fixture(autouse=True)
def streamlit_options():
    """Streamlit's configuration is the process's: put back what a hosted page changes."""
    saved = {o: config.get_option(o) for o in ("client.showErrorDetails", "server.maxUploadSize")}
    yield
    for option, value in saved.items():
        config.set_option(option, value)


def test_no_comparison_until_a_year_is_chosen():
    at = opened()
    assert not at.exception
    box = at.selectbox(key=Keys.COMPARE_YEAR)
    assert box.label == "Compare with year" and box.value == compare_view.NO_YEAR
    assert box.options[0] == "none" and "2006" in box.options
    assert not any(CHANGES_TITLE in s.value for s in at.subheader)
    assert "jiegui-change" not in feature_groups(at)
    assert not at.get("vega_lite_chart")  # the growth chart counts only once opened


def test_comparing_two_years_shows_the_card_the_rings_and_what_changed():
    at = opened()
    at.slider[0].set_value(2024).run()
    compare_with(at, 2006)
    assert not at.exception
    # Highways and pipelines are partly covered on Zhejiang–Shanghai (some lines authored).
    marked = "**Highways** \\(partly covered\\): routes"
    card = next(m.value for m in at.markdown if marked in m.value)
    # The pipelines line follows the data: the 甬沪宁 crude line open since 2004 (浙江日报
    # 2004-05-20), plus the interfaces opened between the years, counted.
    pipes = [i for i in opened_ids(2006, 2024) if i.startswith("pipelines/")]
    card = card.replace("\\", "")
    assert f"**Pipelines** (partly covered): routes 1 → {1 + len(pipes)}" in card
    # Why, folded under the card in a box of its own title.
    title = tx.text("card_coverage", "en", a=2006, b=2024)
    [notes] = [e for e in at.expander if e.label.startswith(title)]
    said = [c.value.replace("\\", "") for c in notes.caption]
    assert any(c.startswith("Partly covered (Zhejiang–Shanghai: highways)") for c in said), said
    assert any("Change 2006 → 2024" in m.value for m in at.markdown)
    [title] = [s.value for s in at.subheader if CHANGES_TITLE in s.value]
    assert "2006 → 2024" in title and "Zhejiang – Shanghai" in title
    table = changes_table(at)
    opened_rows = table[table["change"] == "opened"]
    assert set(opened_rows["id"]) == opened_ids(2006, 2024)
    assert "border" not in table.columns  # one border: no border column
    rings = feature_groups(at)
    assert "jiegui-change-opened" in rings and "Compared with 2006" in rings
    labels = [b.label for b in at.get("download_button")]
    assert {"Comparison (CSV)", "Comparison (JSON)"} <= set(labels)
    # Another year: the comparison follows, the page's own count is the same.
    compare_with(at, 2010)
    assert not at.exception
    assert any("2010 → 2024" in s.value for s in at.subheader)
    assert set(changes_table(at)["id"]) >= opened_ids(2010, 2024)


def test_a_later_year_compared_with_the_slider_is_b_and_its_openings_are_dashed():
    at = opened()
    at.slider[0].set_value(2006).run()
    compare_with(at, 2024)
    assert not at.exception
    assert any("2006 → 2024" in s.value for s in at.subheader)
    rings = feature_groups(at)
    # The map shows 2006, which has none of the interfaces opened since: dashed rings.
    assert "dashed: not on this map (2006)" in rings and "5 4" in rings


def test_the_slider_year_itself_is_no_comparison():
    at = opened()
    year = at.slider[0].value
    compare_with(at, year)
    assert not at.exception
    assert any(tx.text("same_year", year=year).split(":")[0] in i.value for i in at.info)
    assert not any(CHANGES_TITLE in s.value for s in at.subheader)


def test_all_neighbours_list_each_change_with_its_border():
    at = opened()
    at.selectbox(key=Keys.COMPARE_YEAR)  # exists before the neighbour changes
    next(s for s in at.selectbox if s.label == "Neighbour").set_value("All neighbours").run()
    compare_with(at, 2006)
    assert not at.exception
    table = changes_table(at)
    year = at.slider[0].value
    source = load_source("yrd", layer_names=tuple(REGISTRY))
    pairs = source.region_set.pairs
    touching = pairs[(pairs["a"] == "Zhejiang") | (pairs["b"] == "Zhejiang")]
    neighbours = sorted((set(touching["a"]) | set(touching["b"])) - {"Zhejiang"})
    opened_since = {f"Zhejiang – {b}" for b in neighbours if opened_ids(2006, year, b)}
    assert {"Zhejiang – Shanghai", "Zhejiang – Jiangsu"} <= opened_since  # (a test of the test)
    # Every border with a link opened since 2006 is listed; every border listed is Zhejiang's.
    assert opened_since <= set(table["border"]) <= {f"Zhejiang – {b}" for b in neighbours}


def test_growth_over_time_draws_the_chart_once_opened():
    at = opened()
    [growth] = [e for e in at.expander if e.label == tx.text("growth_title")]
    at.session_state[Keys.GROWTH] = True
    at.run()
    assert not at.exception
    [chart] = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["facet"]["column"]["field"] == "measure_label"
    assert "datasets" in spec or chart.proto.datasets
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "the figures the report gives, counting open + under construction" in captions
    # The note names the layers these data do not cover on the border, and only those.
    coverage = load_source("yrd", layer_names=tuple(REGISTRY)).coverage
    assert coverage is not None
    uncovered = [
        REGISTRY[name].label
        for name in LINE_LAYERS
        if not coverage.cover("Zhejiang", "Shanghai", name).covered
    ]
    if uncovered:
        assert f"Not covered by these data, so not drawn: {', '.join(uncovered)}" in captions
    else:
        assert "Not covered by these data" not in captions
    # The ports' berth line stops where the data stop knowing the berths (Yangshan's phase
    # IV): the caption says why, from the data, rather than leave it to read as a loss.
    [port] = load_source("yrd", layer_names=tuple(REGISTRY)).layers["ports"].to_dict("records")
    [blank] = [p for p in json.loads(port["phases"]) if p["berths"] is None]
    year = int(str(blank["opened"])[:4])
    assert (
        f"Ports: the berths are unknown from {year}, so their line stops there: the data have "
        f"no berth figure for {port['name_en']}'s phase {blank['phase']}, opened in {year}."
    ) in captions
    labels = [b.label for b in at.get("download_button")]
    assert {"Timeline (CSV)", "Chart (PNG)", "Chart (SVG)"} <= set(labels)
    # The default span leaves out the early years (the 1909 railway) and says so; every
    # change it leaves out is named in the caption.
    years = at.slider(key=Keys.GROWTH_YEARS)
    low, high = years.value
    print("default span", years.value, "of", years.min, years.max)
    assert years.min < low < high == years.max
    assert f"Shown from {low}:" in captions
    # The years shown narrow the chart, not the CSV.
    years.set_value((2000, 2026)).run()
    assert not at.exception
    assert growth.label == tx.text("growth_title")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_growth_caption_keeps_each_languages_punctuation(lang):
    # The review: "1908—2026 年" in Chinese but "1908-2026" in English, and "内河航道, 管道："
    # with an ASCII comma. One dash per language, and a Chinese list with 、.
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run().run()
    at.session_state[Keys.GROWTH] = True
    at.run()
    assert not at.exception
    years = at.slider(key=Keys.GROWTH_YEARS)
    first, last = int(years.min), int(years.max)
    holds = tx.text("growth_caption", lang, caption="").strip(". 。")  # "Each line holds …"
    [caption] = [c.value.replace("\\", "") for c in at.caption if holds in c.value]
    apart = [LAYER_LABELS[n][lang] for n in LINE_LAYERS if REGISTRY[n].capacity_total != "sum"]
    assert len(apart) > 1
    if lang == "en":
        assert caption.startswith(f"{first}–{last}, open. ")
        assert f"{', '.join(apart)}: a best grade" in caption
    else:
        assert caption.startswith(f"{first}—{last} 年，已通车。")
        assert f"{'、'.join(apart)}：" in caption
        assert ", " not in caption and "。 " not in caption


def test_the_comparison_and_the_chart_work_hosted(monkeypatch):
    monkeypatch.setenv(settings.HOSTED.variable, "1")
    at = opened()
    compare_with(at, 2006)
    at.session_state[Keys.GROWTH] = True
    at.run()
    assert not at.exception and not at.error
    assert at.get("vega_lite_chart")
    shown = " ".join(e.value for kind in ("markdown", "caption", "info") for e in getattr(at, kind))
    assert str(ROOT) not in shown and "/work/" not in shown


def test_a_years_figures_are_the_same_with_a_comparison_on():
    # With a comparison on, the page takes a year's count from the history of every year
    # (app.compare_view.kept_count) instead of counting it: every table and card must read
    # as they do when the page counts the year itself. The caches are emptied in between,
    # so that the second page derives its tables from the history's count.
    def shown(at: AppTest) -> tuple[dict[tuple[str, ...], object], list[str]]:
        tables = {tuple(map(str, d.value.columns)): d.value for d in at.dataframe}
        texts = [e.value for kind in ("markdown", "caption", "warning") for e in getattr(at, kind)]
        return tables, [t for t in texts if "computed in" not in t]  # the page's own timing

    def emptied() -> None:
        st.cache_data.clear()
        st.cache_resource.clear()
        result_cache.forget_recent()

    emptied()
    at = opened()
    at.slider(key=Keys.YEAR).set_value(2008).run()
    assert not at.exception
    alone_tables, alone_texts = shown(at)
    emptied()
    at = opened()
    compare_with(at, 1998)
    computed = result_cache.computed_count("crossings")
    at.slider(key=Keys.YEAR).set_value(2008).run()
    assert not at.exception
    assert result_cache.computed_count("crossings") == computed  # 2008 was not counted
    kept_tables, kept_texts = shown(at)
    common = set(alone_tables) & set(kept_tables)
    assert len(common) >= 2  # the interfaces and the overview at least
    for columns in common:
        assert alone_tables[columns].equals(kept_tables[columns]), columns
    # Every text of the page alone is still there (the comparison only adds its own).
    assert set(alone_texts) <= set(kept_texts)
    # With no comparison, a history kept on disk (as the server prepares it) serves too.
    emptied()
    year_history.prepare_histories(*views.first_view("yrd"))
    result_cache.forget_recent()
    at = opened()
    computed = result_cache.computed_count("crossings")
    at.slider(key=Keys.YEAR).set_value(2008).run()
    assert not at.exception
    assert result_cache.computed_count("crossings") == computed
    disk_tables, disk_texts = shown(at)
    assert set(disk_tables) == set(alone_tables) and disk_texts == alone_texts
    for columns, table in alone_tables.items():
        assert disk_tables[columns].equals(table), columns
