"""Hosted mode (``JIEGUI_HOSTED=1``) and the upload lifecycle, on the page (AppTest) and below.

In hosted mode no path outside the data folder can be read, listed or confirmed; the page
has no path input; an Overpass URL off the allow-list is refused before any request; error
boxes name no server path. In both modes uploads land in a private folder per session, are
never reused, and are deleted at the session's end or once unused for too long. Each guard
is also shown to matter: the same step without hosted mode (or without the allow-list)
does what the guard prevents.
"""

from __future__ import annotations

import gc
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from app import hosting, uploads
from geo import settings
from geo.errors import FetchError, InputFileError, InvalidParameterError
from geo.io import datasets, overpass, safe_paths
from geo.io.safe_paths import UnsafePathError, resolve_inside
from helpers.overpass_stub import Extract, OverpassStub
from helpers.paths import ROOT

REGIONS = ROOT / "data" / "yrd" / "regions.geojson"
#: Text that must never reach a hosted page: where the project, the temporary files and
#: the home folder are.
SERVER_PLACES = ("/work/", "/tmp/", str(Path.home()), str(ROOT))


def page() -> AppTest:
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)


def region_box(at: AppTest):
    """The "Focus region" select box (the boxes before it depend on the mode and files)."""
    return next(s for s in at.selectbox if s.label == "Focus region")


def unescaped(text: str) -> str:
    """Markdown shown as itself (``app.page_text.md``), without its backslashes."""
    return text.replace("\\", "")


def shown_text(at: AppTest) -> str:
    """Everything the page writes: markdown, captions, boxes and the widgets' options."""
    parts = [e.value for kind in ("markdown", "caption", "error", "warning", "info", "title")
             for e in getattr(at, kind)]
    parts += [str(o) for s in at.selectbox for o in s.options]
    parts += [str(o) for r in at.radio for o in r.options]
    return "\n".join(unescaped(str(p)) for p in parts)


@pytest.fixture(autouse=True)
def streamlit_options():
    """Streamlit's configuration is the process's: put back what a hosted page changes."""
    saved = {o: config.get_option(o) for o in ("client.showErrorDetails", "server.maxUploadSize")}
    yield
    for option, value in saved.items():
        config.set_option(option, value)


@pytest.fixture
def tree(tmp_path: Path) -> dict[str, Path]:
    """A data folder, a fetch folder and an outside folder the data folder links to."""
    data, fetched, outside = tmp_path / "data", tmp_path / "fetched", tmp_path / "outside"
    for folder in (data / "sub", fetched, outside):
        folder.mkdir(parents=True)
    shutil.copy(REGIONS, data / "sub" / "regions.geojson")
    shutil.copy(REGIONS, outside / "secret.geojson")
    (data / "link.geojson").symlink_to(outside / "secret.geojson")
    (data / "outdir").symlink_to(outside, target_is_directory=True)
    (data / "inlink.geojson").symlink_to(data / "sub" / "regions.geojson")
    return {"data": data, "fetched": fetched, "outside": outside, "uploads": tmp_path / "up"}


@pytest.fixture
def hosted(monkeypatch: pytest.MonkeyPatch, tree: dict[str, Path]) -> dict[str, Path]:
    """Hosted mode over :func:`tree`, with the uploads in a folder of the test's own."""
    monkeypatch.setenv(settings.HOSTED.variable, "1")
    monkeypatch.setenv(settings.DATA.variable, str(tree["data"]))
    monkeypatch.setenv(settings.FETCHED.variable, str(tree["fetched"]))
    monkeypatch.setenv(settings.UPLOADS.variable, str(tree["uploads"]))
    return tree


# ----------------------------------------------------------------- the path resolver

REFUSED = [
    "/etc/passwd",
    "../../etc/passwd",
    "sub/../../outside/secret.geojson",
    "sub/../sub/regions.geojson",  # '..' is refused even where it stays inside
    "~/secret.geojson",
    "..\\..\\etc\\passwd",
    "",
    ".",
    "sub/\0x",
    "link.geojson",  # a link inside that leads out
    "outdir/secret.geojson",  # a linked folder that leads out
]


