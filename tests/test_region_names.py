"""A region named by any of its names (zh or en, with or without 省/市, any case): the engine's
resolver, the Python API and the command line in-process, with their exit codes."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.analysis import count_crossings
from geo.band import border_band
from geo.cli import main
from geo.compare import compare_years
from geo.errors import AmbiguousRegionError, UnknownRegionError
from geo.io.sources import load_source
from geo.overview import overview
from geo.region_names import RegionNames, core, normalise
from geo.regions import region_set_from_polygons
from geo.timeline import timeline
from layers import LINE_LAYERS
from layers.waterways import nsiw_grade

#: Every form the embedded dataset's Zhejiang and Shanghai are named by, and what they are.
FORMS: dict[str, list[str]] = {
    "Zhejiang": [
        "Zhejiang", "zhejiang", "ZHEJIANG", " Zhejiang ", "Zhejiang Province",
        "zhejiang province", "ZheJiang  PROVINCE", "浙江", "浙江省", " 浙江省\u3000",
        "ｚｈｅｊｉａｎｇ",  # full-width letters, as a Chinese input method may type them
    ],
    "Shanghai": ["上海", "上海市", "shanghai", "Shanghai Municipality", "Shanghai City"],
}  # fmt: skip


@pytest.fixture(scope="module")
def yrd():
    return load_source("yrd", layer_names=LINE_LAYERS)


def cli(*argv: str) -> tuple[int, str, str]:
    """``python -m geo ARGV`` run in-process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def one_sentence(err: str) -> str:
    message = err.strip()
    assert message.startswith("jiegui: ") and "\n" not in message, err
    assert "Traceback" not in err
    return message


# --------------------------------------------------------------------------- the rules


def test_normalise_and_core():
    assert normalise("\u3000Zhejiang\tProvince  ") == "zhejiang province"
    assert core("浙江省") == core("浙江") == "浙江"
    assert core("内蒙古自治区") == "内蒙古"
    assert core("新疆维吾尔自治区") == "新疆"
    assert core("香港特别行政区") == "香港"
    assert core("Hong Kong SAR") == "hong kong"
    assert core("Shanghai Municipality") == core("shanghai city") == "shanghai"
    # a suffix is only a suffix when something of two characters or more is left
    assert core("市") == "市" and core("沙市") == "沙市"
    assert core("Cityville") == "cityville"  # a whole word only


def test_every_form_of_the_embedded_regions_resolves(yrd):
    names = yrd.region_set
    for region, forms in FORMS.items():
        for form in forms:
            assert names.resolve(form) == region, form
    assert names.neighbours("浙江省") == names.neighbours("Zhejiang")
    assert names.focus("zhejiang").pairs.equals(names.focus("Zhejiang").pairs)


def test_a_name_of_two_regions_is_refused_naming_both():
    names = RegionNames.of(["吉林省", "吉林市", "Jilin"], {"吉林省": ["Jilin Province"]})
    assert names.resolve("吉林省") == "吉林省"  # exact and normalised names still decide
    assert names.resolve("吉林市") == "吉林市"
    assert names.resolve("jilin") == "Jilin"  # the full name of one, before suffixes go
    assert names.resolve("jilin province") == "吉林省"
    with pytest.raises(AmbiguousRegionError, match=r"吉林市.*吉林省.*full name"):
        names.resolve("吉林")


def test_an_unknown_name_lists_the_closest_or_the_known_ones(yrd):
    with pytest.raises(UnknownRegionError, match=r"did you mean Zhejiang \(浙江省\)\?$"):
        yrd.region_set.resolve("Zhejang")
    with pytest.raises(UnknownRegionError, match=r"known regions: Anhui \(安徽省\), .*Zhejiang"):
        yrd.region_set.resolve("Atlantis")
    many = RegionNames.of([f"Region {n:03d}" for n in range(100)])
    with pytest.raises(UnknownRegionError, match="and 70 more"):
        many.resolve("Q")


def test_an_unknown_name_offers_only_regions_that_can_be_counted():
    # Regions only partly in the data (an extract's neighbours) are found when typed, but
    # never suggested or listed as regions to choose: they are named apart, as such.
    names = RegionNames.of(
        ["Andorra", "Encamp", "Lleida", "España"],
        {"Lleida": ["莱里达"]},
        partial=["Lleida", "España"],
    )
    assert names.resolve("lleida") == "Lleida"
    with pytest.raises(UnknownRegionError) as caught:
        names.resolve("Nowhere")
    assert caught.value.message.en == (
        "No region called 'Nowhere' in this data; regions that can be counted: Andorra, "
        "Encamp (2 other region(s) named in it, such as España, Lleida, are only partly in "
        "it and cannot be counted)."
    )
    assert "可统计的地区有：Andorra、Encamp" in caught.value.message.zh
    with pytest.raises(UnknownRegionError) as caught:
        names.resolve("Lerida")
    assert caught.value.message.en == (
        "No region called 'Lerida' can be counted in this data: Lleida (莱里达) is only partly "
        "in it (use data that hold the whole boundary); regions that can be counted: "
        "Andorra, Encamp."
    )
    assert "莱里达（Lleida）在数据中只有部分边界" in caught.value.message.zh
    with pytest.raises(UnknownRegionError, match=r"did you mean Encamp\?$"):
        names.resolve("Encam")


