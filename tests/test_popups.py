"""Popups and the interface table a planner reads: the facts, the HTML (escaped, links only
http(s)), both languages; the page's table with AppTest (its columns, headers and switch)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from app import interface_table, language, views
from app.labels import TEXT
from app.map_geojson import interface_features, layer_geojson, region_names
from app.popups import (
    feature_popup,
    feature_tip,
    interface_popup,
    link_text,
    safe_url,
    says_more,
)
from geo.analysis import count_crossings
from geo.feature_facts import Facts, capacity_changes, combined, feature_facts, interface_facts
from geo.io.sources import load_source
from geo.summary import pair_interfaces
from helpers.paths import ROOT
from layers import get_layer

EVIL = "<img src=x onerror=alert(1)>`${alert(2)}`\\"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Each test starts in English (the language is a context variable of the run)."""
    language.use("en")
    yield
    language.use("en")


@pytest.fixture(scope="module")
def yrd() -> dict:
    source = load_source("yrd")
    result = count_crossings(source.layers, source.region_set, region="Zhejiang")
    shown = pair_interfaces(result.interfaces, "Zhejiang", "Shanghai")
    regions = source.region_set.regions
    return {"source": source, "interfaces": shown, "regions": region_names(regions)}


def _popup(yrd: dict, anchor: str) -> str:
    frame = yrd["interfaces"][yrd["interfaces"]["id"].str.endswith(anchor)]
    [feature] = interface_features(frame, yrd["source"].layers, yrd["regions"])
    return feature["properties"]["popup"]


class _Tags(HTMLParser):
    """The tags of an HTML text, with their attributes, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


#: The only tags a popup is made of, and the attributes each may carry.
ALLOWED = {
    "div": {"class"}, "b": set(), "br": set(), "span": {"class"}, "table": set(),
    "tr": set(), "th": set(), "td": set(), "ol": {"class"}, "li": set(),
    "a": {"href", "target", "rel"},
}  # fmt: skip


def assert_safe(html: str) -> _Tags:
    """Only the popup's own tags and attributes; every link http(s), to a new tab."""
    tags = parsed(html)
    for tag, attrs in tags.tags:
        assert tag in ALLOWED, (tag, html)
        assert set(attrs) <= ALLOWED[tag], (tag, attrs)
        if tag == "a":
            assert (attrs["href"] or "").lower().startswith(("http://", "https://")), attrs
            assert attrs["target"] == "_blank" and "noopener" in (attrs["rel"] or "")
    # the text as folium's template literal would take it: no ${...} or backtick survives
    assert "`" not in html and "${" not in html and "\\" not in html
    return tags


# ------------------------------------------------------------------------------ links


@pytest.mark.parametrize(
    "url",
    ["https://zh.wikipedia.org/zh-mo/沪杭高速公路", "http://example.com/a?b=1&c=2", "HTTPS://X.ORG/"],
)
def test_web_addresses_may_be_links(url):
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.com/", "//example.com/",
        "https://user:pw@example.com/", "https://", "https:///path",
        "https://example.com/\x00", "https://example.com/" + "a" * 3000, "vbscript:msgbox",
    ],
)  # fmt: skip
def test_other_addresses_are_never_links(url):
    assert safe_url(url) is None
    assert "<a " not in link_text(f"see {url} here")


def test_a_link_stops_where_an_attribute_would_start():
    html = link_text('https://evil.example/"onmouseover="alert(1) and <script>x</script>')
    tags = assert_safe(html)
    [(_, attrs)] = tags.tags
    assert attrs["href"] == "https://evil.example/"
    assert "&lt;script&gt;" in html and "onmouseover" not in (attrs["href"] or "")


def test_a_sentence_keeps_its_full_stop_out_of_the_link():
    html = link_text("Read https://example.com/page. Then (https://example.org/x): done")
    hrefs = [a["href"] for tag, a in parsed(html).tags if tag == "a"]
    assert hrefs == ["https://example.com/page", "https://example.org/x"]


# ------------------------------------------------------------------------------ facts


