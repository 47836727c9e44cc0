"""Uploaded files on disk: a private folder per session, each upload written once, atomically.

Streamlit keeps an upload in memory; the readers need a file. A session's
:class:`SessionUploads` (kept in its session state) writes it into the session's own folder,
made by :func:`tempfile.mkdtemp` (mode 0700, a name no one else has) in
:data:`geo.settings.UPLOADS`:

* each upload goes into a new sub-folder of its own, so no file is ever reused, whatever
  its name and whatever someone else put in the temporary folder;
* it is written under a temporary name and then renamed (:func:`os.replace`), so a reader
  never sees part of a file;
* only the session's current upload is kept: a new one, or none, deletes the previous one;
* the folder is deleted when the session ends (its state is dropped:
  :class:`weakref.finalize`), when the server stops (:func:`remove_all`, from ``server.py``:
  uvicorn ends the process by its signal, so ``atexit`` does not run), and :func:`sweep`
  deletes the session folders no run has used for :data:`geo.settings.UPLOAD_KEEP_HOURS`
  (after a crash, or a tab left open: a session still open writes its upload again when
  it next needs it). The page calls :func:`sweep_now_and_then` on its runs, ``server.py``
  :func:`sweep` as it starts.

Nothing here imports streamlit.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
import weakref
from pathlib import Path, PurePosixPath

from geo import settings

#: Every session folder's name starts with this.
PREFIX = "jiegui-uploads-"
#: Longest name an upload is written under (characters; 3 bytes each at most in UTF-8).
MAX_NAME = 80
#: The page sweeps at most this often (seconds).
SWEEP_EVERY_S = 300.0

_last_sweep = 0.0
_sweep_lock = threading.Lock()
#: The session folders this process made and has not deleted yet.
_live: set[Path] = set()


def safe_file_name(name: str) -> str:
    """The name an upload is written under: its last part, without control characters.

    Leading dots are dropped (no hidden files), and a long name is shortened keeping its
    suffixes (``.osm.pbf``), which tell the readers the format.
    """
    last = re.split(r"[/\\]", name)[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "_", last).lstrip(". ") or "upload"
    if len(base) > MAX_NAME:
        suffix = "".join(PurePosixPath(base).suffixes[-2:])[-20:]
        base = base[: MAX_NAME - len(suffix)] + suffix
    return base


def write_new(folder: Path, name: str, data: bytes | memoryview) -> Path:
    """Write ``data`` as a new file named ``name`` in a new sub-folder of ``folder``.

    Written under a temporary name (mode 0600) and renamed once complete.

    Returns
    -------
    Path
        The new file.
    """
    sub = Path(tempfile.mkdtemp(prefix="upload-", dir=folder))
    target = sub / safe_file_name(name)
    handle, temporary = tempfile.mkstemp(prefix=".part-", dir=sub)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        shutil.rmtree(sub, ignore_errors=True)
        raise
    return target


class SessionUploads:
    """One session's uploads: its private folder and the upload it shows.

    Parameters
    ----------
    root
        Where the session folder is made; :data:`geo.settings.UPLOADS` when None.
    """

    def __init__(self, root: Path | None = None) -> None:
        self._root = root
        self._folder: Path | None = None
        self._finalizer: weakref.finalize[[Path], SessionUploads] | None = None
        self._current: tuple[str, Path] | None = None

    @property
    def folder(self) -> Path | None:
        """The session's folder, None before its first upload."""
        return self._folder

    def save(self, file_id: str, name: str, data: bytes | memoryview) -> Path:
        """The file of upload ``file_id``: written now, or kept from an earlier run.

        Parameters
        ----------
        file_id
            Streamlit's id of the upload (a new one for each upload, same name or not).
        name
            The uploaded file's name, as the browser sent it.
        data
            Its content (a view of Streamlit's buffer will do: it is not copied).
        """
        current = self._current
        if current is not None and current[0] == file_id and current[1].is_file():
            os.utime(self._session_folder())
            return current[1]
        self.discard()
        target = write_new(self._session_folder(), name, data)
        self._current = (file_id, target)
        return target

    def discard(self) -> None:
        """Delete the current upload's file, if any."""
        if self._current is not None:
            shutil.rmtree(self._current[1].parent, ignore_errors=True)
            self._current = None

    def close(self) -> None:
        """Delete the session's folder now (as when the session ends)."""
        if self._finalizer is not None:
            self._finalizer()
        self._current = None

    def _session_folder(self) -> Path:
        """The session's folder, made (again, when it was swept) as needed; marked as used."""
        if self._folder is not None and self._folder.is_dir():
            os.utime(self._folder)
            return self._folder
        root = self._root or settings.UPLOADS.path()
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))
        if self._finalizer is not None:
            self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _remove, folder)
        self._folder = folder
        _live.add(folder)
        return folder


def _remove(folder: Path) -> None:
    """Delete a folder and what it holds (what is gone already is no error)."""
    _live.discard(folder)
    shutil.rmtree(folder, ignore_errors=True)


def remove_all() -> None:
    """Delete every session folder this process made: the server is stopping."""
    for folder in list(_live):
        _remove(folder)


def sweep(root: Path, max_age_s: float, *, now: float | None = None) -> list[Path]:
    """Delete the session folders in ``root`` that no run has used for ``max_age_s``.

    Only folders named :data:`PREFIX`… and owned by this user are looked at; links are
    neither followed nor deleted.

    Returns
    -------
    list of Path
        The folders deleted.
    """
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(PREFIX) or not entry.is_dir(follow_symlinks=False):
            continue
        stat = entry.stat(follow_symlinks=False)
        if stat.st_uid == os.getuid() and now - stat.st_mtime > max_age_s:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def sweep_stale() -> list[Path]:
    """:func:`sweep` the upload folder with the age limit of the settings."""
    hours = settings.UPLOAD_KEEP_HOURS.value()
    return sweep(settings.UPLOADS.path(), hours * 3600)


def sweep_now_and_then() -> None:
    """:func:`sweep_stale`, at most once every :data:`SWEEP_EVERY_S` in this process."""
    global _last_sweep
    with _sweep_lock:
        if time.monotonic() - _last_sweep < SWEEP_EVERY_S and _last_sweep:
            return
        _last_sweep = time.monotonic()
    sweep_stale()
