"""``python -m geo resilience`` on the embedded dataset and on a real OSM extract."""

from __future__ import annotations

import json

import pytest
import shapely

from geo.analysis import count_crossings
from geo.border_network import border_lines
from geo.cli import main
from geo.io.sources import load_source


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["resilience", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def zj_sh():
    """The JSON of Zhejiang–Shanghai on the embedded dataset (highways and railways)."""
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["resilience", "yrd", "--region", "浙江", "--neighbour", "上海",
                     "--format", "json"])  # fmt: skip
    assert code == 0
    return json.loads(buffer.getvalue())


def test_every_interface_of_the_count_is_closed_and_measured(zj_sh):
    assert zj_sh["format"] == "jiegui-resilience" and zj_sh["version"] == 1
    source = load_source("yrd", layer_names=["highways", "railways"])
    counted = count_crossings(source.layers, source.region_set, region="Zhejiang").interfaces
    counted = counted[counted["b"].eq("Shanghai") | counted["a"].eq("Shanghai")]
    measured = {row["id"] for b in zj_sh["borders"] for row in b["interfaces"]}
    assert set(counted["id"]) == measured
    assert all(b["untied"] == [] for b in zj_sh["borders"])
    for border in zj_sh["borders"]:
        assert border["min_cut"] >= border["min_cut_counted"] >= 1
        assert border["pairs"], border["layer"]
        for row in border["interfaces"]:
            assert row["added_min_max"] is None or row["added_min_max"] >= -1e-9


def test_closing_the_donghai_bridge_cuts_yangshan_port_off(zj_sh):
    [roads] = [b for b in zj_sh["borders"] if b["layer"] == "highways"]
    [bridge] = [r for r in roads["interfaces"] if "donghai" in r["id"]]
    assert bridge["critical"] and bridge["disconnected_pairs"] >= 1
    cut = [p for p in roads["closures"] if p["closed"] == bridge["id"] and p["disconnected"]]
    assert {"Yangshan Deep-Water Port"} <= {p["origin"] for p in cut} | {
        p["destination"] for p in cut
    }
    assert bridge["id"] in roads["critical"]


def test_a_table_in_chinese_and_geojson_routes(capsys):
    code, out, _ = run(capsys, "yrd", "--region", "浙江", "--neighbour", "上海", "--lang", "zh",
                       "--layers", "highways", "--network-km", "120")  # fmt: skip
    assert code == 0
    assert "最小割" in out and "关键" in out
    # The counts are of pairs of places (a port has no population), the share is weighted.
    assert "中断的起讫地点对" in out and "按人口加权" in out and "出行占比 |" not in out
    assert "起讫地点：上海、" in out
    assert "Edge-disjoint" not in out and "Trips are" not in out
    code, out, _ = run(capsys, "yrd", "--region", "浙江", "--neighbour", "上海", "--layers",
                       "highways", "--network-km", "120", "--format", "geojson")  # fmt: skip
    data = json.loads(out)
    assert data["features"], "closing the G60 moves the Hangzhou–Shanghai trips"
    for feature in data["features"]:
        line = shapely.geometry.shape(feature["geometry"])
        assert line.geom_type == "LineString" and line.is_valid
        minx, miny, maxx, maxy = line.bounds
        assert 118 < minx < maxx < 123 and 29 < miny < maxy < 32  # WGS84, in the delta
        assert feature["properties"]["via"] not in feature["properties"]["closed"].split(",")