def test_facts_of_an_authored_link(yrd):
    layer = yrd["source"].layers["highways"]
    [row] = layer[layer["id"] == "yrd:hwy-g60-hu-hang"].drop(columns="geometry").to_dict("records")
    facts = feature_facts(row)
    assert (facts.name_zh, facts.start_year, facts.confidence) == ("沪杭高速公路", 1998, "high")
    assert facts.accuracy_m == row["accuracy_m"]
    assert [(c.year, c.before, c.after, c.widened) for c in facts.changes] == [(2005, 4, 8, True)]
    assert len(facts.sources) == len(row["source"].split(" | "))


def test_a_smaller_grade_number_is_a_widening():
    [change] = capacity_changes('{"2006": 5, "2017": 3}', "waterways")
    assert change.widened and (change.before, change.after) == (5, 3)
    [change] = capacity_changes('{"2006": 3, "2017": 5}', "waterways")
    assert not change.widened
    assert capacity_changes("not json", "highways") == ()
    assert capacity_changes('["a"]', "highways") == ()


def test_two_one_way_carriageways_give_lanes_by_direction():
    one_way = Facts(two_way=False, start_year=2001, accuracy_m=50.0, confidence="high")
    other = Facts(two_way=False, start_year=2003, accuracy_m=300.0, confidence="low")
    joined = combined([one_way, other], {"lanes_per_carriageway": [3, 4]})
    assert joined.lanes_by_direction == (3, 4)
    assert (joined.start_year, joined.accuracy_m, joined.confidence) == (2001, 300.0, "low")
    assert combined([], {}) == Facts()


def test_interface_facts_read_each_layers_own_features():
    # ids repeat across layers (test:0 in each): an interface reads its own layer's
    highways = pd.DataFrame({"id": ["test:0"], "layer": ["highways"], "name": ["Road"]})
    ports = pd.DataFrame({"id": ["test:0"], "layer": ["ports"], "name": [EVIL]})
    interfaces = pd.DataFrame({"layer": ["highways"], "source_ids": ["test:0"]})
    [facts] = interface_facts(interfaces, {"ports": ports, "highways": highways})
    assert facts.name_en == "Road"


# ------------------------------------------------------------------------------ popups


def test_interface_popup_in_english(yrd):
    popup = _popup(yrd, "yrd:rail-hu-hang")
    tags = assert_safe(popup)
    text = " ".join(tags.text)
    for field in ("Border", "Type", "Status", "Opened", "Widened", "Tracks",
                  "Position accuracy", "Identification", "Sources"):  # fmt: skip
        assert field in text, field
    assert "Route number" not in text  # the railway has none: no empty row
    assert "Shanghai–Hangzhou Railway" in text and "沪杭铁路" in text
    assert "Zhejiang – Shanghai" in text and "1909" in text and "2006: 1 → 2" in text
    railways = gpd.read_file(ROOT / "data" / "yrd" / "railways.geojson").set_index("id")
    accuracy = int(railways.loc["yrd:rail-hu-hang", "accuracy_m"])
    assert f"±{accuracy:,} m" in text and "conventional rail" in text
    links = [a["href"] for tag, a in tags.tags if tag == "a"]
    assert links and all(h.startswith("https://") for h in links)
    for engine in ("carriageways", "source ids", "per line", "capacity_unit"):
        assert engine not in popup


def test_interface_popup_in_chinese(yrd):
    language.use("zh")
    popup = _popup(yrd, "yrd:hwy-g60-hu-hang")
    text = " ".join(assert_safe(popup).text)
    assert text.index("沪杭高速公路") < text.index("Shanghai–Hangzhou Expressway")  # zh first
    fields = ("编号", "边界", "类型", "状态", "开通年份", "扩容", "车道数", "位置精度")
    for field in (*fields, "识别可信度", "来源"):
        assert field in text, field
    assert "浙江省 – 上海市" in text and "公路 · 高速公路" in text and "已通车" in text
    highways = gpd.read_file(ROOT / "data" / "yrd" / "highways.geojson").set_index("id")
    accuracy = int(highways.loc["yrd:hwy-g60-hu-hang", "accuracy_m"])
    assert "2005年：4 → 8" in text and f"±{accuracy:,} 米" in text
    assert "Opened" not in text and "Lanes" not in text


