"""The reading of a large OSM file, shown under the page's loading spinner.

:func:`read_progress_note` gives :func:`geo.io.osm_stream.read_osm_fast` a callback that
writes each report (:func:`geo.io.read_progress.describe`: pass, bytes read, lines
selected, time elapsed and left) into a placeholder, in the page's language, as the
command line prints it on stderr. The file's name is all it says of the file (no folder),
through :func:`app.hosting.public_text` like every text from the engine.
"""

from __future__ import annotations

from typing import Any

from app.hosting import public_text
from app.labels import one_of
from app.page_text import md
from geo.io.read_progress import ProgressCallback, ReadProgress, describe


def read_progress_note(placeholder: Any) -> ProgressCallback:
    """A progress callback writing into ``placeholder`` (an ``st.empty()``) as a caption.

    Parameters
    ----------
    placeholder
        Streamlit's placeholder, emptied by the caller once the source is loaded.
    """

    def show(progress: ReadProgress) -> None:
        placeholder.caption(md(public_text(one_of(describe(progress)))))

    return show


__all__ = ["read_progress_note"]