def test_the_data_spelling_wins_over_a_namesake_by_suffix():
    names = RegionNames.of(["Shanghai", "Shanghai City"])
    assert names.resolve("Shanghai City") == "Shanghai City"
    assert names.resolve("shanghai") == "Shanghai"
    assert names.resolve("SHANGHAI CITY") == "Shanghai City"


_SPACE = st.text(alphabet=" \t\u3000\u00a0", max_size=3)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([(r, f) for r, forms in FORMS.items() for f in forms]),
    st.data(),
    _SPACE,
    _SPACE,
)
def test_any_casing_and_spacing_of_a_known_name_resolves_to_it(case, data, before, after):
    region, form = case
    flips = data.draw(st.lists(st.booleans(), min_size=len(form), max_size=len(form)))
    cased = "".join(c.upper() if up else c.lower() for c, up in zip(form, flips))
    assert _YRD_NAMES.resolve(before + cased + after) == region


_YRD_NAMES = load_source("yrd", layer_names=("highways",)).region_set.known_names


# ----------------------------------------------------------------------------- the API


def test_the_api_counts_the_same_region_by_any_name(yrd):
    expected = count_crossings(yrd.layers, yrd.region_set, region="Zhejiang").summary
    for form in ("浙江", "zhejiang province"):
        got = count_crossings(yrd.layers, yrd.region_set, region=form)
        assert got.summary.equals(expected), form
    view = overview(yrd.layers, yrd.region_set, region="浙江省", as_of=2006)
    assert view.region == "Zhejiang" and set(view.totals["a"]) == {"Zhejiang"}
    assert compare_years(yrd.layers, yrd.region_set, 2006, 2010, region="浙江").region == (
        "Zhejiang"
    )
    line = timeline(yrd.layers, yrd.region_set, first_year=2005, last_year=2006, region="浙江")
    assert line.region == "Zhejiang"


def test_the_band_takes_any_name_of_region_and_neighbour(yrd):
    band = border_band(yrd.region_set, region="浙江", neighbour="shanghai", sea_gap_m=0)
    same = border_band(yrd.region_set, region="Zhejiang", neighbour="Shanghai", sea_gap_m=0)
    assert band.note == same.note and band.polygon.equals(same.polygon)


def test_a_boundaries_file_carries_its_chinese_and_english_names(tmp_path):
    frame = gpd.GeoDataFrame(
        {
            "name": ["浙江省", "上海市"],
            "name:en": ["Zhejiang", "Shanghai"],
            "name_zh": [None, "  "],
        },
        geometry=[shapely.box(120, 30, 121, 31), shapely.box(121, 30, 122, 31)],
        crs=4326,
    )
    regions = region_set_from_polygons(frame)
    names = regions.regions.set_index("name")
    assert names["name_en"].to_dict() == {"浙江省": "Zhejiang", "上海市": "Shanghai"}
    assert names["name_zh"].to_dict() == {"浙江省": "", "上海市": ""}
    assert regions.other_names == {"上海市": ("Shanghai",), "浙江省": ("Zhejiang",)}
    assert regions.resolve("zhejiang province") == "浙江省"
    assert regions.resolve("上海") == "上海市"


# ---------------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def overview_csv() -> str:
    code, out, _ = cli("crossings", "yrd", "--region", "Zhejiang", "--overview", "--format", "csv")
    assert code == 0
    return out


@pytest.mark.parametrize("form", FORMS["Zhejiang"])
def test_the_cli_takes_every_form_of_the_region(form, overview_csv):
    code, out, err = cli("crossings", "yrd", "--region", form, "--overview", "--format", "csv")
    assert code == 0, err
    assert out == overview_csv


def test_the_cli_compares_years_of_a_region_named_in_chinese():
    code, out, err = cli("crossings", "yrd", "--region", "浙江", "--compare", "2000", "2024")
    assert code == 0, err
    assert "Zhejiang" in out
    # grades read as numerals in both languages, the best (lowest) number first in rank
    assert "grade ? -> III (III级)" in out


def test_the_cli_shows_grades_as_numerals():
    code, out, err = cli("crossings", "yrd", "--region", "zhejiang", "--as-of", "2006")
    assert code == 0, err
    assert "navigation grade IV (IV级)" in out
    assert "navigation grade 4" not in out