def _source_items(popup: str) -> list[str]:
    """The texts of a popup's numbered sources."""
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(
        r"<li>(.*?)</li>", popup)]  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("layer", "anchor", "credit"),
    [
        ("highways", "yrd:hwy-g60-hu-hang", ("Expressway alignments", "高速公路走向")),
        ("railways", "yrd:rail-hu-hang", ("Railways: ©", "铁路：©")),
        ("highways", "yrd:hwy-g60-hu-hang", ("Place coordinates", "地点坐标")),
    ],
)
def test_a_credit_in_both_languages_is_shown_in_the_pages(yrd, lang, layer, anchor, credit):
    # The review: the English popup listed "高速公路走向：…" and the Chinese one "Place
    # coordinates…", the build having written each credit in English and in Chinese.
    language.use(lang)
    items = _source_items(_popup(yrd, anchor))
    drawn = gpd.read_file(ROOT / "data" / "yrd" / f"{layer}.geojson").set_index("id")
    written = str(drawn.loc[anchor, "source"]).split(" | ")
    both = [i.split(" ‖ ") for i in written if " ‖ " in i]
    assert both and all(len(parts) == 2 for parts in both)
    ours, other = (1, 0) if lang == "zh" else (0, 1)
    # Every item of the data is shown once: one text as it is, a credit in this language.
    assert items == [i.split(" ‖ ")[ours] if " ‖ " in i else i for i in written]
    shown = " ".join(items)
    mine, theirs = (credit[1], credit[0]) if lang == "zh" else credit
    assert mine in shown and theirs not in shown
    assert not any(parts[other] in shown for parts in both)


def test_a_grade_reads_as_a_numeral_in_either_language(yrd):
    assert "IV (grade I is the largest)" in _popup(yrd, "yrd:wat-hang-shen")
    language.use("zh")
    popup = _popup(yrd, "yrd:wat-hang-ping-shen")
    assert "III级（I级最大）" in popup and "2017年：V级 → III级" in popup


@pytest.mark.parametrize(
    ("lang", "word", "wrong"), [("zh", "已投产", "已通车"), ("en", "in service", "open")]
)
def test_a_pipeline_is_in_service_not_open_to_traffic(lang, word, wrong):
    language.use(lang)
    attrs = {"id": "p", "layer": "pipelines", "class": "gas", "capacity": 1016,
             "status": "open", "source": "Somebody's survey"}  # fmt: skip
    facts = feature_facts(attrs)
    spec = get_layer("pipelines")
    for shown in (feature_popup(attrs, facts, spec), feature_tip(attrs, facts, spec)):
        text = " ".join(assert_safe(shown).text)
        assert word in text and wrong not in text.replace(word, ""), text


def test_a_hostile_interface_is_text(yrd):
    attrs = {
        "id": EVIL, "a": EVIL, "b": "B", "layer": "highways", "class": EVIL, "ref": EVIL,
        "name": EVIL, "lanes": 4, "status": EVIL, "lat": 30.0, "lon": 120.0,
    }  # fmt: skip
    facts = Facts(
        name_zh=EVIL,
        sources=(f"javascript:alert(1) {EVIL} https://ok.example/a'onclick='x", "data:x"),
    )
    for lang in ("en", "zh"):
        language.use(lang)
        popup = interface_popup(attrs, facts, get_layer("highways"), {})
        tags = assert_safe(popup)
        assert EVIL in "".join(tags.text)
        assert [a["href"] for t, a in tags.tags if t == "a"] == ["https://ok.example/a"]


_ANY = st.text(max_size=60)


