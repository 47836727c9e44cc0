"""Serve the Jiegui page, preparing its first view while the browser starts.

``streamlit run server.py`` serves ``streamlit_app.py`` (the page) as ``streamlit run
streamlit_app.py`` does, through Streamlit's :class:`streamlit.App` with a start-up hook.
Streamlit runs a page only when a browser connects, so its first run pays for importing
pandas, folium, geopandas and the engine and for the first view's results. The hook starts
a thread, as soon as the server accepts connections, that imports those and computes (or
reads from disk, :mod:`app.result_cache`) the first view of the first embedded dataset
(:func:`app.views.prepare_first_view`) while the browser loads Streamlit's scripts. The
page then finds the modules imported and the results on disk; if it asks before the thread
is done, it waits for the same result rather than computing it twice.

``streamlit_folium`` is not imported here: it registers its component only when imported
inside a page run. A failure in the thread is logged and changes nothing else: the page
then computes what it needs itself. The thread also deletes the upload folders no session
has used for too long (:func:`app.uploads.sweep_stale`), and the server deletes its
sessions' upload folders as it stops (:func:`app.uploads.remove_all`). The Streamlit
options that follow Jiegui's settings (the upload limit, no error details when hosted) are
set by the page (:func:`app.hosting.apply_streamlit_options`), so that importing the engine
does not delay the server's start. GDAL's VRT drivers are switched off before GDAL loads
(:func:`skip_gdal_drivers`): a VRT file is a list of other files to read.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

LOG = logging.getLogger("jiegui.server")

#: GDAL drivers the served app never opens. A VRT file names other files, or URLs, to read
#: (``<SrcDataSource>/etc/…</SrcDataSource>``), whatever its own name: an uploaded one would
#: make the server read them and show what they hold.
SKIPPED_GDAL_DRIVERS = ("OGR_VRT", "VRT")


def skip_gdal_drivers() -> None:
    """Add :data:`SKIPPED_GDAL_DRIVERS` to ``GDAL_SKIP``, which GDAL reads once, as it loads.

    Called as this module is imported, before anything loads GDAL (pyogrio).
    """
    present = os.environ.get("GDAL_SKIP", "").replace(",", " ").split()
    os.environ["GDAL_SKIP"] = " ".join(dict.fromkeys([*present, *SKIPPED_GDAL_DRIVERS]))


skip_gdal_drivers()


def prepare() -> bool:
    """Import the page's libraries and prepare the first embedded dataset's first view.

    Returns whether it did; a failure is logged, not raised.
    """
    try:
        # What the page's first run imports, but streamlit_folium (see the module docstring).
        import folium.plugins  # noqa: F401
        import packaging.version  # noqa: F401
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
        import streamlit.components.v1  # noqa: F401

        from app import uploads, views, year_history
        from geo.io import datasets, export, report  # noqa: F401

        uploads.sweep_stale()
        embedded = datasets.available()
        if embedded:
            views.prepare_first_view(embedded[0])
            year_history.prepare_histories(*views.first_view(embedded[0]))
    except Exception:  # the page computes it itself; the server must not fail for it
        LOG.exception("could not prepare the first view; the page will compute it")
        return False
    return True


@asynccontextmanager
async def prepare_while_serving(app: st.App) -> AsyncIterator[None]:
    """Start :func:`prepare` in a thread once the server runs; delete the uploads at its end."""
    threading.Thread(target=prepare, name="jiegui-prepare", daemon=True).start()
    yield
    from app import uploads

    uploads.remove_all()


app = st.App("streamlit_app.py", lifespan=prepare_while_serving)
