"""Results kept on disk between runs (app.result_cache, app.views)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from app import result_cache, views, webmap
from app.query import PageQuery
from geo import settings
from geo.datum import WGS84_DATUM


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "results"
    monkeypatch.setenv(settings.RESULTS.variable, str(folder))
    return folder


def _frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"a": range(rows)})


def test_a_result_is_computed_once_then_read_back(cache):
    before = result_cache.computed_count("test-frame")
    first = result_cache.remembered("test-frame", ("x", 3), lambda: _frame(3))
    again = result_cache.remembered("test-frame", ("x", 3), lambda: _frame(99))
    assert result_cache.computed_count("test-frame") == before + 1
    pd.testing.assert_frame_equal(first, again)
    assert result_cache.entry_path("test-frame", ("x", 3)).is_file()


def test_the_latest_results_are_shared_from_memory(cache):
    before = result_cache.computed_count("test-recent")
    first = result_cache.remembered("test-recent", ("x", 0), lambda: _frame(3))
    assert result_cache.remembered("test-recent", ("x", 0), lambda: _frame(99)) is first
    for n in range(1, result_cache.RECENT_RESULTS + 1):  # newer results push it out
        result_cache.remembered("test-recent", ("x", n), lambda: _frame(1))
    again = result_cache.remembered("test-recent", ("x", 0), lambda: _frame(99))
    assert again is not first  # read back from disk, not computed
    pd.testing.assert_frame_equal(again, first)
    assert result_cache.computed_count("test-recent") == before + result_cache.RECENT_RESULTS + 1


def test_a_result_kept_in_memory_only_writes_nothing(cache):
    before = result_cache.computed_count("test-memory")
    first = result_cache.remembered("test-memory", ("x",), lambda: _frame(2), on_disk=False)
    again = result_cache.remembered("test-memory", ("x",), lambda: _frame(5), on_disk=False)
    assert again is first
    assert result_cache.computed_count("test-memory") == before + 1
    assert not any(cache.rglob("*.result"))
    result_cache.forget_recent()
    recomputed = result_cache.remembered("test-memory", ("x",), lambda: _frame(5), on_disk=False)
    assert len(recomputed) == 5


def test_another_key_or_other_code_computes_again(cache, monkeypatch):
    result_cache.remembered("test-key", ("x", 1), lambda: 1)
    assert result_cache.remembered("test-key", ("x", 2), lambda: 2) == 2
    monkeypatch.setattr(result_cache, "code_stamp", lambda: "another-code")
    assert result_cache.remembered("test-key", ("x", 1), lambda: "recomputed") == "recomputed"


def test_the_code_stamp_follows_the_sources(tmp_path):
    (tmp_path / "pkg").mkdir()
    module = tmp_path / "pkg" / "m.py"
    module.write_text("x = 1\n")
    before = result_cache.stamp_of(tmp_path, ["pkg"], ["numpy"])
    assert result_cache.stamp_of(tmp_path, ["pkg"], ["numpy"]) == before
    module.write_text("x = 2\n")
    assert result_cache.stamp_of(tmp_path, ["pkg"], ["numpy"]) != before
    assert result_cache.stamp_of(tmp_path, ["pkg"], ["numpy", "pandas"]) != before


def test_a_damaged_result_is_computed_again(cache, caplog):
    result_cache.remembered("test-damage", ("x",), lambda: "good")
    stored = result_cache.entry_path("test-damage", ("x",))
    stored.write_bytes(b"not a pickle")
    result_cache.forget_recent()  # as a new process: read from disk
    before = result_cache.computed_count("test-damage")
    value = result_cache.remembered("test-damage", ("x",), lambda: "computed again")
    assert value == "computed again"
    assert "is not signed with this user's key" in caplog.text
    assert result_cache.computed_count("test-damage") == before + 1


def test_an_unwritable_folder_keeps_results_in_memory_only(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(settings.RESULTS.variable, str(blocker / "results"))
    calls = []
    for _ in range(2):
        assert result_cache.remembered("test-nowhere", (1,), lambda: calls.append(1) or 5) == 5
    assert len(calls) == 1
    result_cache.forget_recent()
    assert result_cache.remembered("test-nowhere", (1,), lambda: calls.append(1) or 5) == 5
    assert len(calls) == 2
    assert not (blocker / "results").exists()


def test_the_embedded_first_view_is_read_back_identical(cache):
    stamp = views.source_stamp("yrd")
    computed = {kind: result_cache.computed_count(kind) for kind in ("source", "crossings", "map")}

    def first_view() -> tuple[views.Loaded, object, webmap.MapContent]:
        loaded = views.load("yrd", stamp, WGS84_DATUM)
        layers = tuple(loaded.source.layers)
        query = PageQuery(
            "yrd", stamp, WGS84_DATUM, "Zhejiang", "Shanghai", None, ("open",), layers
        )
        result = views.count(loaded, query)
        content = views.map_content(loaded, result, query)
        return loaded, result, content

    loaded, result, content = first_view()
    result_cache.forget_recent()  # as a restarted server: read back from disk
    again_loaded, again_result, again_content = first_view()
    assert again_result is not result
    for kind, count in computed.items():
        assert result_cache.computed_count(kind) == count + 1, kind
    assert again_content == content
    pd.testing.assert_frame_equal(again_result.summary, result.summary)
    pd.testing.assert_frame_equal(
        again_result.interfaces.drop(columns="geometry"), result.interfaces.drop(columns="geometry")
    )
    assert again_result.interfaces.geometry.equals(result.interfaces.geometry)
    assert again_loaded.source.region_set.crs == loaded.source.region_set.crs
    assert again_loaded.key == loaded.key


def test_a_changed_file_is_loaded_again(cache, tmp_path):
    source = Path(webmap.__file__).resolve().parents[1] / "data" / "yrd" / "regions.geojson"
    copy = tmp_path / "regions.geojson"
    copy.write_bytes(source.read_bytes())
    before = result_cache.computed_count("source")
    views.load(str(copy), views.source_stamp(str(copy)), WGS84_DATUM)
    views.load(str(copy), views.source_stamp(str(copy)), WGS84_DATUM)
    assert result_cache.computed_count("source") == before + 1
    copy.write_bytes(source.read_bytes() + b"\n")
    views.load(str(copy), views.source_stamp(str(copy)), WGS84_DATUM)
    assert result_cache.computed_count("source") == before + 2


def test_the_stamp_covers_a_packages_manifest_and_a_shapefiles_sidecars(tmp_path):
    package, manifest = tmp_path / "x.gpkg", tmp_path / "x.manifest.json"
    package.write_bytes(b"gpkg")
    alone = views.source_stamp(str(package))
    manifest.write_text('{"attribution": "a"}')
    with_manifest = views.source_stamp(str(package))
    manifest.write_text('{"attribution": "b, longer"}')
    assert len({alone, with_manifest, views.source_stamp(str(package))}) == 3

    shp, dbf = tmp_path / "r.shp", tmp_path / "r.dbf"
    shp.write_bytes(b"shp")
    dbf.write_bytes(b"names A B")
    before = views.source_stamp(str(shp))
    dbf.write_bytes(b"names X Y, longer")
    assert views.source_stamp(str(shp)) != before
    assert views.source_stamp(str(tmp_path / "missing.shp")) == ""
    assert views.source_files("yrd") and views.source_stamp("yrd")


def test_results_follow_the_year_the_data_are_read_in(cache, monkeypatch):
    # The embedded data carry no timestamp: "now" is this year, which is part of the key.
    loaded = views.load("yrd", views.source_stamp("yrd"), WGS84_DATUM)
    query = views.first_query(loaded)
    before = result_cache.computed_count("crossings")
    views.count(loaded, query)
    views.count(loaded, query)
    assert result_cache.computed_count("crossings") == before + 1
    monkeypatch.setattr(views, "current_year", lambda: 2031)
    views.count(loaded, query)
    assert result_cache.computed_count("crossings") == before + 2


def test_a_count_is_kept_for_all_the_regions_neighbours(cache):
    loaded = views.load("yrd", views.source_stamp("yrd"), WGS84_DATUM)
    query = views.first_query(loaded)
    assert query.neighbour == "Shanghai"
    before = result_cache.computed_count("crossings")
    first = views.count(loaded, query)
    again = views.count(loaded, dataclasses.replace(query, neighbour="Jiangsu"))
    assert again is first and result_cache.computed_count("crossings") == before + 1
    assert views.count(loaded, query.all_neighbours) is first


def test_a_page_query_is_one_value_with_tuples_of_choices():
    query = PageQuery("yrd", "s", WGS84_DATUM, "A", None, None, ["open"], ["highways"])
    assert query.statuses == ("open",) and query.layer_names == ("highways",)
    assert hash(query) == hash(PageQuery("yrd", "s", WGS84_DATUM, "A", None, None,
                                         ("open",), ("highways",)))  # fmt: skip
    assert query.highlight == ("A",)
    assert dataclasses.replace(query, neighbour="B").highlight == ("A", "B")


def test_a_folder_others_may_write_is_not_used(tmp_path, monkeypatch, caplog):
    folder = tmp_path / "shared-results"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv(settings.RESULTS.variable, str(folder))
    calls = []
    for _ in range(2):
        result_cache.remembered("test-open-folder", (1,), lambda: calls.append(1) or 1)
    assert len(calls) == 1  # kept in memory
    result_cache.forget_recent()
    result_cache.remembered("test-open-folder", (1,), lambda: calls.append(1) or 1)
    assert len(calls) == 2  # nothing was read from the folder
    assert "writable by no one else" in caplog.text
    assert not any(folder.rglob("*.result"))


def test_a_computation_may_ask_for_its_own_key(cache):
    import threading

    def inner() -> int:
        return result_cache.remembered("test-reentry", (1,), lambda: 7)

    done = []
    worker = threading.Thread(
        target=lambda: done.append(result_cache.remembered("test-reentry", (1,), inner)),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=30)
    assert done == [7]
