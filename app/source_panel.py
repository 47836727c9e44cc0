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
from app.query import Keys
from app.uploads import SessionUploads, sweep_now_and_then
from geo.datum import GCJ02_DATUM, WGS84_DATUM
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
        ``"wgs84"`` or ``"gcj02"``.
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
    st.sidebar.header("Data")
    embedded = datasets.available()
    if st.session_state.get(Keys.DATASET) not in embedded:
        st.session_state.pop(Keys.DATASET, None)
    dataset = st.sidebar.selectbox(
        "Embedded dataset",
        embedded,
        format_func=lambda n: datasets.manifest(n).get("title", n),
        disabled=not embedded,
        key=Keys.DATASET,  # a link sets it (app.share_view)
    )
    limit_mb = hosting.upload_limit_mb()
    uploaded = st.sidebar.file_uploader(
        "…or upload an OSM extract or GIS file",
        type=UPLOAD_TYPES,
        help=".osm, .osm.pbf, .osm.gz/.bz2, GeoJSON, GeoPackage or a zipped Shapefile "
        f"(at most {limit_mb:g} MB).",
        max_upload_size=max(1, int(limit_mb)),
    )
    server_file = _server_file_input()
    own_files = uploaded is not None or bool(server_file)
    gcj02 = st.sidebar.checkbox(
        "My GIS files are in GCJ-02 (AMap/Gaode)",
        value=False,
        key=Keys.GCJ02,
        disabled=not own_files,
        help="Chinese commercial data is often in GCJ-02, about 500 m off WGS84 and "
        "OpenStreetMap, while claiming EPSG:4326. Tick to convert it to WGS84 (not for OSM "
        "files).",
    )
    datum = GCJ02_DATUM if gcj02 and own_files else WGS84_DATUM
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


def _server_file_input() -> str:
    """A server file: the path typed in, or in hosted mode the name chosen from the list."""
    if not hosting.hosted():
        return st.sidebar.text_input(
            "…or a path on this machine",
            key=Keys.SOURCE_PATH,
            help="A file, or a GeoPackage fetched below.",
        ).strip()
    files = hosting.shared_files(chosen=st.session_state.get(Keys.SHARED_FILE))
    if not files:
        return ""
    chosen = st.sidebar.selectbox(
        "…or a file from the data folder",
        files,
        index=None,
        key=Keys.SHARED_FILE,
        format_func=hosting.file_label,
        placeholder="None",
        help="The files the server keeps for everyone, and GeoPackages fetched below.",
    )
    return chosen or ""


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
        raise InputFileError(
            f"{uploaded.name} is larger than the upload limit of {limit_mb:g} MB; upload a "
            "smaller extract, e.g. a band around the border."
        )
    return str(uploads.save(uploaded.file_id, uploaded.name, uploaded.getbuffer()))