@settings(max_examples=150, deadline=None)
@given(name=_ANY, ref=_ANY, source=_ANY, zh=_ANY, cls=_ANY)
def test_any_text_in_any_field_stays_text(name, ref, source, zh, cls):
    attrs = {"id": "x", "layer": "highways", "class": cls, "ref": ref, "name": name,
             "capacity": 2, "status": "open", "name_zh": zh, "source": source}  # fmt: skip
    facts = feature_facts(attrs)
    assert_safe(feature_popup(attrs, facts, get_layer("highways")))


# ----------------------------------------------------------------------- line features


def test_authored_lines_have_popups_osm_lines_tooltips_only(yrd):
    drawn = yrd["source"].layers["railways"].to_crs(4326)
    _, text, _ = layer_geojson("railways", drawn, 100)
    features = json.loads(text)["features"]
    assert features and all("popup" in f["properties"] for f in features)
    assert all("Sources" in f["properties"]["popup"] for f in features)
    osm = {"id": "osm:way/1", "layer": "railways", "class": "conventional", "capacity": 2,
           "status": "open", "source": "OpenStreetMap (ODbL)", "bridge": True}  # fmt: skip
    assert not says_more(feature_facts(osm))


# ------------------------------------------------------------------------ the table


def test_the_planner_table_in_both_languages(yrd):
    source = yrd["source"]
    result = count_crossings(source.layers, source.region_set, region="Zhejiang")
    query = views.PageQuery("yrd", "", "wgs84", "Zhejiang", "Shanghai", None, ("open",),
                            ("highways", "railways", "waterways"))  # fmt: skip
    table = views.pair_tables(result, query, None, source.layers).table
    english = interface_table.planner_table(table, yrd["regions"])
    assert len(english) == len(table) and english["id"].tolist() == table["id"].tolist()
    row = english.set_index("id").loc["highways/Shanghai–Zhejiang/yrd:hwy-g60-hu-hang"]
    g60 = gpd.read_file(ROOT / "data" / "yrd" / "highways.geojson").set_index("id")
    g60 = g60.loc["yrd:hwy-g60-hu-hang"]
    assert (row["route"], row["ref_text"], row["opened"], row["size"]) == (
        "Shanghai–Hangzhou Expressway", g60["ref"].replace(";", " / "), "1998", "8 lanes"
    )
    assert (row["status_text"], row["neighbour"], row["accuracy"]) == (
        "open", "Shanghai", int(g60["accuracy_m"])
    )
    language.use("zh")
    chinese = interface_table.planner_table(table, yrd["regions"]).set_index("id")
    row = chinese.loc["waterways/Shanghai–Zhejiang/yrd:wat-hang-ping-shen"]
    assert (row["route"], row["size"], row["neighbour"], row["layer_text"]) == (
        "杭平申线", "III级", "上海市", "内河航道"
    )
    # Each layer's own word for open: a waterway is open to navigation, a road to traffic.
    assert row["status_text"] == "已通航"
    road = chinese.loc["highways/Shanghai–Zhejiang/yrd:hwy-g60-hu-hang"]
    assert road["status_text"] == "已通车"
    headers = interface_table.headers(interface_table.shown_columns(engine=False))
    assert list(headers.values())[:5] == ["线路", "编号", "状态", "开通年份", "车道/股道/等级"]


def test_every_column_has_a_header_in_both_languages():
    for column in interface_table.shown_columns(engine=True):
        for lang in ("en", "zh"):
            language.use(lang)
            assert interface_table.headers([column])[column].strip(), (column, lang)
    for key in [k for k in TEXT if k.startswith(("f_", "v_", "c_"))]:
        assert TEXT[key].en.strip() and TEXT[key].zh.strip() and TEXT[key].en != TEXT[key].zh


def _page() -> AppTest:
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)


def _table_element(at: AppTest):
    [element] = [d for d in at.dataframe if "route" in d.value.columns]
    return element


def _shown(element) -> tuple[list[str], dict]:
    proto = element.proto
    return list(proto.column_order), json.loads(proto.columns)


@pytest.mark.parametrize(("lang", "route", "year"), [("en", "Route", "Opened"),
                                                     ("zh", "线路", "开通年份")])  # fmt: skip
