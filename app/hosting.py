"""Hosted mode on the page: server files by name from the data folder, text without paths.

With ``JIEGUI_HOSTED=1`` (:data:`geo.settings.HOSTED`) one server serves a whole office,
and its visitors must learn nothing of its files. The page then has no path input: server
files are chosen from a list of those in the data folder and the fetch folder
(:func:`shared_files`, kept for :data:`LISTING_TTL_S` seconds so that a rerun of the page
does not walk the folders again), by a name such as ``"fetched:osm-a-b.gpkg"`` that is
resolved inside its folder (:func:`server_file`, with the rules of :mod:`geo.io.safe_paths`).
Text shown from the engine (errors, warnings, progress) goes through :func:`public_text`,
which in hosted mode puts a file's name where its absolute path was. :func:`streamlit_options`
are the Streamlit options that follow the settings (the upload limit, and no error details
when hosted), which the page sets on each run (:func:`apply_streamlit_options`).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from streamlit import config

from geo import settings
from geo.errors import InputFileError
from geo.io import safe_paths
from geo.io.osm_file import is_osm_file
from geo.io.user_files import is_vector_file, shown_name

#: The allowed folders by the label that starts the names of their files.
DATA_LABEL = "data"
FETCHED_LABEL = "fetched"
#: Seconds a listing of the allowed folders is kept (:func:`shared_files`): a file added
#: below a folder's top level appears on the page at the latest this long after.
LISTING_TTL_S = 10.0

# An absolute path in quotes (any characters but the quote), or one without (up to a space or
# a punctuation mark that ends it), also after zip:// or file://; not a URL's path.
_QUOTED_PATH = re.compile(r"""(?P<q>['"])(?P<path>(?:[a-z]+://)?~?/[^'"\n]*)(?P=q)""")
_BARE_PATH = re.compile(r"""(?<![\w.:/~-])(?:[a-z]+://)?~?/[^\s'"`,;()\[\]{}<>|]*""")


def hosted() -> bool:
    """Whether the page runs in hosted mode (``JIEGUI_HOSTED``, read each time)."""
    return settings.HOSTED.on()


def _base_name(path: str) -> str:
    """What is shown for a path: its last part (the file's name)."""
    name = PurePosixPath(re.sub(r"^[a-z]+://", "", path).rstrip("/")).name
    return name or "a file"


def without_paths(text: str) -> str:
    """``text`` with every absolute path (``/…``, ``~/…``, ``zip:///…``) as its base name.

    ``"File '/srv/data/a.osm' does not exist"`` becomes ``"File 'a.osm' does not exist"``;
    URLs (``https://host/api``) are left as they are.
    """
    text = _QUOTED_PATH.sub(lambda m: m["q"] + _base_name(m["path"]) + m["q"], text)
    return _BARE_PATH.sub(lambda m: _base_name(m.group(0)), text)


def public_text(text: object) -> str:
    """Text from the engine as the page shows it: without paths when hosted."""
    return without_paths(str(text)) if hosted() else str(text)


def upload_limit_mb() -> float:
    """The largest upload, in MB (:data:`geo.settings.MAX_UPLOAD_MB`)."""
    return settings.MAX_UPLOAD_MB.value()


def streamlit_options() -> dict[str, object]:
    """Streamlit's options that follow Jiegui's settings.

    ``server.maxUploadSize`` (whole MB, at least 1) is the upload limit; when hosted,
    ``client.showErrorDetails`` is ``"none"``, so no traceback reaches a browser.
    """
    options: dict[str, object] = {"server.maxUploadSize": max(1, int(upload_limit_mb()))}
    if hosted():
        options["client.showErrorDetails"] = "none"
    return options


def apply_streamlit_options() -> None:
    """Set :func:`streamlit_options` in Streamlit's configuration where they differ.

    The page calls it on each run, before anything else it draws: Streamlit reads the
    upload limit at each upload (which only a page with an uploader can start) and the
    error details at each error, so both hold from a session's first run on.
    """
    for option, value in streamlit_options().items():
        if config.get_option(option) != value:
            config.set_option(option, value, where_defined="Jiegui's settings (geo/settings.py)")


# ------------------------------------------------------------------ files on the server


def server_roots() -> dict[str, Path]:
    """The folders a hosted page reads files from, by label: the data and fetch folders."""
    return {DATA_LABEL: settings.DATA.path(), FETCHED_LABEL: settings.FETCHED.path()}


def is_source_name(name: str) -> bool:
    """Whether a file's name is one the page opens: OSM or GIS, not a package's manifest."""
    return (is_osm_file(name) or is_vector_file(name)) and not name.endswith(".manifest.json")


#: Listings of :func:`shared_files`: ``{key: (monotonic time, names)}``, shared by the
#: sessions (the folders are the same for every visitor), guarded by ``_LISTING_LOCK``.
_LISTINGS: dict[tuple[object, ...], tuple[float, list[str]]] = {}
_LISTING_LOCK = threading.Lock()


def shared_files(
    accept: Callable[[str], bool] = is_source_name, *, chosen: str | None = None
) -> list[str]:
    """The names (``"label:relative/name"``) of the files in the allowed folders.

    Files of an embedded dataset's folder are left out (the dataset is chosen as a whole);
    a folder listed under two labels is listed once.

    The page asks on every rerun (each click), and walking the data folders each time costs
    what the folders hold; so a listing is kept for :data:`LISTING_TTL_S` seconds (10),
    for every session. It is keyed by the folders and their modification times: a file
    added, removed or renamed at a folder's top level (one copied into the data folder)
    changes the folder's time, so it is listed at the next rerun (unless it came within the
    same clock tick, a few ms, as the listing); any other change (a file added in a
    subfolder) shows at the latest :data:`LISTING_TTL_S` seconds later. The fetch panel
    drops the listings once it has written a package (:func:`forget_shared_files`).

    Parameters
    ----------
    accept
        Whether a name (relative to its folder) is wanted.
    chosen
        The name selected on the page, if any: when its file is gone, the kept listings are
        dropped first, so that a file removed is not offered again (one check of one file).
    """
    if chosen and not _still_there(chosen):
        forget_shared_files()
    roots = server_roots()
    key = (accept, *((label, str(root), _mtime_ns(root)) for label, root in roots.items()))
    now = time.monotonic()
    with _LISTING_LOCK:
        kept = _LISTINGS.get(key)
        if kept is not None and now - kept[0] < LISTING_TTL_S:
            return list(kept[1])
    names = _list_shared(roots, accept)
    with _LISTING_LOCK:
        for old in [k for k, (at, _) in _LISTINGS.items() if now - at >= LISTING_TTL_S]:
            del _LISTINGS[old]  # expired; the folders' times in a key change, keys pile up
        _LISTINGS[key] = (now, names)
    return list(names)


def forget_shared_files() -> None:
    """Drop the kept listings: the next :func:`shared_files` walks the folders again.

    The fetch panel calls it once it has written a package, so that the package is listed
    at once even where the folder's modification time is too coarse to show the change.
    """
    with _LISTING_LOCK:
        _LISTINGS.clear()


def _still_there(name: str) -> bool:
    """Whether a name of :func:`shared_files` still stands for a file inside its folder."""
    try:
        server_file(name)
    except (safe_paths.UnsafePathError, InputFileError):
        return False
    return True


def _mtime_ns(folder: Path) -> int:
    """A folder's modification time (ns), or -1 when it cannot be read (absent)."""
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return -1


def _list_shared(roots: dict[str, Path], accept: Callable[[str], bool]) -> list[str]:
    """Walk the allowed folders: the names :func:`shared_files` returns."""
    names: list[str] = []
    seen: set[Path] = set()
    for label, root in roots.items():
        resolved = root.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        names += [
            f"{label}:{name}"
            for name in safe_paths.list_files(root, accept)
            if not _in_dataset(root, name)
        ]
    return names


#: Manifests that mark a folder of the project's own data: an embedded dataset, shown by
#: name, and the map's context layer (:mod:`geo.io.context`), no source at all.
OWN_DATA_MANIFESTS = ("dataset.json", "context.json")


def _in_dataset(root: Path, name: str) -> bool:
    """Whether a name lies in a folder of the project's own data (:data:`OWN_DATA_MANIFESTS`)."""
    top, _, rest = name.partition("/")
    return bool(rest) and any((root / top / m).is_file() for m in OWN_DATA_MANIFESTS)


def file_label(name: str) -> tuple[str, bool]:
    r"""How a file of :func:`shared_files` is listed: its name, and whether it was fetched.

    A name that is not UTF-8 (any bytes but ``/`` make a name on Linux) is listed with those
    bytes as ``\xNN`` (:func:`geo.io.user_files.shown_name`): the list is UTF-8 text, and a
    name Python holds with lone surrogates made the whole page fail. Chosen, the file is
    refused in one sentence naming it the same way.
    """
    label, _, relative = name.partition(":")
    return shown_name(relative), label == FETCHED_LABEL


def server_file(name: str) -> Path:
    """The file a name of :func:`shared_files` stands for, resolved inside its folder.

    Raises
    ------
    geo.io.safe_paths.UnsafePathError
        For a name of no allowed folder, or one leading out of it.
    geo.errors.InputFileError
        When the file is not there (any more).
    """
    label, _, relative = name.partition(":")
    root = server_roots().get(label)
    if root is None:
        raise safe_paths.UnsafePathError()
    return safe_paths.find_in([root], relative)


def fetched_name(package: Path) -> str:
    """The name under which :func:`shared_files` lists a package in the fetch folder."""
    return f"{FETCHED_LABEL}:{package.name}"
