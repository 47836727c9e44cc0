"""The result cache's files: signed entries in folders that only this user may write.

:mod:`app.result_cache` keeps the page's results as pickles, and unpickling runs whatever
code the pickle names. This module makes sure it only ever unpickles what this user's own
process wrote, whoever else can reach the folder:

* **Every entry is signed.** An entry is ``MAGIC``, then an HMAC-SHA256 tag, then the pickle.
  The tag is keyed by a secret of 32 random bytes and covers the entry's name (the hash of
  its kind, key and code stamp) and the pickle, so an entry is neither forged nor moved to
  another key's name. :meth:`Store.read` returns a pickle only once its tag is verified
  (:func:`hmac.compare_digest`); nothing else is ever handed to :func:`pickle.loads`.
* **The secret** is the file :data:`geo.settings.RESULTS_KEY_NAME` in the cache folder. It
  is created once, atomically: written to a temporary file opened with ``O_CREAT | O_EXCL``
  and mode 0600, then linked to its name (``os.link`` fails rather than replace a key
  another process has just made, so every process reads a complete key). It is used only
  while it is a regular file of this user's, 32 bytes long, that no one else may read or
  write (mode ``0600`` or stricter); otherwise the cache is not used.
* **At every read and write** the cache folder (the root) and the kind's sub-folder
  (``<root>/<kind>/``) must belong to this user and be writable by no one else, and the
  entry itself must be a regular file of this user's that no one else may write. Below the
  root nothing is followed: each folder and file is opened relative to its folder's
  descriptor with ``O_NOFOLLOW`` and checked with ``fstat`` on what was opened, so it
  cannot be swapped between the check and the read. The root itself may be reached through
  symbolic links, as a configured path may be.

Writes go to a temporary file in the entry's own folder, then :func:`os.replace`, so a
reader sees a whole entry or none; a torn or damaged entry fails its tag. Reading an entry
marks it used (its modification time), so :meth:`Store.prune` drops the least recently
used first. Checking costs a few system calls and one HMAC over the file's bytes (about a
millisecond per megabyte). Nothing here imports streamlit.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from geo import settings

#: What every entry starts with (and its format's version).
MAGIC = b"jiegui-result/1\n"

#: Bytes of the secret, and of an entry's tag (HMAC-SHA256).
KEY_BYTES = 32
TAG_BYTES = hashlib.sha256().digest_size

#: An entry's file name ends with this.
ENTRY_SUFFIX = ".result"

#: A temporary file left by a write that did not finish is removed after this long.
STALE_TEMPORARY = datetime.timedelta(hours=1)

_KIND = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_FLAGS = os.O_CLOEXEC | os.O_NOFOLLOW
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_READ = os.O_RDONLY | os.O_NONBLOCK | _FLAGS
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _FLAGS


class Unusable(Exception):
    """The cache folder, a sub-folder or the secret fails a check: results stay in memory."""


class Rejected(Exception):
    """An entry fails a check or its tag: it is ignored, computed again and rewritten."""


def _owned(info: os.stat_result) -> bool:
    """Whether a file or folder belongs to this process's (effective) user."""
    return info.st_uid == os.geteuid()


def check_folder(info: os.stat_result, path: Path) -> None:
    """Raise :class:`Unusable` unless ``info`` is a folder of this user's others cannot write."""
    if not stat.S_ISDIR(info.st_mode):
        raise Unusable(f"{path} is not a folder.")
    if not _owned(info) or info.st_mode & 0o022:
        raise Unusable(
            f"{path} must belong to this user and be writable by no one else (chmod go-w)."
        )


def check_entry(info: os.stat_result, path: Path) -> None:
    """Raise :class:`Rejected` unless ``info`` is a file of this user's that others cannot write."""
    if not stat.S_ISREG(info.st_mode) or not _owned(info) or info.st_mode & 0o022:
        raise Rejected(
            f"{path} is not a regular file of this user's that no one else may write."
        )


def check_key(info: os.stat_result, path: Path) -> None:
    """Raise :class:`Unusable` unless ``info`` is a private key file of this user's."""
    if (
        not stat.S_ISREG(info.st_mode)
        or not _owned(info)
        or info.st_mode & 0o077
        or info.st_size != KEY_BYTES
    ):
        raise Unusable(
            f"{path} must be a file of {KEY_BYTES} bytes of this user's that no one else may "
            "read or write (delete it to make a new one)."
        )