def test_a_chinese_table_names_regions_and_routes_by_the_datas_chinese_names(capsys):
    """With --lang zh the regions and the interfaces (and where trips move to) go by the
    data's ``name_zh``, route numbers as they are; before, by their English names."""
    source = load_source("yrd", layer_names=["highways", "railways"])
    regions = source.region_set.regions.set_index("name")["name_zh"]
    roads, rails = (source.layers[n].set_index("id")["name_zh"] for n in ("highways", "railways"))
    zj, sh = regions["Zhejiang"], regions["Shanghai"]
    code, out, _ = run(capsys, "yrd", "--region", "浙江", "--neighbour", "上海", "--lang", "zh")
    assert code == 0
    lines = out.splitlines()
    assert f"{zj} – {sh} · 公路" in lines and f"{zj} – {sh} · 铁路" in lines
    assert any(ln.startswith(f"G60 {roads['yrd:hwy-g60-hu-hang']} | ") for ln in lines)
    assert any(ln.startswith(f"S2 {roads['yrd:hwy-s2-donghai-bridge']} | ") for ln in lines)
    assert any(ln.startswith(f"{rails['yrd:rail-hu-hang-hsr']} | ") for ln in lines)
    # No English name of a region, a layer or a route is left, nor in the credit's line.
    assert lines[-1] == f"yrd · {source.attribution_zh}" and source.attribution_zh
    for english in ("Zhejiang", "Shanghai", "Expressway", "Railway", "Bridge", "highways"):
        assert english not in out, english
    code, out, _ = run(capsys, "yrd", "--region", "浙江", "--neighbour", "上海", "--lang", "en")
    assert "Zhejiang – Shanghai · highways" in out.splitlines()
    assert "\nG60 Shanghai–Hangzhou Expressway | " in out and zj not in out and "沪杭" not in out