@pytest.mark.parametrize("name", REFUSED)
def test_names_leading_out_of_the_folder_are_refused(tree, name):
    with pytest.raises(UnsafePathError):
        resolve_inside(tree["data"], name)


def test_an_absolute_path_is_refused_even_inside_the_folder(tree):
    with pytest.raises(UnsafePathError):
        resolve_inside(tree["data"], str(tree["data"] / "sub" / "regions.geojson"))


def test_names_inside_resolve_there_links_inside_too(tree):
    data = tree["data"].resolve()
    assert resolve_inside(tree["data"], "sub/regions.geojson") == data / "sub/regions.geojson"
    assert resolve_inside(tree["data"], "./sub//regions.geojson") == data / "sub/regions.geojson"
    assert resolve_inside(tree["data"], "inlink.geojson") == data / "sub/regions.geojson"
    assert resolve_inside(tree["data"], "sub/not-yet.gpkg") == data / "sub/not-yet.gpkg"


def test_a_refusal_does_not_tell_whether_the_file_exists(tree):
    messages = set()
    for name in ("../outside/secret.geojson", "../outside/missing.geojson", "/etc/passwd",
                 "/etc/no-such-file", "link.geojson"):
        with pytest.raises(UnsafePathError) as refused:
            safe_paths.find_in([tree["data"]], name)
        messages.add(str(refused.value))
    [message] = messages
    assert "/" not in message.replace("'..'", "")


def test_listing_shows_only_files_inside(tree):
    listed = safe_paths.list_files(tree["data"], lambda name: True)
    assert listed == ["inlink.geojson", "sub/regions.geojson"]


_PARTS = st.sampled_from(
    ["..", ".", "", "sub", "regions.geojson", "link.geojson", "outdir", "secret.geojson",
     "outside", "etc", "passwd", "~", "a b", "x\\y", "inlink.geojson"]
)
_NAMES = st.tuples(
    st.sampled_from(["", "/", "./", "../"]),
    st.lists(_PARTS | st.text(max_size=6), max_size=6),
).map(lambda t: t[0] + "/".join(t[1]))


@pytest.fixture(scope="module")
def fixed_tree(tmp_path_factory) -> Path:
    """The :func:`tree` once for the property tests (hypothesis reruns a test many times)."""
    root = tmp_path_factory.mktemp("tree")
    (root / "data" / "sub").mkdir(parents=True)
    (root / "outside").mkdir()
    (root / "outside" / "secret.geojson").write_text("{}")
    (root / "data" / "sub" / "regions.geojson").write_text("{}")
    (root / "data" / "link.geojson").symlink_to(root / "outside" / "secret.geojson")
    (root / "data" / "outdir").symlink_to(root / "outside", target_is_directory=True)
    (root / "data" / "sub" / "up").symlink_to(root / "data", target_is_directory=True)
    (root / "data" / "inlink.geojson").symlink_to(root / "data" / "sub" / "regions.geojson")
    return root / "data"


@hypothesis_settings(max_examples=400, deadline=None)
@given(name=_NAMES)
def test_no_resolved_name_escapes_the_folder(fixed_tree, name):
    base = fixed_tree.resolve()
    try:
        path = resolve_inside(fixed_tree, name)
    except UnsafePathError:
        return
    assert path.is_relative_to(base) and path != base
    assert path.resolve() == path  # nothing left to follow
    assert not name.startswith("/") and ".." not in name.split("/")


@hypothesis_settings(max_examples=200, deadline=None)
@given(name=_NAMES)
def test_found_files_are_inside_and_exist(fixed_tree, name):
    try:
        path = safe_paths.find_in([fixed_tree], name)
    except InputFileError:  # refused, or no such file inside
        return
    assert path.is_file() and path.is_relative_to(fixed_tree.resolve())


