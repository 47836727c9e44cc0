"""The sidebar's "Fetch from OpenStreetMap" panel: fetch near the border shown, then open it.

The user sets a band either side of the border (and the water between coasts to bridge),
and where to fetch from: the Overpass API, or a local ``.osm``/``.osm.pbf`` file. Fetch
writes a GeoPackage (:func:`geo.io.package.write_package`) whose path is kept in the session
(:attr:`app.query.Keys.FETCHED`); "Open it" makes it the page's source, and it can be downloaded.
The band follows the loaded source's region outlines.

In hosted mode (:mod:`app.hosting`) the OSM file is chosen from those in the data folder
instead of typed as a path, the Overpass API must be one of the allow-listed ones (checked
by :mod:`geo.io.overpass` before any request), and what is shown names no server path.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app import hosting
from app.hosting import public_text
from app.labels import error_text, one_of, say
from app.language import current, in_this_run
from app.page_text import border_phrase, md
from app.query import Keys
from app.source_panel import shared_file_label
from app.widget_words import placeholder
from geo import settings
from geo.errors import JieguiError
from geo.io import export
from geo.io.fetch import fetch
from geo.io.osm_file import is_osm_file
from geo.io.overpass import OVERPASS_URL
from geo.io.package import new_package_path, write_package
from geo.io.sources import Source
from geo.labels import LAYER_LABELS
from layers import OSM_LAYERS


def open_fetched() -> None:
    """Make the fetched package the page's source (runs before the next run's widgets)."""
    fetched = st.session_state.get(Keys.FETCHED, "")
    if not hosting.hosted():
        st.session_state[Keys.SOURCE_PATH] = fetched
    elif fetched:
        st.session_state[Keys.SHARED_FILE] = hosting.fetched_name(Path(fetched))


def fetch_panel(source: Source, region: str, neighbour: str | None) -> None:
    """Draw the panel in the sidebar, and fetch when its button is pressed.

    Parameters
    ----------
    source
        The loaded source, whose regions the band follows.
    region, neighbour
        The border shown (``neighbour`` None for all the region's borders).
    """
    with st.sidebar.expander(say("fetch"), key=Keys.FETCH_PANEL):
        st.caption(md(say("fetch_caption", border=border_phrase(region, neighbour))))
        band_km = st.number_input(say("band"), 0.5, 50.0, 3.0, 0.5, key=Keys.FETCH_BAND)
        sea_km = st.number_input(say("sea_gap"), 0.0, 100.0, 30.0, 5.0, key=Keys.FETCH_SEA)
        choice = st.radio(
            say("fetch_from"), FROM, format_func=in_this_run(_from_label), key=Keys.FETCH_FROM
        )
        online = choice == ONLINE
        fetch_from = _where_from(online)
        if st.button(say("fetch_button"), key=Keys.FETCH_RUN, disabled=not fetch_from):
            _fetch(
                source,
                region,
                neighbour,
                width_km=band_km,
                sea_gap_km=sea_km,
                osm_file=None if online else fetch_from,
                overpass_url=fetch_from if online else None,
            )
        if st.session_state.get(Keys.FETCHED):
            package = Path(st.session_state[Keys.FETCHED])
            shown = package.name if hosting.hosted() else str(package)
            st.caption(md(say("saved_as", name=shown)))
            st.button(say("open_it"), on_click=open_fetched, key=Keys.FETCH_OPEN)
            st.download_button(
                say("download_package"),
                data=package.read_bytes,  # read when the button is pressed
                file_name=package.name,
                mime=export.GPKG_MIME,
                on_click="ignore",
                key=Keys.FETCH_DOWNLOAD,
            )


#: The radio's choices: the Overpass API, or an OSM file (typed, or of the data folder).
ONLINE, FILE = "overpass", "file"
FROM = (ONLINE, FILE)


def _from_label(choice: str) -> str:
    """A choice of the radio as shown, in the page's language."""
    if choice == ONLINE:
        return say("from_overpass")
    return say("from_shared") if hosting.hosted() else say("from_file")


def _where_from(online: bool) -> str:
    """Where to fetch from: an Overpass API's URL, or an OSM file (hosted: from the list)."""
    if online:
        allowed = settings.OVERPASS_URLS.values()
        return st.text_input(
            say("overpass_url"),
            value=allowed[0] if hosting.hosted() else OVERPASS_URL,
            key=Keys.fetch_where(True),
            help=say("overpass_help", urls=", ".join(allowed)) if hosting.hosted() else None,
        ).strip()
    if not hosting.hosted():
        return st.text_input(say("osm_path"), value="", key=Keys.fetch_where(False)).strip()
    files = hosting.shared_files(is_osm_file, chosen=st.session_state.get(Keys.FETCH_SHARED))
    if not files:
        st.caption(say("no_osm_files"))
        return ""
    chosen = st.selectbox(
        say("osm_file"),
        files,
        key=Keys.FETCH_SHARED,
        format_func=in_this_run(shared_file_label),
        placeholder=placeholder(files),
    )
    return chosen or ""


def _fetch(
    source: Source,
    region: str,
    neighbour: str | None,
    *,
    width_km: float,
    sea_gap_km: float,
    osm_file: str | None,
    overpass_url: str | None,
) -> None:
    """Fetch every layer kind near the border into a new package, reporting as it goes.

    ``osm_file`` is a path, or in hosted mode a name of :func:`app.hosting.shared_files`.
    """
    with st.status(say("fetching"), expanded=True) as status:
        try:
            if osm_file is not None and hosting.hosted():
                osm_file = str(hosting.server_file(osm_file))
            fetched = fetch(
                source.region_set,
                regions_from=f"the regions of {source.name}",
                region=region,
                neighbour=neighbour,
                layer_names=OSM_LAYERS,
                width_m=width_km * 1000,
                sea_gap_m=sea_gap_km * 1000,
                osm_file=osm_file,
                overpass_url=overpass_url,
                progress=lambda message: status.write(md(public_text(one_of(message)))),
            )
            package, _ = write_package(fetched, new_package_path(region, neighbour))
            hosting.forget_shared_files()  # list the new package at the next run
        except JieguiError as exc:
            status.update(label=say("fetch_failed"), state="error")
            st.error(md(public_text(error_text(exc))))
        else:
            st.session_state[Keys.FETCHED] = str(package)
            counts = ", ".join(
                f"{n:,} {_kind_label(k)}" for k, n in fetched.manifest["features"].items()
            )
            status.update(label=md(say("fetched", counts=counts)), state="complete", expanded=False)


def _kind_label(kind: str) -> str:
    """What a fetched package counts (a layer, or ``regions``) in the page's language."""
    if kind == "regions":
        return say("regions")
    return LAYER_LABELS.get(kind, {"en": kind, "zh": kind})[current()]