@pytest.mark.parametrize(
    ("form", "needle"),
    [
        ("Zhejang", "did you mean Zhejiang (浙江省)?"),
        ("浙", "did you mean Zhejiang (浙江省)?"),  # an abbreviation is not a name, but close
        ("Atlantis", "No region called 'Atlantis'"),
    ],
)
def test_the_cli_refuses_an_unknown_region_in_one_sentence(form, needle):
    code, out, err = cli("crossings", "yrd", "--region", form)
    assert code == 2 and out == ""
    assert needle in one_sentence(err)


def test_the_cli_refuses_an_ambiguous_region_in_one_sentence(tmp_path: Path):
    path = tmp_path / "jilin.geojson"
    gpd.GeoDataFrame(
        {"name": ["吉林省", "吉林市"]},
        geometry=[shapely.box(125, 42, 126, 43), shapely.box(126, 42, 127, 43)],
        crs=4326,
    ).to_file(path)
    code, out, err = cli("crossings", str(path), "--region", "吉林", "--overview")
    assert code == 2 and out == ""
    message = one_sentence(err)
    assert "'吉林' names more than one region" in message
    assert "吉林市" in message and "吉林省" in message
    code, out, err = cli("crossings", str(path), "--region", "吉林市", "--overview")
    assert code == 0, err


@pytest.mark.shared
def test_osm_regions_go_by_their_name_tags(monaco_path, andorra_path):
    def json_of(path: Path, region: str) -> str:
        code, out, err = cli("crossings", str(path), "--region", region, "--format", "json")
        assert code == 0, err
        return out

    assert json_of(monaco_path, "摩纳哥") == json_of(monaco_path, "Monaco")  # name:zh
    assert json_of(andorra_path, "ANDORRA") == json_of(andorra_path, "Andorra")
    # Spain's relation is incomplete in the extract: its English name finds it all the same
    code, _, err = cli("crossings", str(andorra_path), "--region", " spain ")
    assert code == 2 and "The boundary of 'España' cannot be assembled" in one_sentence(err)


def _counted(message: str) -> set[str]:
    """The regions an unknown-region sentence lists as those that can be counted."""
    found = re.search(
        r"(?:can be counted: |可统计的地区有：)(.*?) ?[（(](?:数据中另有 )?\d+ ", message
    )
    assert found, message
    return {n.strip() for n in re.split(r", |、", found.group(1))}


@pytest.mark.shared
def test_an_unknown_osm_region_lists_only_the_regions_that_can_be_counted(
    andorra_path, monaco_path
):
    # Andorra's extract names 32 regions, most of them (Lleida, España, Foix) relations it
    # holds only along Andorra's border: they were listed as "known regions" and then
    # failed ("cannot be assembled"). Said after the first pass (a plain count), the
    # regions are told from the member ways present; after the whole read (--compare),
    # from the polygons assembled.
    parishes = {"Andorra la Vella", "Encamp", "Escaldes-Engordany", "La Massana", "Ordino",
                "Sant Julià de Lòria"}  # fmt: skip
    code, out, err = cli("crossings", str(andorra_path), "--region", "Nowhere")
    assert code == 2 and out == ""
    message = one_sentence(err)
    early = _counted(message)
    assert {"Andorra", *parishes} <= early
    assert not early & {"Lleida (莱里达)", "España (Spain)", "Foix", "Canillo", "Alins"}
    assert "only partly in it and cannot be counted" in message
    code, _, err = cli("crossings", str(andorra_path), "--region", "Nowhere", "--compare",
                       "2012", "2013")  # fmt: skip
    assert code == 2 and _counted(one_sentence(err)) == {"Andorra", *parishes}
    code, _, err = cli("crossings", str(andorra_path), "--region", "Nowhere", "--lang", "zh")
    assert code == 2 and _counted(one_sentence(err)) == early
    code, _, err = cli("crossings", str(andorra_path), "--region", "Lerida")
    assert code == 2 and "Lleida (莱里达) is only partly in it" in one_sentence(err)
    code, _, err = cli("crossings", str(monaco_path), "--region", "Nowhere")
    assert code == 2
    counted = _counted(one_sentence(err))
    assert "Monaco (摩纳哥)" in counted
    assert not counted & {"Nice", "Beausoleil", "Alpes-Maritimes", "France métropolitaine"}


# ------------------------------------------------------------------------------- grades


@pytest.mark.parametrize(
    ("raw", "grade"),
    [("IV", 4), ("iv", 4), ("Ⅳ", 4), ("IV级", 4), ("Ⅳ级", 4), ("4级", 4), ("四级", 4),
     ("VII级", 7), ("I", 1), ("VIII", None), ("Va", None), ("0", None), ("４级", 4)],
)  # fmt: skip
def test_grades_are_read_as_numerals_with_or_without_ji(raw, grade):
    assert nsiw_grade(raw) == grade