def test_a_dataset_name_cannot_lead_out(tree, monkeypatch):
    (tree["outside"] / "dataset.json").write_text("{}")
    (tree["data"] / "ok").mkdir()
    (tree["data"] / "ok" / "dataset.json").write_text('{"title": "ok"}')
    (tree["data"] / "evil").symlink_to(tree["outside"], target_is_directory=True)
    monkeypatch.setattr(datasets, "DATA_DIR", tree["data"])
    assert datasets.dataset_dir("ok") == (tree["data"] / "ok").resolve()
    for name in ("evil", "../outside", str(tree["outside"]), "ok/../ok", "ok/", "/ok"):
        assert datasets.dataset_dir(name) is None, name
        assert datasets.manifest(name) == {}


def test_server_files_are_named_by_folder_and_resolved_inside_it(hosted):
    assert hosting.shared_files() == ["data:inlink.geojson", "data:sub/regions.geojson"]
    path = hosting.server_file("data:sub/regions.geojson")
    assert path == (hosted["data"] / "sub" / "regions.geojson").resolve()
    for name in ("data:../outside/secret.geojson", "data:link.geojson", "fetched:/etc/passwd",
                 "data:/etc/passwd", "elsewhere:sub/regions.geojson", "sub/regions.geojson",
                 str(hosted["outside"] / "secret.geojson")):
        with pytest.raises(UnsafePathError):
            hosting.server_file(name)


def test_without_paths_keeps_names_and_urls():
    text = (
        "File '/srv/a b/x.osm' does not exist (/tmp/up-1/y.gpkg: bad; zip:///tmp/z.zip); "
        "see ~/.cache/jiegui/results or https://overpass-api.de/api, 3/4 of a/b."
    )
    assert hosting.without_paths(text) == (
        "File 'x.osm' does not exist (y.gpkg: bad; z.zip); "
        "see results or https://overpass-api.de/api, 3/4 of a/b."
    )


# ------------------------------------------------------------------------- the page


def test_hosted_page_has_no_path_input_and_lists_only_files_inside(hosted):
    at = page().run()
    assert not at.exception
    keys = {t.key for t in at.text_input}
    assert "source_path" not in keys
    at.radio(key="fetch-from").set_value("file").run()
    assert not {t.key for t in at.text_input} - {"fetch-where-True"}  # no file path
    listed = at.selectbox(key="shared-file").options
    assert listed == ["inlink.geojson", "sub/regions.geojson"]
    assert not any(place in shown_text(at) for place in SERVER_PLACES)


def test_the_page_has_path_inputs_when_not_hosted(tree, monkeypatch):
    # The same page without hosted mode: what the test above proves absent is there.
    monkeypatch.setenv(settings.UPLOADS.variable, str(tree["uploads"]))
    at = page().run()
    assert "source_path" in {t.key for t in at.text_input}
    at.radio(key="fetch-from").set_value("file").run()
    assert "fetch-where-False" in {t.key for t in at.text_input}


def test_hosted_page_ignores_paths_forged_into_its_state(hosted):
    at = page()
    at.session_state["source_path"] = str(hosted["outside"] / "secret.geojson")
    at.session_state["shared-file"] = "data:../outside/secret.geojson"
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="shared-file").value is None
    assert "embedded dataset" in at.caption[0].value  # still the embedded dataset
    assert "secret" not in shown_text(at)


def test_hosted_page_opens_a_file_of_the_data_folder(hosted):
    at = page().run()
    at.selectbox(key="shared-file").set_value("data:sub/regions.geojson").run()
    assert not at.exception and not at.error
    assert at.caption[0].value.startswith("regions\\.geojson")


def test_a_file_gone_from_the_data_folder_is_no_longer_offered(hosted):
    at = page().run()
    at.selectbox(key="shared-file").set_value("data:sub/regions.geojson").run()
    (hosted["data"] / "sub" / "regions.geojson").unlink()
    at.run()
    assert not at.exception and not at.error
    assert all(s.value is None for s in at.selectbox if s.key == "shared-file")
    assert "embedded dataset" in at.caption[0].value
    with pytest.raises(InputFileError, match=r"no file 'regions\.geojson'") as gone:
        hosting.server_file("data:sub/regions.geojson")
    assert "/" not in str(gone.value)


