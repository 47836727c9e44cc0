"""The sidebar's "Fetch from OpenStreetMap" panel: fetch near the border shown, then open it.

The user sets a band either side of the border (and the water between coasts to bridge),
and where to fetch from: the Overpass API, or a local ``.osm``/``.osm.pbf`` file. Fetch
writes a GeoPackage (:func:`geo.io.package.write_package`) whose path is kept in the session
(:attr:`app.query.Keys.FETCHED`); "Open it" makes it the page's source, and it can be downloaded.
The band follows the loaded source's region outlines.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.page_text import border_phrase, md
from app.query import Keys
from geo.errors import JieguiError
from geo.io import export
from geo.io.fetch import fetch
from geo.io.overpass import OVERPASS_URL
from geo.io.package import new_package_path, write_package
from geo.io.sources import Source
from layers import REGISTRY


def open_fetched() -> None:
    """Make the fetched package the page's source (runs before the next run's widgets)."""
    st.session_state[Keys.SOURCE_PATH] = st.session_state.get(Keys.FETCHED, "")


def fetch_panel(source: Source, region: str, neighbour: str | None) -> None:
    """Draw the panel in the sidebar, and fetch when its button is pressed.

    Parameters
    ----------
    source
        The loaded source, whose regions the band follows.
    region, neighbour
        The border shown (``neighbour`` None for all the region's borders).
    """
    with st.sidebar.expander("Fetch from OpenStreetMap"):
        st.caption(
            md(
                f"Fetch the OpenStreetMap features near {border_phrase(region, neighbour)} "
                "into a GeoPackage, then open it here. The band follows this data's region "
                "outlines."
            )
        )
        band_km = st.number_input(
            "Band either side (km)", 0.5, 50.0, 3.0, 0.5, key=Keys.FETCH_BAND
        )
        sea_km = st.number_input(
            "…and water between coasts closer than (km)", 0.0, 100.0, 30.0, 5.0,
            key=Keys.FETCH_SEA,
        )  # fmt: skip
        online = st.radio(
            "From", ["Overpass API (online)", "A local .osm/.osm.pbf file"], key=Keys.FETCH_FROM
        ).startswith("Overpass")
        fetch_from = st.text_input(
            "Overpass API URL" if online else "OSM file path",
            value=OVERPASS_URL if online else "",
            key=Keys.fetch_where(online),
        ).strip()
        if st.button("Fetch", key=Keys.FETCH_RUN, disabled=not fetch_from):
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
            st.caption(md(f"Saved as {package}"))
            st.button("Open it", on_click=open_fetched, key=Keys.FETCH_OPEN)
            st.download_button(
                "Download the GeoPackage",
                data=package.read_bytes,  # read when the button is pressed
                file_name=package.name,
                mime=export.GPKG_MIME,
                on_click="ignore",
                key=Keys.FETCH_DOWNLOAD,
            )


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
    """Fetch every layer kind near the border into a new package, reporting as it goes."""
    with st.status("Fetching…", expanded=True) as status:
        try:
            fetched = fetch(
                source.region_set,
                regions_from=f"the regions of {source.name}",
                region=region,
                neighbour=neighbour,
                layer_names=tuple(REGISTRY),
                width_m=width_km * 1000,
                sea_gap_m=sea_gap_km * 1000,
                osm_file=osm_file,
                overpass_url=overpass_url,
                progress=lambda message: status.write(md(message)),
            )
            package, _ = write_package(fetched, new_package_path(region, neighbour))
        except JieguiError as exc:
            status.update(label="Fetch failed", state="error")
            st.error(md(str(exc)))
        else:
            st.session_state[Keys.FETCHED] = str(package)
            counts = ", ".join(f"{n:,} {k}" for k, n in fetched.manifest["features"].items())
            status.update(label=md(f"Fetched {counts}"), state="complete", expanded=False)