@pytest.mark.parametrize(
    "args, words",
    [
        (["--network-km", "0"], "--network-km"),
        (["--close", "highways/nowhere"], "highways/nowhere"),
        (["--neighbour", "Fujian"], "Fujian"),
        (["--layers", "pipelines"], "pipelines"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(capsys, args, words):
    code, out, err = run(capsys, "yrd", "--region", "Zhejiang", "--neighbour", "Shanghai", *args)
    if "--neighbour" in args:
        code, out, err = run(capsys, "yrd", "--region", "Shanghai", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err and words in err


def test_andorra_one_road_joins_sant_julia_to_andorra_la_vella(capsys, andorra_path):
    """Worked out from the extract by hand.

    Of the 2013 extract's highway lines, only one meets the Sant Julià de Lòria – Andorra la
    Vella border: way 176487215, the CG-1 (carretera General 1), the valley road. Sant
    Julià's other roads lead south into Alt Urgell (Spain), whose boundary the extract cuts
    off, and none comes back into Andorra la Vella inside it. So: one edge-disjoint path
    (min cut 1), and closing the CG-1 leaves the two parishes unconnected: critical.
    """
    a, b = "Sant Julià de Lòria", "Andorra la Vella"
    source = load_source(str(andorra_path), layer_names=["highways"], region=a)
    border = border_lines(source.region_set, a, b)
    roads = source.layers["highways"].to_crs(source.region_set.crs)
    crossing = roads[roads.intersects(border)]
    assert list(crossing["id"]) == ["osm:way/176487215"] and list(crossing["ref"]) == ["CG-1"]
    code, out, _ = run(capsys, str(andorra_path), "--region", a, "--neighbour", b,
                       "--layers", "highways", "--format", "json")  # fmt: skip
    assert code == 0
    [border_result] = json.loads(out)["borders"]
    assert border_result["min_cut"] == 1
    [row] = border_result["interfaces"]
    assert row["ref"] == "CG-1" and row["disconnected_pairs"] == 1 and row["critical"]


def test_pairs_close_every_two_interfaces_and_never_help(capsys):
    args = ["--layers", "highways", "--network-km", "120", "--pairs", "--format", "json"]
    code, out, _ = run(capsys, "yrd", "--region", "浙江", "--neighbour", "上海", *args)
    assert code == 0
    [border] = json.loads(out)["borders"]
    single = {r["id"]: r for r in border["interfaces"] if "," not in r["id"]}
    double = [r for r in border["interfaces"] if "," in r["id"]]
    assert len(double) == len(single) * (len(single) - 1) // 2
    for row in double:
        one, two = row["id"].split(",")
        # Closing two is never better than closing either alone, for any trip.
        for name in (one, two):
            assert row["added_min_max"] >= single[name]["added_min_max"] - 1e-9
            assert row["disconnected_pairs"] >= single[name]["disconnected_pairs"]
        assert row["critical"] or not (single[one]["critical"] or single[two]["critical"])


def test_pairs_are_one_call_with_the_answer_of_two(monkeypatch, capsys):
    """--pairs closes each interface alone and every two together in one engine call; its
    rows are those of the two calls it replaced (each alone, then every pair)."""
    import itertools

    import pandas as pd

    from geo import cli_resilience
    from geo.io.network_data import dataset_network
    from geo.io.places import default_places
    from geo.what_if import what_if

    calls = []

    def counted(*args, **kwargs):
        calls.append(kwargs.get("pairs"))
        return what_if(*args, **kwargs)

    monkeypatch.setattr(cli_resilience, "what_if", counted)
    code, out, _ = run(capsys, "yrd", "--region", "Zhejiang", "--neighbour", "Shanghai",
                       "--layers", "highways", "--pairs", "--format", "json")  # fmt: skip
    assert code == 0 and calls == [True]
    [border] = json.loads(out)["borders"]

    source = load_source("yrd", layer_names=["highways", "ports"])
    kwargs = {
        "layer_names": ["highways"],
        "network": dataset_network(source.folder, ("highways",)),
        "places": default_places(),
    }
    [alone] = what_if(source.layers, source.region_set, "Zhejiang", "Shanghai", **kwargs)
    ids = [str(i) for i in alone.interfaces["id"]]
    assert len(ids) >= 3
    [two] = what_if(source.layers, source.region_set, "Zhejiang", "Shanghai",
                    close=[list(p) for p in itertools.combinations(ids, 2)], **kwargs)  # fmt: skip
    expected = pd.concat([alone.interfaces, two.interfaces], ignore_index=True)
    got = pd.DataFrame(border["interfaces"])
    assert list(got["id"]) == list(expected["id"])
    for column in ("pairs_moved", "disconnected_pairs", "critical"):
        assert list(got[column]) == list(expected[column]), column
    for column in ("added_min_max", "added_km_max", "base_share"):
        assert got[column].fillna(-1).to_numpy() == pytest.approx(
            expected[column].astype(float).fillna(-1).to_numpy()
        ), column
    closed = pd.concat([alone.pairs, two.pairs], ignore_index=True)
    closed = closed[closed["closed"] != ""]
    assert [r["closed"] for r in border["closures"]] == list(closed["closed"])
    shown = [-1.0 if r["added_min"] is None else r["added_min"] for r in border["closures"]]
    assert shown == pytest.approx(list(closed["added_min"].astype(float).fillna(-1.0)))
    assert border["critical"] == [*alone.critical, *two.critical]


def test_a_min_cut_of_0_never_stands_beside_a_critical_interface(capsys):
    """Zhejiang–Jiangsu railways: the Huzhou–Suzhou trip ran through Shanghai, so the table
    read "min cut: 0" beside a critical Shanghai–Suzhou–Huzhou railway. The min cut and the
    routes are now of one network (no third region): each border's numbers agree."""
    code, out, _ = run(capsys, "yrd", "--region", "Zhejiang", "--neighbour", "Jiangsu",
                       "--layers", "railways", "--format", "json")  # fmt: skip
    assert code == 0
    [border] = json.loads(out)["borders"]
    assert border["interfaces"]
    joined = [p for p in border["pairs"] if p["min"] is not None]
    if border["min_cut"] == 0:
        assert not border["critical"] and not joined
        assert all(r["base_share"] == 0 for r in border["interfaces"])
    else:
        assert joined


@pytest.mark.parametrize("lang, words", [("en", "crossings"), ("zh", "接口编号")])
def test_an_id_to_close_that_matches_nothing_is_refused_in_one_sentence(capsys, lang, words):
    """Before, it closed nothing and every border read "no interface of the count"."""
    code, out, err = run(capsys, "yrd", "--region", "Zhejiang", "--close", "nosuchid",
                         "--lang", lang)  # fmt: skip
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "nosuchid" in err and words in err and "--region Zhejiang" in err


def test_an_id_to_close_serves_its_own_border_among_all_the_neighbours(capsys):
    """Without --neighbour, the Donghai Bridge's id closes it on Zhejiang–Shanghai; the other
    borders say none of the ids is theirs (before: refused, not on their networks)."""
    bridge = "highways/Shanghai–Zhejiang/yrd:hwy-s2-donghai-bridge"
    code, out, err = run(capsys, "yrd", "--region", "Zhejiang", "--layers", "highways",
                         "--close", bridge, "--format", "json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    closed = {b["b"]: [r["id"] for r in b["interfaces"]] for b in data["borders"]}
    assert closed.pop("Shanghai") == [bridge]
    assert closed and not any(closed.values())
    notes = [w["en"] for w in data["warnings"] if "None of the interfaces to close" in w["en"]]
    assert len(notes) == len(closed)


@pytest.mark.parametrize("lang, words", [("en", "no complete boundary"), ("zh", "边界不完整")])
def test_a_region_with_no_whole_neighbour_says_why_there_is_nothing(
    capsys, monaco_path, lang, words
):
    """The 2012 Monaco extract holds France's border with Monaco, not France: no border can
    be routed. Before, the command exited 0 and printed only its footer."""
    code, out, err = run(capsys, str(monaco_path), "--region", "Monaco", "--lang", lang)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert words in err and "France" in err and "Monaco" in err


def test_a_region_with_no_neighbour_says_so():
    from geo.errors import InvalidParameterError
    from geo.what_if import border_neighbours
    from helpers.synthetic import box, regions

    alone = regions({"A": box(0, 0, 10, 10)})
    with pytest.raises(InvalidParameterError, match="shares no border") as caught:
        border_neighbours(alone, "A")
    assert "没有共同边界" in caught.value.text("zh")


def test_added_minutes_never_stand_beside_0_pairs_in_json_or_either_language(capsys):
    """Zhejiang–Jiangsu railways: the Huzhou–Jiangsu trip crosses the Nanjing–Hangzhou HSR
    into Jiangsu and back, then the Xinyi–Changxing railway. Closing the Xinyi–Changxing
    railway adds 8.3 min; its row read "0% | 0 | 8.3 | 8.3" (only a route's first crossing
    counted as used). Every row with added minutes now counts the pair using it and slowed,
    in the JSON and in the text in English and Chinese."""
    args = ["yrd", "--region", "Zhejiang", "--neighbour", "Jiangsu", "--layers", "railways"]
    code, out, _ = run(capsys, *args, "--format", "json")
    assert code == 0
    [border] = json.loads(out)["borders"]
    rows = {r["name"]: r for r in border["interfaces"]}
    xin = rows["Xinyi–Changxing Railway"]
    assert xin["added_min_max"] > 0
    assert (xin["pairs_moved"], xin["base_share"]) == (1, 1.0)
    assert xin["pairs_slower"] == 1
    for row in border["interfaces"]:
        if row["added_min_max"] > 0 or row["added_min_mean"] > 0:
            assert row["pairs_moved"] >= 1 and row["pairs_slower"] >= 1, row
            assert row["base_share"] > 0, row  # Huzhou and Jiangsu have people
        assert row["pairs_slower"] + row["disconnected_pairs"] <= row["pairs_moved"], row
    rails = load_source("yrd", layer_names=["railways"]).layers["railways"].set_index("id")
    named = {"en": xin["name"], "zh": rails.at["yrd:rail-xin-chang", "name_zh"]}
    for lang, head in (("en", "place pairs slowed"), ("zh", "行程变长的起讫地点对")):
        code = main(["--lang", lang, "resilience", *args])
        text = capsys.readouterr().out
        assert code == 0 and head in text
        [line] = [x for x in text.splitlines() if x.startswith(f"{named[lang]} |")]
        assert line.split(" | ")[1:5] == ["100%", "1", "1", f"{xin['added_min_mean']:.1f}"]