def test_a_broken_file_of_the_data_folder_is_reported_without_its_path(hosted):
    (hosted["data"] / "broken.geojson").write_text('{"type": "FeatureCollection"')
    at = page().run()
    at.selectbox(key="shared-file").set_value("data:broken.geojson").run()
    [error] = at.error
    assert "broken.geojson" in unescaped(error.value)
    assert not any(place in unescaped(error.value) for place in SERVER_PLACES), error.value


def test_a_file_named_in_bytes_that_are_not_utf8_is_listed_and_refused_in_one_sentence(hosted):
    # Linux allows any bytes in a name; Python holds those that are not UTF-8 as lone
    # surrogates, which no UTF-8 text can carry: listing such a file made the whole page fail
    # (UnicodeEncodeError in the select box), and so did choosing it (in Streamlit's cache
    # keys) and fetching from it (in the progress text).
    regions, extract = os.fsdecode(b"r\xe9gions.geojson"), os.fsdecode(b"extr\xe4kt.osm")
    shutil.copy(REGIONS, hosted["data"] / regions)
    (hosted["data"] / extract).write_text("<osm version='0.6'/>\n")
    at = page().run()
    assert not at.exception
    listed = set(at.selectbox(key="shared-file").options)
    assert {"r\\xe9gions.geojson", "extr\\xe4kt.osm"} <= listed
    at.selectbox(key="shared-file").set_value(f"data:{regions}").run()
    assert not at.exception
    [error] = at.error
    assert "r\\\\xe9gions" in error.value and "is not valid UTF" in error.value
    at.selectbox(key="shared-file").set_value("data:sub/regions.geojson").run()
    at.radio(key="fetch-from").set_value("file").run()
    assert "extr\\xe4kt.osm" in at.selectbox(key="fetch-shared-file").options
    at.selectbox(key="fetch-shared-file").set_value(f"data:{extract}").run()
    at.button(key="fetch-run").click().run()
    assert not at.exception
    [error] = at.error
    assert "extr\\\\xe4kt" in error.value and "is not valid UTF" in error.value
    assert list(hosted["fetched"].iterdir()) == []


#: An upload whose reader's error names the file's full path.
BROKEN = ("broken.geojson", b"not a GeoJSON file", "application/json")


def test_hosted_error_boxes_name_no_server_path(hosted):
    at = page().run()
    at.file_uploader[0].upload(*BROKEN).run()
    [error] = at.error
    assert "broken.geojson" in unescaped(error.value)
    assert not any(place in unescaped(error.value) for place in SERVER_PLACES), error.value
    assert config.get_option("client.showErrorDetails") == "none"


def test_the_reader_names_the_upload_by_its_name_when_not_hosted_too(tree, monkeypatch):
    # The readers' messages name files, not paths (geo.io.user_files), in both modes; the
    # hosted filter (hosting.without_paths, tested above) is for any message that does not.
    monkeypatch.setenv(settings.UPLOADS.variable, str(tree["uploads"]))
    at = page().run()
    at.file_uploader[0].upload(*BROKEN).run()
    [error] = at.error
    assert "broken.geojson" in unescaped(error.value)
    assert str(tree["uploads"]) not in unescaped(error.value)
    assert config.get_option("client.showErrorDetails") != "none"


# ---------------------------------------------------------------- the Overpass allow-list


def _fetch_online(at: AppTest, url: str) -> None:
    at.number_input(key="fetch-band").set_value(0.5)
    at.text_input(key="fetch-where-True").set_value(url).run()
    at.button(key="fetch-run").click().run()


def test_an_overpass_url_off_the_list_is_refused_before_any_request(hosted):
    at = page().run()
    with OverpassStub(Extract()) as stub:
        _fetch_online(at, stub.overpass_url)
        assert stub.requests == []
    [error] = at.error
    assert "only from the Overpass API at https://overpass-api.de/api" in unescaped(error.value)
    assert not list(hosted["fetched"].glob("*.gpkg"))


