"""Results kept on disk between runs, so a restarted app shows its first view at once.

The app loads a source, counts its crossings and serialises its map once per data state
(:mod:`app.views`); Streamlit's caches keep those results while the server runs. This
module keeps them across restarts as well, through :class:`joblib.Memory` (chosen over a
hand-written pickle store: it writes each result atomically, so two processes can share
the folder, and it prunes by size and age). A result is found again only when everything
it depends on is the same:

* the key given by the caller (the source's resolved path and file stamp, the year the
  data describe, and the page's choices as one :class:`app.query.PageQuery`, as
  :mod:`app.views` builds them);
* :func:`code_stamp`: a hash of every module in ``geo/``, ``layers/`` and ``app/`` and the versions
  of Python and of the libraries that read, compute and serialise the data. Changing the
  code or upgrading a library starts afresh, so a result is never older than the code
  that would compute it.

The latest few results are also kept in memory (:data:`RECENT_RESULTS`), shared as they
are, so the page's first run takes what the server's start-up has just computed or read
(``server.py``) without reading it from disk again; callers must not change them.

The folder is ``$JIEGUI_CACHE_DIR`` if set, else ``~/.cache/jiegui/results``; it is pruned
to :data:`MAX_BYTES` and :data:`MAX_AGE` after each new result. The files are pickles, read
back only by this module and only from that folder, which must belong to the user and be
writable by no one else (a pickle can run code); otherwise, or when the folder cannot be
written, results are kept in memory only (the latest few) and nothing fails. The command
line does not use this cache: each ``python -m geo`` run computes afresh.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import os
import platform
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from importlib import metadata
from pathlib import Path
from typing import TypeVar, cast

import joblib

from geo import settings

T = TypeVar("T")
LOG = logging.getLogger(__name__)

#: The folder is pruned to this many bytes (least recently used results go first) ...
MAX_BYTES = 512 * 1024**2

#: ... and results unused for this long are dropped.
MAX_AGE = datetime.timedelta(days=60)

#: Results kept in memory as well (the least recently used goes first).
RECENT_RESULTS = 8

#: Libraries whose versions are part of :func:`code_stamp`: they read the data, compute
#: with it, or write what is cached (frames, geometries, the map's HTML).
_LIBRARIES = (
    "numpy", "pandas", "shapely", "geopandas", "pyproj", "pyogrio", "osmium", "osmnx",
    "folium", "branca", "joblib", "PyYAML",
)  # fmt: skip

_PACKAGES = ("geo", "layers", "app")


def cache_dir() -> Path:
    """The folder results are kept in (``$JIEGUI_CACHE_DIR``, else the default)."""
    return settings.RESULTS.path()


@functools.cache
def code_stamp() -> str:
    """A hash of the code that computes cached results: sources and library versions.

    Returns
    -------
    str
        16 hex digits; it changes when any module of ``geo/``, ``layers/`` or ``app/`` changes, or
        Python or one of the libraries in ``_LIBRARIES`` is another version.
    """
    return stamp_of(Path(__file__).resolve().parent.parent, _PACKAGES, _LIBRARIES)


def stamp_of(root: Path, packages: Sequence[str], libraries: Sequence[str]) -> str:
    """A hash of the ``.py`` files under ``root/<package>`` and of the libraries' versions."""
    digest = hashlib.sha256()
    for package in packages:
        for module in sorted((root / package).rglob("*.py")):
            digest.update(module.relative_to(root).as_posix().encode())
            digest.update(module.read_bytes())
    digest.update(platform.python_version().encode())
    for name in libraries:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name}={version}".encode())
    return digest.hexdigest()[:16]


def _computed(kind: str, key: Hashable, code: str, compute: Callable[[], T]) -> T:
    """Compute a result; joblib keys its output by every argument but ``compute``."""
    _computed_now[kind] = _computed_now.get(kind, 0) + 1
    return compute()


#: Results computed (not read back) in this process, per kind: tests read it.
_computed_now: dict[str, int] = {}


@functools.cache
def _store(folder: Path) -> tuple[joblib.Memory, Callable[..., object]] | None:
    """A joblib store in ``folder`` and :func:`_computed` cached in it.

    None (results kept in memory only) when the folder cannot be written, or when it is not this
    user's own or others may write to it: its pickles are read back, and a pickle can run
    code, so only files this user wrote are trusted.
    """
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
        info = folder.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        LOG.warning(
            "Not keeping results in %s: it must belong to this user and be writable by no one "
            "else (chmod go-w); results are kept in memory only.",
            folder,
        )
        return None
    memory = joblib.Memory(folder, verbose=0)
    return memory, memory.cache(_computed, ignore=["compute"])


def remembered(kind: str, key: Hashable, compute: Callable[[], T], *, on_disk: bool = True) -> T:
    """The result of ``compute()``, read from disk when this key was computed before.

    Parameters
    ----------
    kind
        What is computed (``"source"``, ``"crossings"`` ...): part of the key.
    key
        Plain values (strings, numbers, None, tuples of them, and frozen dataclasses of
        those such as :class:`app.query.PageQuery`, which pickle and ``repr`` by value)
        that determine the result together with the code (:func:`code_stamp`). The caller
        must include everything the result depends on, e.g. a source's resolved path and
        file stamp.
    compute
        Computes the result when it is not on disk; its result must pickle.
    on_disk
        False to keep the result in memory only (among the :data:`RECENT_RESULTS`): for
        results a restarted server is unlikely to need first.

    Returns
    -------
    T
        The result, computed now or read back; the same object to every caller while it is
        among the :data:`RECENT_RESULTS` latest. A stored result that cannot be read back
        (a damaged file) is computed again; joblib logs why.
    """
    folder = cache_dir()
    store = _store(folder) if on_disk else None
    recent_key = (str(folder), kind, repr(key), code_stamp())
    # One computation per key at a time in this process: a second caller (another session,
    # or the server's start-up, see server.py) waits for the first and takes its result.
    with _lock_for(kind, key):
        with _recent_guard:
            if recent_key in _recent:
                _recent.move_to_end(recent_key)
                return _recent[recent_key]  # type: ignore[return-value]
        if store is None:  # kept in memory only, or no usable folder
            value = _computed(kind, key, code_stamp(), compute)
        else:
            memory, cached = store
            computed: list[bool] = []

            def compute_now() -> T:
                computed.append(True)
                return compute()

            value = cast(T, cached(kind, key, code_stamp(), compute_now))
            if computed:  # a new file: keep the folder within its limits
                memory.reduce_size(bytes_limit=MAX_BYTES, age_limit=MAX_AGE)
        with _recent_guard:
            _recent[recent_key] = value
            while len(_recent) > RECENT_RESULTS:
                _recent.popitem(last=False)
    return value


_recent: OrderedDict[tuple[str, str, str, str], object] = OrderedDict()
_recent_guard = threading.Lock()


def forget_recent() -> None:
    """Drop the results kept in memory: the next calls read from disk, as a new process would."""
    with _recent_guard:
        _recent.clear()


_locks: dict[tuple[str, str], threading.RLock] = {}
_locks_guard = threading.Lock()


def _lock_for(kind: str, key: Hashable) -> threading.RLock:
    """The lock of one key, created on first use (a few small objects per page state).

    Re-entrant, so a computation that asks for its own key again does not hang.
    """
    with _locks_guard:
        return _locks.setdefault((kind, repr(key)), threading.RLock())


def computed_count(kind: str) -> int:
    """How many results of ``kind`` this process computed rather than read back."""
    return _computed_now.get(kind, 0)
