"""The sidebar's "Data" section: the source the page shows, and the datum of one's own files.

An embedded dataset, an uploaded file, or a file on the server: on one's own machine a path
typed in; in hosted mode (:mod:`app.hosting`) no path at all, but a file chosen from the list
of those in the data and fetch folders. Uploads are written to the session's private folder
(:mod:`app.uploads`), within the upload limit (:data:`geo.settings.MAX_UPLOAD_MB`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app import hosting, views
from app.labels import bilingual, say
from app.language import current, in_this_run
from app.query import Keys
from app.uploads import SessionUploads, sweep_now_and_then
from app.widget_words import placeholder, put_widget_words
from geo.datum import BD09_DATUM, GCJ02_DATUM, WGS84_DATUM
from geo.errors import InputFileError
from geo.io import datasets
from geo.io.user_files import check_file_name

#: What the uploader takes.
UPLOAD_TYPES = ["geojson", "json", "gpkg", "zip", "osm", "pbf", "gz", "bz2"]


@dataclass(frozen=True)
class SourceChoice:
    """The source chosen in the sidebar.

    Attributes
    ----------
    path
        What the source is loaded from: an embedded dataset's name or a file's path.
    stamp
        Its file stamp (:func:`app.views.source_stamp`).
    datum
        ``"wgs84"``, ``"gcj02"`` or ``"bd09"``.
    dataset
        The embedded dataset selected (shown when no file is given), None without any.
    link_name
        The source's name in a link to the page (:mod:`app.share_view`): the embedded
        dataset's, or in hosted mode the listed name of a server file; None for an upload
        or a path typed in, which a link never carries.
    """

    path: str
    stamp: str
    datum: str
    dataset: str | None
    link_name: str | None = None


def source_panel() -> SourceChoice | None:
    """Draw the "Data" section; return the chosen source, None when there is none.

    Raises
    ------
    geo.errors.JieguiError
        For an upload over the limit, or a server file that cannot be opened or whose name
        is not UTF-8; the section's widgets are all drawn first.
    """
    sweep_now_and_then()
    st.sidebar.header(say("data"))
    embedded = datasets.available()
    if st.session_state.get(Keys.DATASET) not in embedded:
        st.session_state.pop(Keys.DATASET, None)
    dataset = st.sidebar.selectbox(
        say("dataset"),
        embedded,
        format_func=in_this_run(dataset_title),
        disabled=not embedded,
        placeholder=placeholder(embedded),
        key=Keys.DATASET,  # a link sets it (app.share_view)
    )
    limit_mb = hosting.upload_limit_mb()
    uploaded = st.sidebar.file_uploader(
        say("upload"),
        type=UPLOAD_TYPES,
        help=say("upload_help", mb=f"{limit_mb:g}"),
        max_upload_size=max(1, int(limit_mb)),
        key=Keys.UPLOAD,
    )
    # Streamlit's own words on it, in the page's language (app.widget_words).
    put_widget_words(limit_mb=max(1, int(limit_mb)), kinds=UPLOAD_TYPES)
    server_file = _server_file_input()
    own_files = uploaded is not None or bool(server_file)
    datum = _datum_boxes(own_files)
    uploads = _session_uploads()
    link_name: str | None = None
    if uploaded is not None:
        path = _saved_upload(uploads, uploaded, limit_mb)
    else:
        uploads.discard()
        path = _server_path(server_file) if server_file else dataset
        # A link names a dataset, or a hosted server's file by its listed name; never a path.
        link_name = (server_file if hosting.hosted() else None) if server_file else dataset
    if not path:
        return None
    # Refused here, before the name keys a cache: Streamlit's hashing (and anything else
    # that writes it as UTF-8) fails on the lone surrogates Python holds such a name with.
    check_file_name(Path(path))
    return SourceChoice(path, views.source_stamp(path), datum, dataset, link_name)


def _datum_boxes(own_files: bool) -> str:
    """The boxes "My GIS files are in GCJ-02" and "... in BD-09": ticking one unticks the other.

    Returns the datum of one's own files (:mod:`geo.datum`): WGS84 when neither is ticked or
    there are no own files (the boxes are disabled then).
    """
    boxes = {GCJ02_DATUM: Keys.GCJ02, BD09_DATUM: Keys.BD09}
    ticked = {
        datum: st.sidebar.checkbox(
            say(datum),
            value=False,
            key=key,
            disabled=not own_files,
            help=say(f"{datum}_help"),
            on_change=_untick_others,
            args=(key, tuple(boxes.values())),
        )
        for datum, key in boxes.items()
    }
    chosen = [datum for datum, on in ticked.items() if on]
    return chosen[0] if chosen and own_files else WGS84_DATUM


def _untick_others(key: str, keys: tuple[str, ...]) -> None:
    """When the box ``key`` has just been ticked, untick the other boxes of ``keys``."""
    if st.session_state.get(key):
        for other in keys:
            if other != key:
                st.session_state[other] = False


def _server_file_input() -> str:
    """A server file: the path typed in, or in hosted mode the name chosen from the list."""
    if not hosting.hosted():
        return st.sidebar.text_input(
            say("server_path"), key=Keys.SOURCE_PATH, help=say("server_path_help")
        ).strip()
    files = hosting.shared_files(chosen=st.session_state.get(Keys.SHARED_FILE))
    if not files:
        return ""
    chosen = st.sidebar.selectbox(
        say("shared_file"),
        files,
        index=None,
        key=Keys.SHARED_FILE,
        format_func=in_this_run(shared_file_label),
        placeholder=say("none") if files else say("no_options"),
        help=say("shared_file_help"),
    )
    return chosen or ""


def dataset_title(name: str) -> str:
    """An embedded dataset as listed: its title in the page's language (``title_zh``)."""
    meta = datasets.manifest(name)
    title = meta.get("title_zh") if current() == "zh" else None
    return str(title or meta.get("title", name))


def dataset_attribution(name: str) -> str:
    """An embedded dataset's attribution in the page's language (``attribution_zh``)."""
    meta = datasets.manifest(name)
    credit = meta.get("attribution_zh") if current() == "zh" else None
    return str(credit or meta.get("attribution", ""))


def shared_file_label(name: str) -> str:
    """A file of the data or fetch folder as listed (:func:`app.hosting.file_label`)."""
    shown, fetched = hosting.file_label(name)
    return say("fetched_file", name=shown) if fetched else shown


def _server_path(server_file: str) -> str:
    """The path to load a server file from: as typed, or resolved inside its folder (hosted)."""
    return str(hosting.server_file(server_file)) if hosting.hosted() else server_file


def _session_uploads() -> SessionUploads:
    """The uploads of the session running, made on its first run."""
    if Keys.UPLOADS not in st.session_state:
        st.session_state[Keys.UPLOADS] = SessionUploads()
    uploads: SessionUploads = st.session_state[Keys.UPLOADS]
    return uploads


def _saved_upload(uploads: SessionUploads, uploaded: UploadedFile, limit_mb: float) -> str:
    """The uploaded file on disk (:meth:`app.uploads.SessionUploads.save`), within the limit."""
    if uploaded.size > limit_mb * 1024 * 1024:
        raise InputFileError(bilingual("too_large", name=uploaded.name, mb=f"{limit_mb:g}"))
    return str(uploads.save(uploaded.file_id, uploaded.name, uploaded.getbuffer()))
