"""File names resolved inside a folder, so that none leads out of it.

A hosted page (:data:`geo.settings.HOSTED`) reads server files only from allow-listed
folders (:func:`geo.settings.hosted_roots`), named relative to them; the command line may
use the same rules. :func:`resolve_inside` resolves a name:

* a name is relative, its parts separated by ``/``: an empty name, an absolute one (``/x``),
  one starting with ``~``, one with a ``..`` part, a backslash or a NUL is refused;
* it is joined to the folder and resolved with every symbolic link followed; when the
  result is not inside the folder (resolved too), or is the folder itself, it is refused,
  whether or not it exists.

A refusal is :class:`UnsafePathError`, with the same message whatever the name and
whatever exists, naming no path: it tells nothing about the server's files.
:func:`find_in` looks a name up in several folders; :func:`list_files` lists the files a
folder holds, by the names :func:`resolve_inside` accepts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

from geo.errors import InputFileError
from geo.text import Bilingual

#: At most this many names are listed (:func:`list_files`).
MAX_LISTED = 1000


class UnsafePathError(InputFileError):
    """A name that is not a file name inside the allowed folder."""

    def __init__(self) -> None:
        super().__init__(
            Bilingual(
                "Only files inside the data folder can be opened, named without '..', an "
                "absolute path or a link leading out; choose a file from the list.",
                "只能打开数据文件夹内的文件，名称中不能含 '..'、绝对路径或指向文件夹外的链接，"
                "请从列表中选择文件。",
            )
        )

    def __reduce__(self) -> tuple[type[UnsafePathError], tuple[()]]:
        """Pickled without arguments: its message is always the same."""
        return (type(self), ())


def check_name(name: str) -> PurePosixPath:
    """The name as relative parts, or :class:`UnsafePathError` when its form is refused.

    Only the name is looked at (see the module docstring); nothing is read from disk.
    """
    if not name or "\0" in name or "\\" in name or name.startswith("~"):
        raise UnsafePathError()
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise UnsafePathError()
    return relative


def resolve_inside(root: str | Path, name: str) -> Path:
    """The file ``name`` inside ``root``, resolved (see the module docstring for the rules).

    Parameters
    ----------
    root
        The allowed folder.
    name
        A name relative to it, parts separated by ``/``.

    Returns
    -------
    Path
        The resolved path, inside the resolved ``root``; it may not exist.

    Raises
    ------
    UnsafePathError
        When the name is refused.
    """
    relative = check_name(name)
    try:
        base = Path(root).resolve()
        resolved = base.joinpath(*relative.parts).resolve()
    except (OSError, RuntimeError):  # a link loop, a name too long
        raise UnsafePathError() from None
    if resolved == base or not resolved.is_relative_to(base):
        raise UnsafePathError()
    return resolved


def find_in(roots: Sequence[str | Path], name: str) -> Path:
    """The file ``name`` in the first of ``roots`` that holds it (:func:`resolve_inside`).

    Raises
    ------
    UnsafePathError
        When the name is refused.
    InputFileError
        When no folder holds such a file.
    """
    check_name(name)
    for root in roots:
        path = resolve_inside(root, name)
        if _is_file(path):
            return path
    shown = repr(PurePosixPath(name).name)
    raise InputFileError(
        Bilingual(
            f"There is no file {shown} in the data folder any more; choose another one.",
            f"数据文件夹中已经没有文件 {shown}，请另选一个。",
        )
    )


def list_files(root: str | Path, accept: Callable[[str], bool]) -> list[str]:
    """The names of the files inside ``root`` that ``accept`` takes, sorted.

    Hidden files and folders (``.name``) are left out, and linked folders are not entered;
    a linked file is listed when it resolves inside ``root``. At most :data:`MAX_LISTED`.

    Parameters
    ----------
    root
        The folder (nothing is listed when it does not exist).
    accept
        Whether a name (relative, ``/`` between parts) is wanted.
    """
    base = Path(root)
    if not base.is_dir():
        return []
    names: list[str] = []
    for folder, subfolders, files in os.walk(base, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        prefix = Path(folder).relative_to(base).as_posix()
        for file in sorted(f for f in files if not f.startswith(".")):
            name = file if prefix == "." else f"{prefix}/{file}"
            if accept(name) and _is_file_inside(base, name):
                names.append(name)
            if len(names) >= MAX_LISTED:
                return sorted(names)
    return sorted(names)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _is_file_inside(root: Path, name: str) -> bool:
    try:
        return _is_file(resolve_inside(root, name))
    except UnsafePathError:
        return False


__all__ = [
    "MAX_LISTED",
    "UnsafePathError",
    "check_name",
    "find_in",
    "list_files",
    "resolve_inside",
]
