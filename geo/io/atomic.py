"""Writing an output file atomically: complete, or not at all.

Every file Jiegui writes for the user (``crossings --out``, a fetched package and its
manifest, the embedded dataset's build) goes through :func:`write_atomically` or
:func:`staged`. The new content is written under a temporary name in a hidden folder beside
the target (the same file system, so the final rename is atomic), flushed to disk, and only
then renamed over the target. Hence:

* a failure (a full disk, a killed process, an exception) leaves the old file as it was and
  no partial file behind: the temporary folder is removed;
* ``force=True`` replaces an existing file only once the new one is complete; without it an
  existing file is never replaced, not even one that appears while the new one is written;
* the operating system's errors become one-sentence errors (:class:`geo.errors.OutputFileError`)
  that name the problem and the fix (a read-only folder, a folder where a file is meant, a
  parent folder that cannot be created, a full disk).

:func:`check_writable` makes the cheap checks alone, so that a long computation does not
end in a refusal to write its result.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from geo.errors import JieguiError, OutputFileError
from geo.text import Bilingual

#: Bytes handed to one ``os.write`` call.
WRITE_CHUNK = 1 << 20

#: The disk (or the user's quota) is full.
_FULL = (errno.ENOSPC, errno.EDQUOT)
#: The folder may not be written to.
_DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)

#: What :func:`write_atomically` writes: bytes, text (encoded), or a function that writes the
#: file at the path it is given (e.g. ``lambda p: frame.to_file(p, driver="GPKG")``).
Content = bytes | str | Callable[[Path], None]


def write_atomically(
    path: str | Path,
    content: Content,
    *,
    force: bool = False,
    encoding: str = "utf-8",
    mode: int | None = None,
) -> Path:
    """Write ``content`` to ``path`` atomically: the whole new file, or nothing changed.

    Parameters
    ----------
    path
        The file to write. Missing parent folders are created (and removed again if the
        write fails).
    content
        Bytes; text, encoded with ``encoding``; or a function that writes the file at the
        (temporary) path it is given, which has the target's name, so that suffix-driven
        writers (GDAL) choose the right format.
    force
        Replace an existing file (only once the new one is complete).
    encoding
        The encoding of text content.
    mode
        Permission bits of the new file; by default those of the file it replaces, else as
        a plain ``open`` would create it (``0o666`` less the umask).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputFileError
        When ``path`` is a folder, exists and ``force`` is False, or cannot be written (the
        folder is read-only or cannot be created, the disk is full ...).
    """
    target = Path(path)
    with staged(target, force=force, mode=mode) as temp:
        if callable(content):
            content(temp)
        else:
            data = content.encode(encoding) if isinstance(content, str) else content
            _write_bytes(temp, data)
    return target


@contextlib.contextmanager
def staged(path: str | Path, *, force: bool = False, mode: int | None = None) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content at; moved into place on success.

    ``with staged(out) as temp: frame.to_file(temp, ...)``: when the block ends normally the
    file at ``temp`` is flushed to disk and renamed to ``path``; when it raises, ``temp``
    (and any file a writer put beside it, such as a GeoPackage's journal) is removed and
    ``path`` is left as it was. An ``OSError`` raised inside the block is taken as a failure
    to write and becomes an :class:`OutputFileError`. Several ``staged`` blocks may be
    nested to write files that belong together; each is renamed as its block ends.

    Parameters
    ----------
    path
        The file to write.
    force
        Replace an existing file once the new one is complete.
    mode
        Permission bits of the new file (see :func:`write_atomically`).

    Yields
    ------
    Path
        Where to write: a path with ``path``'s name in a new hidden folder beside it.

    Raises
    ------
    OutputFileError
        See :func:`write_atomically`.
    """
    target = Path(path)
    check_writable(target, force=force)
    created = _make_folders(target.parent)
    try:
        folder = _temporary_folder(target)
    except OutputFileError:
        _remove_folders(created)
        raise
    try:
        yield folder / target.name
        _commit(folder / target.name, target, force=force, mode=mode)
    except JieguiError:
        _remove_folders(created, folder)
        raise
    except OSError as exc:
        _remove_folders(created, folder)
        raise output_error(exc, target) from None
    except BaseException:
        _remove_folders(created, folder)
        raise
    shutil.rmtree(folder, ignore_errors=True)