def _open_below(name: str, folder_fd: int, path: Path) -> int:
    """Open the sub-folder ``name`` of an open folder without following a link; check it."""
    try:
        fd = os.open(name, _FOLDER | os.O_NOFOLLOW, dir_fd=folder_fd)
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise Unusable(f"{path} is not a folder (or is a symbolic link).") from error
    try:
        check_folder(os.fstat(fd), path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _read_all(fd: int, size: int) -> bytes:
    """The whole of an open file of ``size`` bytes (what fstat said when it was opened)."""
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def tag(key: bytes, name: str, payload: bytes | memoryview) -> bytes:
    """The HMAC-SHA256 of an entry: over :data:`MAGIC`, the entry's name and its pickle."""
    mac = hmac.new(key, MAGIC, hashlib.sha256)
    mac.update(name.encode())
    mac.update(payload)
    return mac.digest()


@dataclass(frozen=True)
class Store:
    """Signed entries under one root folder, one sub-folder per kind of result.

    Attributes
    ----------
    root
        The cache folder (``$JIEGUI_CACHE_DIR`` or its default).
    """

    root: Path

    @property
    def key_path(self) -> Path:
        """Where the secret is: :data:`geo.settings.RESULTS_KEY_NAME` in the root."""
        return self.root / settings.RESULTS_KEY_NAME

    def entry_path(self, kind: str, name: str) -> Path:
        """Where the entry ``name`` of ``kind`` is kept."""
        return self.root / _checked_kind(kind) / f"{name}{ENTRY_SUFFIX}"

    @contextmanager
    def _root(self, *, create: bool) -> Iterator[int]:
        """The root folder, opened and checked (and made first when ``create``)."""
        if create:
            try:
                self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as error:
                raise Unusable(f"{self.root} cannot be made ({error.strerror}).") from error
        try:
            fd = os.open(self.root, _FOLDER)  # the root may be reached through links
        except OSError as error:
            if isinstance(error, FileNotFoundError | NotADirectoryError):
                raise  # no folder yet: nothing kept
            raise Unusable(f"{self.root} cannot be opened ({error.strerror}).") from error
        try:
            check_folder(os.fstat(fd), self.root)
            yield fd
        finally:
            os.close(fd)

    @contextmanager
    def _kind(self, root_fd: int, kind: str, *, create: bool) -> Iterator[int]:
        """The kind's sub-folder of the open root, opened and checked (made when ``create``)."""
        path = self.root / _checked_kind(kind)
        if create:
            with suppress(FileExistsError):
                os.mkdir(kind, 0o700, dir_fd=root_fd)
        fd = _open_below(kind, root_fd, path)
        try:
            yield fd
        finally:
            os.close(fd)

    def _key(self, root_fd: int, *, create: bool) -> bytes | None:
        """The secret, checked; made first when missing and ``create``, else None if missing."""
        name = settings.RESULTS_KEY_NAME
        try:
            fd = os.open(name, _READ, dir_fd=root_fd)
        except FileNotFoundError:
            if not create:
                return None
            _make_key(root_fd, name)
            return self._key(root_fd, create=False)
        except OSError as error:
            raise Unusable(f"{self.key_path} cannot be read ({error.strerror}).") from error
        try:
            info = os.fstat(fd)
            check_key(info, self.key_path)
            key = _read_all(fd, KEY_BYTES)
        finally:
            os.close(fd)
        if len(key) != KEY_BYTES:
            raise Unusable(f"{self.key_path} changed while it was read.")
        return key

    def read(self, kind: str, name: str) -> memoryview | None:
        """The pickle of an entry, once its folders, file and tag are verified.

        Parameters
        ----------
        kind, name
            Which entry (:meth:`entry_path`).

        Returns
        -------
        memoryview | None
            The verified pickle; None when there is no such entry (or no folder yet).

        Raises
        ------
        Unusable
            The root, the kind's folder or the secret fails a check.
        Rejected
            The entry fails a check or its tag: it must not be unpickled.
        """
        path = self.entry_path(kind, name)
        try:
            with self._root(create=False) as root_fd, self._kind(
                root_fd, kind, create=False
            ) as kind_fd:
                data = _read_entry(kind_fd, path)
                if data is None:
                    return None
                key = self._key(root_fd, create=False)
        except (FileNotFoundError, NotADirectoryError):
            return None
        return _verified(data, key, name, path)

    def write(self, kind: str, name: str, payload: bytes) -> None:
        """Keep a pickle as the entry ``name`` of ``kind``, signed, atomically.

        Raises
        ------
        Unusable
            The root, the kind's folder or the secret fails a check or cannot be made.
        OSError
            The entry cannot be written (a full disk ...); nothing partial is left.
        """
        with self._root(create=True) as root_fd:
            key = self._key(root_fd, create=True)
            assert key is not None  # made when missing
            with self._kind(root_fd, kind, create=True) as kind_fd:
                signed = (MAGIC, tag(key, name, payload), payload)
                _write_atomically(kind_fd, f"{name}{ENTRY_SUFFIX}", signed)

    def prune(self, max_bytes: int, max_age: datetime.timedelta) -> None:
        """Drop entries unused for ``max_age``, then the least recently used beyond ``max_bytes``.

        Also drops temporary files older than :data:`STALE_TEMPORARY`. Folders that fail a
        check are left alone.
        """
        with self._root(create=False) as root_fd:
            with os.scandir(root_fd) as found:
                kinds = [
                    e.name
                    for e in found
                    if _KIND.fullmatch(e.name) and e.is_dir(follow_symlinks=False)
                ]
            for kind in kinds:
                with suppress(Unusable, OSError), self._kind(root_fd, kind, create=False) as fd:
                    _drop_stale(fd, time.time() - max_age.total_seconds())
            self._drop_least_recent(root_fd, kinds, max_bytes)

    def _drop_least_recent(self, root_fd: int, kinds: list[str], max_bytes: int) -> None:
        """Remove the least recently used entries until those left take ``max_bytes`` or less."""
        entries: list[tuple[float, int, str, str]] = []
        for kind in kinds:
            with suppress(Unusable, OSError), self._kind(root_fd, kind, create=False) as fd:
                entries += _entries(fd, kind)
        total = sum(size for _, size, _, _ in entries)
        for _, size, kind, name in sorted(entries):
            if total <= max_bytes:
                break
            with suppress(Unusable, OSError), self._kind(root_fd, kind, create=False) as fd:
                os.unlink(name, dir_fd=fd)
                total -= size


def _checked_kind(kind: str) -> str:
    """``kind`` if it can name a sub-folder (lower-case letters, digits, ``-``, ``_``)."""
    if not _KIND.fullmatch(kind):
        raise ValueError(f"A result's kind is lower-case letters, digits or '-', not {kind!r}.")
    return kind


def _read_entry(kind_fd: int, path: Path) -> bytes | None:
    """An entry's bytes, once the opened file is checked; None when there is none."""
    try:
        fd = os.open(path.name, _READ, dir_fd=kind_fd)
    except FileNotFoundError:
        return None
    except OSError as error:  # a symbolic link (ELOOP), a folder ...
        raise Rejected(f"{path} cannot be opened as a file ({error.strerror}).") from error
    try:
        info = os.fstat(fd)
        check_entry(info, path)
        data = _read_all(fd, info.st_size)
        with suppress(OSError):
            os.utime(fd)  # used now: pruned last
    finally:
        os.close(fd)
    return data


def _verified(data: bytes, key: bytes | None, name: str, path: Path) -> memoryview:
    """The pickle in an entry's bytes once its tag is verified, else :class:`Rejected`."""
    head = len(MAGIC) + TAG_BYTES
    payload = memoryview(data)[head:]
    if (
        key is None
        or len(data) < head
        or data[: len(MAGIC)] != MAGIC
        or not hmac.compare_digest(data[len(MAGIC) : head], tag(key, name, payload))
    ):
        raise Rejected(f"{path} is not signed with this user's key.")
    return payload


def _make_key(root_fd: int, name: str) -> None:
    """Make the secret: a new private file, linked to its name unless another process was first."""
    temporary = f".{name}.{secrets.token_hex(8)}.tmp"
    fd = os.open(temporary, _CREATE, 0o600, dir_fd=root_fd)
    try:
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, secrets.token_bytes(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        with suppress(FileExistsError):  # another process made it first: use theirs
            os.link(temporary, name, src_dir_fd=root_fd, dst_dir_fd=root_fd, follow_symlinks=False)
    finally:
        os.unlink(temporary, dir_fd=root_fd)


def _write_atomically(folder_fd: int, name: str, parts: tuple[bytes, ...]) -> None:
    """Write ``parts`` to a new private temporary file in the folder, then rename it ``name``."""
    temporary = f".{name}.{secrets.token_hex(8)}.tmp"
    fd = os.open(temporary, _CREATE, 0o600, dir_fd=folder_fd)
    try:
        with os.fdopen(fd, "wb", closefd=True) as file:
            for part in parts:
                file.write(part)
        os.replace(temporary, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary, dir_fd=folder_fd)
        raise


def _drop_stale(kind_fd: int, unused_since: float) -> None:
    """Remove a folder's entries last used before ``unused_since`` and old temporary files."""
    stale_temporary = time.time() - STALE_TEMPORARY.total_seconds()
    with os.scandir(kind_fd) as found:
        stale = [e.name for e in found if _is_stale(e, unused_since, stale_temporary)]
    for name in stale:
        with suppress(OSError):
            os.unlink(name, dir_fd=kind_fd)


def _is_stale(entry: os.DirEntry[str], unused_since: float, stale_temporary: float) -> bool:
    """Whether an entry was last used before ``unused_since``, or a temporary file is old."""
    info = entry.stat(follow_symlinks=False)
    return (entry.name.endswith(ENTRY_SUFFIX) and info.st_mtime < unused_since) or (
        entry.name.endswith(".tmp") and info.st_mtime < stale_temporary
    )


def _entries(kind_fd: int, kind: str) -> list[tuple[float, int, str, str]]:
    """A folder's entries as (last used, size, kind, name)."""
    with os.scandir(kind_fd) as found:
        names = [e.name for e in found if e.name.endswith(ENTRY_SUFFIX)]
    entries = []
    for name in names:
        info = os.stat(name, dir_fd=kind_fd, follow_symlinks=False)
        entries.append((info.st_mtime, info.st_size, kind, name))
    return entries