def test_an_allow_listed_overpass_url_is_used(hosted, monkeypatch):
    # The same fetch with the stub on the list reaches it: the refusal above is the guard.
    empty = Extract(nodes={1: (0.0, 0.0, {})})  # one node, far from the band
    empty._index()
    with OverpassStub(empty) as stub:
        monkeypatch.setenv(settings.OVERPASS_URLS.variable, stub.overpass_url)
        monkeypatch.setenv(settings.OSMNX.variable, str(hosted["fetched"].parent / "osmnx"))
        at = page().run()
        _fetch_online(at, stub.overpass_url + "/")
        assert stub.interpreter_queries()


def test_refusals_say_nothing_of_the_host_or_port(monkeypatch):
    monkeypatch.setenv(settings.HOSTED.variable, "1")
    with OverpassStub(Extract()) as stub:
        messages = set()
        for url in (stub.overpass_url, "http://127.0.0.1:9/api", "http://10.255.255.1/api"):
            with pytest.raises(InvalidParameterError) as refused:
                overpass.checked_urls(url, None)
            messages.add(str(refused.value))
        assert stub.requests == []
    assert len(messages) == 1


@pytest.mark.parametrize(
    "url",
    ["https://overpass-api.de/api?data=x", "https://me@overpass-api.de/api",
     "https://overpass-api.de/api#x", "https://overpass-api.de/api/interpreter",
     "http://overpass-api.de/api", "https://overpass-api.de.example.org/api", ""],
)
def test_only_the_listed_urls_pass(monkeypatch, url):
    monkeypatch.setenv(settings.HOSTED.variable, "1")
    with pytest.raises(InvalidParameterError):
        overpass.checked_urls(url, None)


def test_listed_urls_pass_as_listed(monkeypatch):
    monkeypatch.setenv(settings.HOSTED.variable, "1")
    monkeypatch.setenv(settings.NOMINATIM_URLS.variable, "http://10.0.0.5/nominatim/")
    assert overpass.checked_urls("HTTPS://Overpass-API.de/api/", None) == (
        "https://overpass-api.de/api",
        "http://10.0.0.5/nominatim/",
    )
    with pytest.raises(InvalidParameterError, match="Nominatim"):
        overpass.checked_urls(None, "https://nominatim.openstreetmap.org/")
    monkeypatch.delenv(settings.HOSTED.variable)
    assert overpass.checked_urls("http://127.0.0.1:9/api", None) == ("http://127.0.0.1:9/api", None)


def test_hosted_download_errors_do_not_quote_the_connection_error(monkeypatch):
    import requests

    def refused() -> None:
        raise requests.ConnectionError("HTTPConnectionPool(host='10.0.0.9', port=81): refused")

    def run() -> str:
        with pytest.raises(FetchError) as failed:
            overpass._with_retries(refused, what="roads", retries=0, backoff_s=0, progress=print)
        return str(failed.value)

    assert "port=81" in run()
    monkeypatch.setenv(settings.HOSTED.variable, "1")
    assert "port=81" not in run() and "no usable answer" in run()


# ------------------------------------------------------------------------------ uploads


def _session_folders(root: Path) -> list[Path]:
    return sorted(root.glob(uploads.PREFIX + "*"))


