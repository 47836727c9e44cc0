"""Results kept on disk between runs (app.result_cache, app.views)."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from app import result_cache, result_store, views, webmap
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


# ---------------------------------------------------------------- entries planted by others
#
# Another local user who could write into the cache folder plants a pickle that runs code
# when loaded. Each test plants one where a real entry is kept and proves that its code never
# runs (the marker file is never made) and that the result is still right. Where the
# signature alone would stop it, the planted entry is signed with this user's real key, so
# the test shows that the folder, file or secret check stops it on its own.


class _Planted:
    """Unpickling this runs code: it makes the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return exec, (f"open({str(self.marker)!r}, 'w').close()",)


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "planted-code-ran"


def _malicious(marker: Path) -> bytes:
    return pickle.dumps(_Planted(marker))


def _name(kind: str, key: object) -> str:
    return result_cache.entry_name(kind, key, result_cache.code_stamp())


def _entry(secret: bytes, kind: str, key: object, payload: bytes) -> bytes:
    """An entry of ``kind`` and ``key`` holding ``payload``, signed with ``secret``."""
    return result_store.MAGIC + result_store.tag(secret, _name(kind, key), payload) + payload


def _signed(cache: Path, kind: str, key: object, payload: bytes) -> bytes:
    """An entry as this user's process would write it, signed with this folder's real key."""
    return _entry((cache / settings.RESULTS_KEY_NAME).read_bytes(), kind, key, payload)


def _plant(path: Path, data: bytes, mode: int = 0o600) -> None:
    path.write_bytes(data)
    path.chmod(mode)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == result_cache.LOG.name]


def _stored_then_forgotten(kind: str, key: object, value: object = "good") -> Path:
    """Keep a result on disk, drop it from memory (as a new process); return its file."""
    result_cache.remembered(kind, key, lambda: value)
    result_cache.forget_recent()
    path = result_cache.entry_path(kind, key)
    assert path.is_file()
    return path


def _computed_since(before: dict[str, int]) -> dict[str, int]:
    return {kind: result_cache.computed_count(kind) - n for kind, n in before.items()}


def _unsigned(cache: Path, marker: Path) -> bytes:
    return _malicious(marker)


def _forged(cache: Path, marker: Path) -> bytes:
    # The entry's format, with a made-up signature.
    return result_store.MAGIC + os.urandom(result_store.TAG_BYTES) + _malicious(marker)


def _signed_with_another_key(cache: Path, marker: Path) -> bytes:
    return _entry(b"k" * result_store.KEY_BYTES, "test-plant", (1,), _malicious(marker))


def _signed_for_another_entry(cache: Path, marker: Path) -> bytes:
    # This user's real signature, but of another entry: an entry cannot be moved.
    return _signed(cache, "test-plant", (2,), _malicious(marker))


def _signature_only(cache: Path, marker: Path) -> bytes:
    return result_store.MAGIC + b"\0" * result_store.TAG_BYTES


@pytest.mark.parametrize(
    "planted",
    [_unsigned, _forged, _signed_with_another_key, _signed_for_another_entry, _signature_only],
    ids=["no-signature", "forged", "another-key", "another-entry", "empty-pickle"],
)
def test_a_planted_entry_without_this_users_signature_is_never_loaded(
    cache, marker, caplog, planted
):
    path = _stored_then_forgotten("test-plant", (1,))
    _plant(path, planted(cache, marker))
    before = result_cache.computed_count("test-plant")
    value = result_cache.remembered("test-plant", (1,), lambda: "recomputed")
    assert not marker.exists()  # the planted code never ran
    assert value == "recomputed"
    assert result_cache.computed_count("test-plant") == before + 1
    [warning] = _warnings(caplog)
    assert "not signed with this user's key" in warning and str(path) in warning
    result_cache.forget_recent()  # rewritten: read back, signed, from now on
    assert result_cache.remembered("test-plant", (1,), lambda: "again") == "recomputed"
    assert result_cache.computed_count("test-plant") == before + 1


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666], ids=oct)
def test_an_entry_others_may_write_is_never_loaded(cache, marker, caplog, mode):
    path = _stored_then_forgotten("test-open-entry", (mode,))
    _plant(path, _signed(cache, "test-open-entry", (mode,), _malicious(marker)), mode)
    value = result_cache.remembered("test-open-entry", (mode,), lambda: "recomputed")
    assert not marker.exists() and value == "recomputed"
    [warning] = _warnings(caplog)
    assert "no one else may write" in warning
    assert path.stat().st_mode & 0o777 == 0o600  # rewritten by this user