def check_writable(path: str | Path, *, force: bool = False) -> Path:
    """Check, without writing anything, that a file can be written at ``path``.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputFileError
        When ``path`` is a folder, exists and ``force`` is False, or its folder (or the
        nearest existing folder above it) is not a folder or not writable.
    """
    target = Path(path)
    if target.is_dir():
        raise _folder(target)
    if (target.exists() or target.is_symlink()) and not force:
        raise _exists(target)
    existing = _nearest_existing(target.parent)
    if not existing.is_dir():
        raise OutputFileError(
            Bilingual(
                f"Cannot create the folder {target.parent}: {existing} is a file; choose "
                "another output path.",
                f"无法创建文件夹 {target.parent}：{existing} 是一个文件，请换一个输出路径。",
            )
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputFileError(
            Bilingual(
                f"Cannot write {target}: the folder {existing} is not writable for you; choose "
                "a folder you can write to.",
                f"无法写出 {target}：您没有文件夹 {existing} 的写权限，请选择一个可写的文件夹。",
            )
        )
    return target


def _folder(target: Path) -> OutputFileError:
    """The error for an output path that is a folder."""
    return OutputFileError(
        Bilingual(
            f"{target} is a folder; give the path of a file, e.g. a new name inside it.",
            f"{target} 是一个文件夹，请给出文件的路径，例如该文件夹中的一个新文件名。",
        )
    )


def output_error(exc: OSError, target: Path) -> OutputFileError:
    """The one-sentence error for an ``OSError`` raised while writing ``target``."""
    reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
    code = _code(exc)
    if exc.errno in _FULL:
        return OutputFileError(
            Bilingual(
                f"Could not write {target}: the disk is full ({reason}); free some space or "
                "write to another disk.",
                f"无法写出 {target}：磁盘已满（{code}），请腾出空间或写到另一块磁盘。",
            )
        )
    if exc.errno == errno.EFBIG:
        return OutputFileError(
            Bilingual(
                f"Could not write {target}: the file would be larger than this system allows "
                f"({reason}); write to another disk or raise the file size limit (ulimit -f).",
                f"无法写出 {target}：文件将超过本系统允许的大小（{code}），"
                "请写到另一块磁盘，或调高文件大小上限（ulimit -f）。",
            )
        )
    if exc.errno in _DENIED:
        return OutputFileError(
            Bilingual(
                f"Could not write {target}: the folder {target.parent} may not be written to "
                f"({reason}); choose a folder you can write to.",
                f"无法写出 {target}：文件夹 {target.parent} 不允许写入（{code}），"
                "请选择一个可写的文件夹。",
            )
        )
    if exc.errno == errno.EISDIR:
        return _folder(target)
    return OutputFileError(
        Bilingual(
            f"Could not write {target} ({reason}); check the path and the free space, or "
            "choose another output path.",
            f"无法写出 {target}（{code}），请检查路径和剩余空间，或换一个输出路径。",
        )
    )


def _code(exc: OSError) -> str:
    """The system's name of an error (``ENOSPC``), for the Chinese sentence: not English text."""
    return errno.errorcode.get(exc.errno or 0, type(exc).__name__)


def _nearest_existing(folder: Path) -> Path:
    """``folder`` or, when it does not exist, its nearest existing parent."""
    folder = folder.absolute()
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing = []
    current = folder.absolute()
    while not current.exists() and current.parent != current:
        missing.append(current)
        current = current.parent
    missing.reverse()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _remove_folders([p for p in missing if p.is_dir()])
        reason, code = (os.strerror(exc.errno) if exc.errno else type(exc).__name__), _code(exc)
        raise OutputFileError(
            Bilingual(
                f"Cannot create the folder {folder} ({reason}); create it yourself or choose "
                "another output path.",
                f"无法创建文件夹 {folder}（{code}），请手动创建，或换一个输出路径。",
            )
        ) from None
    return missing


def _remove_folders(created: list[Path], temporary: Path | None = None) -> None:
    """Remove the temporary folder, then the folders created for the output (innermost first)."""
    if temporary is not None:
        shutil.rmtree(temporary, ignore_errors=True)
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _temporary_folder(target: Path) -> Path:
    """A new hidden folder beside ``target``, on the same file system (so a rename is atomic)."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise output_error(exc, target) from None


def _write_bytes(temp: Path, data: bytes) -> None:
    """Write ``data`` into the new file ``temp`` (created as ``open`` would create it)."""
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view[:WRITE_CHUNK])
            view = view[written:]
    finally:
        os.close(fd)


def _commit(temp: Path, target: Path, *, force: bool, mode: int | None) -> None:
    """Flush ``temp`` to disk, give it its mode, and rename it to ``target``."""
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    if mode is None and target.is_file():
        mode = stat.S_IMODE(target.stat().st_mode)
    if mode is not None:
        os.chmod(temp, mode)
    if force:
        os.replace(temp, target)
    else:
        _link_new(temp, target)
    _sync_folder(target.parent)


def _link_new(temp: Path, target: Path) -> None:
    """Give ``temp`` the name ``target`` unless something has taken that name meanwhile."""
    try:
        os.link(temp, target)  # fails when the target exists: no check-then-rename race
    except FileExistsError:
        raise _exists(target) from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise _exists(target) from None
        os.replace(temp, target)


def _exists(target: Path) -> OutputFileError:
    """The error for an output that exists when it may not be replaced."""
    return OutputFileError(
        Bilingual(
            f"{target} already exists; choose another output path or add --force to replace "
            "it.",
            f"{target} 已存在，请换一个输出路径，或加上 --force 覆盖它。",
        )
    )


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (a rename is durable only then); best effort."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


__all__ = ["Content", "check_writable", "output_error", "staged", "write_atomically"]