def _uploaded_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("hosted_mode", ["1", ""])
def test_uploads_land_in_a_private_session_folder_and_are_not_reused(tmp_path, monkeypatch,
                                                                     hosted_mode):
    root = tmp_path / "uploads"
    monkeypatch.setenv(settings.UPLOADS.variable, str(root))
    monkeypatch.setenv(settings.HOSTED.variable, hosted_mode)
    monkeypatch.setenv(settings.DATA.variable, str(tmp_path / "data"))
    monkeypatch.setenv(settings.FETCHED.variable, str(tmp_path / "fetched"))
    root.mkdir()
    planted = root / "regions.geojson"  # a file of the same name already there
    planted.write_text("planted")
    at = page().run()
    at.file_uploader[0].upload("regions.geojson", REGIONS.read_bytes()).run()
    assert not at.exception and not at.error
    [folder] = _session_folders(root)
    [first] = _uploaded_files(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert first.name == "regions.geojson" and first.read_bytes() == REGIONS.read_bytes()
    assert planted.read_text() == "planted"
    assert "Zhejiang" in region_box(at).options

    # The same name again, other content, in its place: a new file; the previous one is gone.
    two = REGIONS.read_bytes().replace(b'"Zhejiang"', b'"Zhejiang2"')
    at.file_uploader[0].set_value(("regions.geojson", two, "application/json")).run()
    [second] = _uploaded_files(folder)
    assert second != first and not first.exists() and second.read_bytes() == two
    assert "Zhejiang2" in region_box(at).options

    # Another session uploading the same name gets a folder and a file of its own.
    other = page().run()
    other.file_uploader[0].upload("regions.geojson", REGIONS.read_bytes()).run()
    assert len(_session_folders(root)) == 2
    assert second.read_bytes() == two

    # A session's end deletes its folder, and only its own.
    del at
    gc.collect()
    assert not folder.exists() and len(_session_folders(root)) == 1


def test_a_removed_upload_is_deleted(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.UPLOADS.variable, str(tmp_path))
    at = page().run()
    at.file_uploader[0].upload("regions.geojson", REGIONS.read_bytes()).run()
    [file] = _uploaded_files(tmp_path)
    at.file_uploader[0].clear().run()
    assert not file.exists()
    assert "embedded dataset" in at.caption[0].value


def test_an_upload_over_the_limit_is_refused_and_not_written(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.UPLOADS.variable, str(tmp_path))
    monkeypatch.setenv(settings.MAX_UPLOAD_MB.variable, "0.001")
    at = page().run()
    assert at.file_uploader[0].proto.max_upload_size_mb == 1
    assert config.get_option("server.maxUploadSize") == 1
    at.file_uploader[0].upload("regions.geojson", b" " * 2000).run()
    [error] = at.error
    assert "larger than the upload limit of 0.001 MB" in unescaped(error.value)
    assert _uploaded_files(tmp_path) == []


def test_the_upload_limit_follows_the_setting(monkeypatch):
    assert hosting.streamlit_options() == {"server.maxUploadSize": 200}
    monkeypatch.setenv(settings.MAX_UPLOAD_MB.variable, "50")
    monkeypatch.setenv(settings.HOSTED.variable, "1")
    assert hosting.streamlit_options() == {
        "server.maxUploadSize": 50,
        "client.showErrorDetails": "none",
    }
    monkeypatch.setenv(settings.MAX_UPLOAD_MB.variable, "lots")
    with pytest.raises(InvalidParameterError, match="JIEGUI_MAX_UPLOAD_MB"):
        hosting.streamlit_options()


def test_a_wrong_upload_limit_is_one_sentence_on_the_page(monkeypatch):
    monkeypatch.setenv(settings.MAX_UPLOAD_MB.variable, "-5")
    at = page().run()
    assert not at.exception
    [error] = at.error
    assert "JIEGUI_MAX_UPLOAD_MB must be a positive number" in unescaped(error.value)


def test_unused_session_folders_are_swept(tmp_path):
    old, fresh = uploads.SessionUploads(tmp_path), uploads.SessionUploads(tmp_path)
    old_file = old.save("1", "a.geojson", b"a")
    fresh.save("2", "a.geojson", b"b")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    link = tmp_path / f"{uploads.PREFIX}link"
    link.symlink_to(outside, target_is_directory=True)
    day_ago = time.time() - 86400
    os.utime(old.folder, (day_ago, day_ago))
    os.utime(link, (day_ago, day_ago), follow_symlinks=False)
    assert uploads.sweep(tmp_path, 3600) == [old.folder]
    assert not old_file.exists() and fresh.folder.is_dir()
    assert outside.is_dir() and link.is_symlink()
    # A session still open whose folder was swept writes its upload again.
    again = old.save("1", "a.geojson", b"a")
    assert again.read_bytes() == b"a" and again != old_file


def test_the_server_deletes_its_sessions_upload_folders_as_it_stops(tmp_path, monkeypatch):
    import asyncio

    import server

    monkeypatch.setattr(server, "prepare", lambda: True)
    sessions = [uploads.SessionUploads(tmp_path) for _ in range(2)]
    files = [s.save(str(n), "a.geojson", b"a") for n, s in enumerate(sessions)]

    async def serve_and_stop() -> None:
        async with server.prepare_while_serving(server.app):
            assert all(f.is_file() for f in files)

    asyncio.run(serve_and_stop())
    assert not any(s.folder.exists() for s in sessions)


def test_the_next_run_of_any_session_sweeps(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.UPLOADS.variable, str(tmp_path))
    monkeypatch.setenv(settings.UPLOAD_KEEP_HOURS.variable, "1")
    monkeypatch.setattr(uploads, "_last_sweep", 0.0)
    stale = tmp_path / f"{uploads.PREFIX}stale"
    stale.mkdir()
    (stale / "x.geojson").write_text("{}")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    page().run()
    assert not stale.exists()


def test_upload_names_stay_inside_their_folder(tmp_path):
    for name in ("../../evil.geojson", "/etc/passwd", "..", ".hidden.osm", "a\0b.osm",
                 "C:\\Users\\x\\roads.geojson", "长" * 200 + ".osm.pbf"):
        written = uploads.write_new(tmp_path, name, b"x")
        assert written.parent.parent == tmp_path and not written.name.startswith(".")
        assert written.read_bytes() == b"x"
    assert uploads.safe_file_name("长" * 200 + ".osm.pbf").endswith(".osm.pbf")
    assert uploads.safe_file_name("C:\\Users\\x\\roads.geojson") == "roads.geojson"


# ------------------------------------------------------------- hosted fetch, end to end


@pytest.mark.shared
def test_hosted_fetch_from_an_osm_file_of_the_data_folder_then_open_it(hosted, monaco_path):
    shutil.copy(monaco_path, hosted["data"] / monaco_path.name)
    at = page().run()
    at.selectbox(key="shared-file").set_value(f"data:{monaco_path.name}").run()
    assert region_box(at).value == "Monaco"
    at.number_input(key="fetch-band").set_value(1.0)
    at.radio(key="fetch-from").set_value("file").run()
    assert at.selectbox(key="fetch-shared-file").value == f"data:{monaco_path.name}"
    at.button(key="fetch-run").click().run()
    assert not at.exception and not at.error
    [package] = hosted["fetched"].glob("osm-monaco-*.gpkg")
    assert f"Saved as {package.name}" in [unescaped(c.value) for c in at.caption]
    at.button(key="fetch-open").click().run()
    assert at.selectbox(key="shared-file").value == f"fetched:{package.name}"
    assert not at.exception and not at.error
    assert not any(place in shown_text(at) for place in SERVER_PLACES)


def test_an_upload_is_never_seen_half_written(tmp_path, monkeypatch):
    # Written under a temporary name and renamed: when the rename fails, nothing is left.
    def refuse(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(uploads.os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        uploads.write_new(tmp_path, "roads.geojson", b"x" * 1000)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------- GDAL's VRT files

VRT = """<OGRVRTDataSource><OGRVRTLayer name="regions">
<SrcDataSource>{target}</SrcDataSource><SrcLayer>secret</SrcLayer>
</OGRVRTLayer></OGRVRTDataSource>"""


@pytest.mark.parametrize("served", [True, False])
def test_an_uploaded_vrt_file_reads_nothing_on_the_served_app(tmp_path, served):
    # A GeoJSON upload that is really a VRT naming a server file: read through it, the
    # server file's regions would be shown. read_vector refuses it by its content in every
    # mode (tests/test_vrt_refused.py shows GDAL would read it); server.py also switches
    # GDAL's VRT drivers off, a second guard for the served app.
    secret = tmp_path / "secret.geojson"
    shutil.copy(REGIONS, secret)
    upload = tmp_path / "upload.geojson"
    upload.write_text(VRT.format(target=secret))
    code = (
        ("import server\n" if served else "")
        + "from geo.io.user_files import read_vector\n"
        + f"try:\n    print(sorted(read_vector({str(upload)!r})['name']))\n"
        + "except Exception as exc:\n    print(type(exc).__name__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GDAL_SKIP"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    assert "InputFileError" in done.stdout, done.stdout
    assert "Zhejiang" not in done.stdout
