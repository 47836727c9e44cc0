"""Results kept on disk between runs, so a restarted app shows its first view at once.

The app loads a source, counts its crossings and serialises its map once per data state
(:mod:`app.views`); Streamlit's caches keep those results while the server runs. This
module keeps them across restarts as well. A result is found again only when everything
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
(``server.py``) without reading it from disk again; callers must not change them. One
computation per key runs at a time in a process; a second caller waits and takes its result.

**What is stored, and why it cannot run another user's code.** Each result is one file,
``<folder>/<kind>/<sha256 of kind, key and code stamp>.result``: a pickle of the result
(sources with their GeoDataFrames, crossing results, the map's content, the report's
comparison), signed with an HMAC-SHA256 keyed by a per-user secret
(``<folder>/secret.key``, 32 random bytes, made once with mode 0600). At every read,
:mod:`app.result_store` checks that the folder and the kind's sub-folder belong to this user
and are writable by no one else, that the entry is a regular file of this user's that no one
else may write (opened without following links and checked on the open file), that the
secret is this user's and mode 0600, and verifies the signature over the file's bytes; only
then is the pickle unpickled. A pickle is never loaded otherwise. An entry that fails a
check or its signature is ignored with one warning, computed again and rewritten; a folder
or secret that fails one is not used (one warning per process): results are then kept in
memory only (the latest few), as when the folder cannot be written, and nothing fails.

Signed pickles, not a data-only format: the results are Python objects (dataclasses around
GeoDataFrames, geometries, CRSs and the map's strings) that a pickle round-trips exactly;
GeoParquet or JSON would need a hand-written, versioned serialiser for every class and
field the page keeps, each with its own round-trip faults, for no more safety than a
signature only this user's processes can make (whoever can read the secret can already run
code as this user). Verifying costs one HMAC over bytes that are read anyway (about a
millisecond per megabyte), so the first paint stays fast. ``joblib.Memory``, used
before, unpickles a file without a hook to verify it first, so a small store of our own
(:mod:`app.result_store`) replaces it: atomic writes (a temporary file in the same folder,
then :func:`os.replace`), so processes can share the folder, and pruning by size and age.

The folder is ``$JIEGUI_CACHE_DIR`` if set, else ``~/.cache/jiegui/results``; it is pruned
to :data:`MAX_BYTES` and :data:`MAX_AGE` (since last read) after each new result. The command
line does not use this cache: each ``python -m geo`` run computes afresh.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import pickle
import platform
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from importlib import metadata
from pathlib import Path
from typing import TypeVar, cast

from app import result_store
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
    "folium", "branca", "PyYAML",
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


def _computed(kind: str, compute: Callable[[], T]) -> T:
    """Compute a result, counting it (:func:`computed_count`)."""
    _computed_now[kind] = _computed_now.get(kind, 0) + 1
    return compute()


#: Results computed (not read back) in this process, per kind: tests read it.
_computed_now: dict[str, int] = {}


def entry_name(kind: str, key: Hashable, code: str) -> str:
    """The name a result is kept under: a hash of its kind, key (``repr``) and code stamp."""
    identity = "\0".join((kind, repr(key), code)).encode()
    return hashlib.sha256(identity).hexdigest()


def entry_path(kind: str, key: Hashable) -> Path:
    """Where the result of ``kind`` and ``key`` is kept on disk under the code of this process."""
    return result_store.Store(cache_dir()).entry_path(kind, entry_name(kind, key, code_stamp()))


#: Problems with the folder already logged by this process: each is logged once.
_warned: set[str] = set()


def _in_memory_only(problem: Exception) -> None:
    """Log, once per process and problem, why results are kept in memory only."""
    message = str(problem)
    if message not in _warned:
        _warned.add(message)
        LOG.warning("Results are kept in memory only: %s", message)


def _read_back(store: result_store.Store, kind: str, name: str) -> object:
    """The result kept as ``name``, else :data:`_ABSENT` (nothing kept, or ignored and logged).

    Raises :class:`app.result_store.Unusable` when the folder may not be used.
    """
    try:
        payload = store.read(kind, name)
    except result_store.Rejected as problem:
        LOG.warning("Ignoring a stored result, which is computed again: %s", problem)
        return _ABSENT
    if payload is None:
        return _ABSENT
    try:
        return pickle.loads(payload)  # verified: written by this user's own process
    except Exception as error:  # a verified entry this code cannot read: compute it again
        LOG.warning(
            "Ignoring a stored result that cannot be read back (%s: %s), which is computed "
            "again.",
            type(error).__name__,
            error,
        )
        return _ABSENT


_ABSENT = object()


def _keep(store: result_store.Store, kind: str, name: str, value: object) -> None:
    """Write a new result to disk and prune the folder; on failure keep it in memory only."""
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        store.write(kind, name, payload)
        store.prune(MAX_BYTES, MAX_AGE)
    except result_store.Unusable as problem:
        _in_memory_only(problem)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
        LOG.warning(
            "A result of kind %s is kept in memory only: it cannot be written (%s: %s).",
            kind,
            type(error).__name__,
            error,
        )


def _from_disk(folder: Path, kind: str, key: Hashable, compute: Callable[[], T]) -> T:
    """The result read back from ``folder`` if kept there and verified, else computed and kept."""
    store = result_store.Store(folder)
    name = entry_name(kind, key, code_stamp())
    try:
        found = _read_back(store, kind, name)
    except result_store.Unusable as problem:
        _in_memory_only(problem)
        return _computed(kind, compute)
    if found is not _ABSENT:
        return cast(T, found)
    value = _computed(kind, compute)
    _keep(store, kind, name, value)
    return value


def remembered(kind: str, key: Hashable, compute: Callable[[], T], *, on_disk: bool = True) -> T:
    """The result of ``compute()``, read from disk when this key was computed before.

    Parameters
    ----------
    kind
        What is computed (``"source"``, ``"crossings"`` ...): part of the key, and the
        name of the sub-folder it is kept in (lower-case letters, digits, ``-``).
    key
        Plain values (strings, numbers, None, tuples of them, and frozen dataclasses of
        those such as :class:`app.query.PageQuery`, which ``repr`` by value)
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
        among the :data:`RECENT_RESULTS` latest. A stored result that fails a check or its
        signature, or cannot be read back, is computed again and rewritten (one warning).
    """
    folder = cache_dir()
    recent_key = (str(folder), kind, repr(key), code_stamp())
    # One computation per key at a time in this process: a second caller (another session,
    # or the server's start-up, see server.py) waits for the first and takes its result.
    with _lock_for(kind, key):
        with _recent_guard:
            if recent_key in _recent:
                _recent.move_to_end(recent_key)
                return _recent[recent_key]  # type: ignore[return-value]
        value = _from_disk(folder, kind, key, compute) if on_disk else _computed(kind, compute)
        with _recent_guard:
            _recent[recent_key] = value
            while len(_recent) > RECENT_RESULTS:
                _recent.popitem(last=False)
    return value


_recent: OrderedDict[tuple[str, str, str, str], object] = OrderedDict()
_recent_guard = threading.Lock()


def is_kept(kind: str, key: Hashable) -> bool:
    """Whether :func:`remembered` would find this result without computing it.

    In memory, or a file on disk under this code (which :func:`remembered` still checks
    as it reads it: a file that fails a check is computed again, once).
    """
    folder = cache_dir()
    with _recent_guard:
        if (str(folder), kind, repr(key), code_stamp()) in _recent:
            return True
    try:
        return entry_path(kind, key).is_file()
    except OSError:
        return False


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