def _as_another_user(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user (chown)")
    os.chown(path, 65534, 65534, follow_symlinks=False)


def test_an_entry_of_another_user_is_never_loaded(cache, marker, caplog):
    path = _stored_then_forgotten("test-foreign-entry", (1,))
    _plant(path, _signed(cache, "test-foreign-entry", (1,), _malicious(marker)))
    _as_another_user(path)
    value = result_cache.remembered("test-foreign-entry", (1,), lambda: "recomputed")
    assert not marker.exists() and value == "recomputed"
    assert len(_warnings(caplog)) == 1
    assert path.stat().st_uid == os.geteuid()  # rewritten by this user


def test_a_link_in_place_of_an_entry_is_not_followed(cache, marker, tmp_path, caplog):
    path = _stored_then_forgotten("test-link-entry", (1,))
    elsewhere = tmp_path / "elsewhere.result"  # this user's own file, validly signed
    _plant(elsewhere, _signed(cache, "test-link-entry", (1,), _malicious(marker)))
    path.unlink()
    path.symlink_to(elsewhere)
    value = result_cache.remembered("test-link-entry", (1,), lambda: "recomputed")
    assert not marker.exists() and value == "recomputed"
    assert len(_warnings(caplog)) == 1
    assert not path.is_symlink()


def _read_twice_from_disk(kind: str) -> tuple[list[object], list[int]]:
    """Ask for ``kind``'s result twice, forgetting what memory holds in between.

    Returns the two values and one item per computation.
    """
    calls: list[int] = []
    values = []
    for _ in range(2):
        values.append(result_cache.remembered(kind, (1,), lambda: calls.append(1) or "computed"))
        result_cache.forget_recent()
    return values, calls


@pytest.mark.parametrize("how", ["group-writable", "other-writable", "another-user", "a-link"])
def test_a_sub_folder_others_may_write_is_not_used(cache, marker, tmp_path, caplog, how):
    kind = f"test-folder-{how}"
    path = _stored_then_forgotten(kind, (1,))
    _plant(path, _signed(cache, kind, (1,), _malicious(marker)))
    folder = path.parent
    if how == "a-link":
        moved = folder.rename(tmp_path / "moved")
        folder.symlink_to(moved, target_is_directory=True)
    elif how == "another-user":
        _as_another_user(folder)
    else:
        folder.chmod(0o770 if how == "group-writable" else 0o757)
    values, calls = _read_twice_from_disk(kind)
    assert not marker.exists()
    assert values == ["computed"] * 2
    assert len(calls) == 2  # kept in memory only: the folder is neither read nor written
    [warning] = _warnings(caplog)  # once per process
    assert "Results are kept in memory only" in warning and str(folder) in warning


def test_the_folders_are_checked_at_every_read(cache, caplog):
    _stored_then_forgotten("test-every-read", (1,))
    cache.chmod(0o777)  # opened to others while the server runs
    calls = []
    assert result_cache.remembered("test-every-read", (1,), lambda: calls.append(1) or 2) == 2
    assert calls == [1] and "writable by no one else" in caplog.text
    result_cache.forget_recent()
    cache.chmod(0o700)  # closed again: used again
    assert result_cache.remembered("test-every-read", (1,), lambda: calls.append(1) or 3) == "good"
    assert calls == [1]


def test_the_secret_is_made_private_whatever_the_umask(cache):
    previous = os.umask(0)
    try:
        result_cache.remembered("test-secret", (1,), lambda: 1)
    finally:
        os.umask(previous)
    secret = cache / settings.RESULTS_KEY_NAME
    info = secret.lstat()
    assert stat.S_ISREG(info.st_mode) and info.st_mode & 0o777 == 0o600
    assert info.st_uid == os.geteuid() and info.st_size == result_store.KEY_BYTES
    assert cache.stat().st_mode & 0o777 == 0o700
    assert result_cache.entry_path("test-secret", (1,)).stat().st_mode & 0o777 == 0o600
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("how", ["readable-by-others", "group-writable", "another-user", "short"])
def test_a_secret_others_may_read_or_write_is_refused(cache, marker, caplog, how):
    kind = f"test-secret-{how}"
    path = _stored_then_forgotten(kind, (1,))
    secret = cache / settings.RESULTS_KEY_NAME
    # Whoever could read the secret could sign: an entry signed with it must not be loaded.
    _plant(path, _signed(cache, kind, (1,), _malicious(marker)))
    if how == "another-user":
        _as_another_user(secret)
    elif how == "short":
        secret.write_bytes(secret.read_bytes()[:16])
    else:
        secret.chmod(0o644 if how == "readable-by-others" else 0o620)
    values, calls = _read_twice_from_disk(kind)
    assert not marker.exists()
    assert values == ["computed"] * 2 and len(calls) == 2
    [warning] = _warnings(caplog)
    assert str(secret) in warning and "no one else may read or write" in warning


def test_a_signed_entry_that_cannot_be_unpickled_is_computed_again(cache, caplog):
    path = _stored_then_forgotten("test-unreadable", (1,))
    _plant(path, _signed(cache, "test-unreadable", (1,), b"\x80\x05not a pickle"))
    assert result_cache.remembered("test-unreadable", (1,), lambda: "again") == "again"
    [warning] = _warnings(caplog)
    assert "cannot be read back" in warning


def test_planted_entries_never_change_the_first_view(cache, marker, caplog):
    def first_view() -> tuple[webmap.MapContent, pd.DataFrame, pd.DataFrame | None]:
        loaded = views.load("yrd", views.source_stamp("yrd"), WGS84_DATUM)
        query = views.first_query(loaded)
        result = views.count(loaded, query)
        content = views.map_content(loaded, result, query)
        return content, result.summary, views.against_documents(loaded, query.region)

    content, summary, documents = first_view()
    entries = sorted(cache.rglob("*.result"))
    assert len(entries) == 4  # source, crossings, map, documents
    for entry in entries:
        _plant(entry, _forged(cache, marker))
    result_cache.forget_recent()
    kinds = ("source", "crossings", "map", "documents")
    before = {kind: result_cache.computed_count(kind) for kind in kinds}
    again_content, again_summary, again_documents = first_view()
    assert not marker.exists()
    assert again_content == content
    pd.testing.assert_frame_equal(again_summary, summary)
    pd.testing.assert_frame_equal(again_documents, documents)
    assert _computed_since(before) == dict.fromkeys(kinds, 1)
    assert len(_warnings(caplog)) == 4  # one per planted entry


_NEW_PROCESS = """
import json, sys
from app import result_cache, views
views.prepare_first_view("yrd")
kinds = ("source", "crossings", "map", "documents", "overview", "port-sites", "beside")
print(json.dumps({kind: result_cache.computed_count(kind) for kind in kinds}))
"""


def test_results_survive_a_restart(cache):
    from geo.basis import BASES
    from geo.labels import LANGUAGES

    kinds = ("source", "crossings", "map", "documents", "overview", "port-sites", "beside")
    before = {kind: result_cache.computed_count(kind) for kind in kinds}
    views.prepare_first_view("yrd")
    # The first view (its map in each language), and the report's measures in each named
    # basis: a count at the report's year each (kept in memory only), their values on disk.
    assert _computed_since(before) == {
        **dict.fromkeys(kinds, 1), "crossings": 1 + len(BASES), "beside": len(BASES),
        "map": len(LANGUAGES),
    }  # fmt: skip
    env = {**os.environ, settings.RESULTS.variable: str(cache)}
    for _ in range(2):  # a new process reads what the previous one wrote, computing nothing
        run = subprocess.run(
            [sys.executable, "-c", _NEW_PROCESS],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert json.loads(run.stdout.splitlines()[-1]) == dict.fromkeys(kinds, 0), run.stderr
        assert "kept in memory only" not in run.stderr and "Ignoring" not in run.stderr


def test_results_written_at_once_by_many_threads_are_all_read_back(cache):
    import threading

    threads = [
        threading.Thread(target=result_cache.remembered, args=("test-threads", (n,), lambda n=n: n))
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    result_cache.forget_recent()
    before = result_cache.computed_count("test-threads")
    again = [result_cache.remembered("test-threads", (n,), lambda: -1) for n in range(8)]
    assert again == list(range(8))
    assert result_cache.computed_count("test-threads") == before


def test_the_folder_is_pruned_by_age_then_by_size(cache, monkeypatch):
    paths = [_stored_then_forgotten("test-prune", (n,), "x" * 1000) for n in range(4)]
    old = time.time() - result_cache.MAX_AGE.total_seconds() - 60
    os.utime(paths[0], (old, old))  # unused for too long
    for n, path in enumerate(paths[1:], start=1):  # the 1st least recently used
        os.utime(path, (time.time() - 100 + n, time.time() - 100 + n))
    monkeypatch.setattr(result_cache, "MAX_BYTES", 3 * paths[1].stat().st_size)
    _stored_then_forgotten("test-prune", (4,), "x" * 1000)  # a new result prunes
    assert [p.exists() for p in paths] == [False, False, True, True]
    assert result_cache.entry_path("test-prune", (4,)).exists()


def test_the_prepared_histories_are_kept_and_read_back_without_counting(cache):
    # The server prepares the first view's region in every named basis (server.py), so
    # that the page takes a year's count from the history (app.compare_view.kept_count).
    from app import year_history
    from geo.basis import BASES

    loaded, query = views.first_view("yrd")
    first, last = views.year_span(loaded)
    named = [dataclasses.replace(query, statuses=b.statuses) for b in BASES.values()]
    assert not any(year_history.is_kept(loaded, q, first, last) for q in named)
    before = result_cache.computed_count("history")
    year_history.prepare_histories(loaded, query)
    assert result_cache.computed_count("history") == before + len(BASES)
    assert all(year_history.is_kept(loaded, q, first, last) for q in named)
    result_cache.forget_recent()  # as a restarted server: on disk only
    assert all(year_history.is_kept(loaded, q, first, last) for q in named)
    again = year_history.year_history(loaded, named[0], first, last)
    assert result_cache.computed_count("history") == before + len(BASES)  # read back
    assert sorted(again.results) == list(range(first, last + 1))
    # Another region's history is not kept: the page counts its years itself.
    other = dataclasses.replace(query, region="Jiangsu")
    assert not year_history.is_kept(loaded, other, first, last)