def test_the_page_shows_the_planners_columns_first(lang, route, year):
    at = _page()
    at.query_params["lang"] = lang
    at.run().run()
    assert not at.exception
    order, config = _shown(_table_element(at))
    assert order[:5] == ["route", "ref_text", "status_text", "opened", "size"]
    assert "id" not in order and "carriageways" not in order
    assert config["route"]["label"] == route and config["opened"]["label"] == year
    at.toggle(key="engine-fields").set_value(True).run()
    order, config = _shown(_table_element(at))
    assert order[: len(interface_table.PLANNER_COLUMNS)] == list(interface_table.PLANNER_COLUMNS)
    assert {"id", "carriageways", "lanes_per_carriageway", "source_ids"} <= set(order)
    assert config["id"]["label"] == ("Interface id" if lang == "en" else "接口编号")


def test_ports_and_pipelines_say_berths_teu_and_diameter(yrd):
    from geo.lifecycle import layers_at

    layers = yrd["source"].layers
    # The port as the map draws it in 2006: the berths and TEU of the phases open then.
    shown = layers_at({"ports": layers["ports"]}, as_of=2006)["ports"]
    port = shown.iloc[0]
    history = json.loads(port["teu_by_year"])
    pipe = layers["pipelines"].iloc[0]
    for lang, words in (
        ("en", ("Berths", "TEU a year", "Diameter", " mm", "Container capacity changed")),
        ("zh", ("泊位数", "标箱/年", "管径", " 毫米", "集装箱能力变化")),
    ):
        language.use(lang)
        _, ports, _ = layer_geojson("ports", shown.to_crs(4326), 10)
        _, pipes, _ = layer_geojson("pipelines", layers["pipelines"].to_crs(4326), 10)
        port_popup = json.loads(ports)["features"][0]["properties"]["popup"]
        pipe_popup = json.loads(pipes)["features"][0]["properties"]["popup"]
        assert f"<td>{int(port['capacity'])}</td>" in port_popup and words[0] in port_popup
        assert int(port["teu"]) == history[max(y for y in history if int(y) <= 2006)]
        assert f"{int(port['teu']):,} " in port_popup
        assert words[1] in port_popup and words[2] in pipe_popup
        # every change of the design capacity is a row: the year, before and after
        assert port_popup.count(words[4]) == len(history) - 1
        assert f"{history[max(history)]:,}" in port_popup
        assert f"{int(pipe['capacity'])}{words[3]}" in pipe_popup  # 1016 mm, not 1,016


def test_a_divided_road_says_its_lanes_by_direction():
    from helpers import synthetic as syn

    regions = syn.regions({"A": syn.box(0, 0, 50, 50), "B": syn.box(50, 0, 100, 50)})
    roads = syn.features(
        "highways",
        [
            {"highway": "motorway", "lanes": "3", "oneway": "yes", "ref": "G1",
             "geometry": syn.line((10, 20), (90, 20))},
            {"highway": "motorway", "lanes": "4", "oneway": "yes", "ref": "G1",
             "geometry": syn.line((90, 20.03), (10, 20.03))},
        ],
    )  # fmt: skip
    result = count_crossings({"highways": roads}, regions, region="A")
    [feature] = interface_features(result.interfaces, {"highways": roads.to_crs(4326)})
    assert "<td>7 (3 + 4 by direction)</td>" in feature["properties"]["popup"]
    language.use("zh")
    [feature] = interface_features(result.interfaces, {"highways": roads.to_crs(4326)})
    assert "<td>7（分方向 3 + 4）</td>" in feature["properties"]["popup"]


def test_one_track_or_lane_is_singular_in_english():
    from app.popups import size_text
    from layers import get_layer

    language.use("en")
    assert size_text(get_layer("railways"), 1) == "1 track"
    assert size_text(get_layer("railways"), 2.0) == "2 tracks"
    assert size_text(get_layer("highways"), 1) == "1 lane"
    with language.speaking("zh"):
        assert size_text(get_layer("railways"), 1) == "1股道"
