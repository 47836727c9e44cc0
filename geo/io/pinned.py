"""Pinned input files: a build reads a file only when it is the version pinned by checksum.

The data build scripts (``scripts/build_data.py``, ``scripts/osm_railways.py``,
``scripts/build_context.py``) read copies of outside data (Natural Earth, OpenStreetMap
ways, an npm package). Each pins the files it reads by their digest, so that a rebuild is
byte-identical or refused: :func:`check_file` checks one file, :func:`check_folder` a
folder of them. A pin is either a hexadecimal sha256 (``"7147ce..."``) or an npm/SRI
integrity string (``"sha512-<base64>"``).

A refusal is an :class:`geo.errors.InputFileError`: one sentence in English and Chinese
naming the file and the fix (restore the file, or review the new data and update the pin
where it is written down).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from pathlib import Path

from geo.errors import InputFileError
from geo.text import Bilingual

#: The SRI prefixes understood (``<algorithm>-<base64 digest>``).
_SRI_ALGORITHMS = ("sha256", "sha384", "sha512")


def digest_of(path: Path, pin: str) -> str:
    """The digest of ``path`` written the way ``pin`` is written.

    Parameters
    ----------
    path
        The file.
    pin
        A hexadecimal sha256, or an SRI string ``"<algorithm>-<base64>"`` (sha256, sha384
        or sha512): the digest is given in the same form, so the two compare as strings.

    Returns
    -------
    str
        Hexadecimal sha256, or ``"<algorithm>-<base64>"``.
    """
    data = path.read_bytes()
    algorithm = pin.split("-", 1)[0] if "-" in pin else ""
    if algorithm in _SRI_ALGORITHMS:
        raw = hashlib.new(algorithm, data).digest()
        return f"{algorithm}-{base64.b64encode(raw).decode()}"
    return hashlib.sha256(data).hexdigest()


def check_file(path: Path, pin: str, *, pinned_in: str, restore: Bilingual | None = None) -> Path:
    """``path`` when it exists and is the pinned version.

    Parameters
    ----------
    path
        The file to read.
    pin
        Its pinned digest (see :func:`digest_of`).
    pinned_in
        Where the pin is written (e.g. ``"INPUTS in scripts/osm_railways.py"``), named in
        the message as the place to update after reviewing new data.
    restore
        How to get the pinned file back (e.g. delete a cached download and build again);
        "restore it" when None.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    InputFileError
        When the file is missing or its digest differs from the pin.
    """
    if not path.is_file():
        raise InputFileError(
            Bilingual(
                f"{path} is missing; put the pinned file there (the copy is incomplete).",
                f"{path} 不存在；请放入固定版本的文件（副本不完整）。",
            )
        )
    if digest_of(path, pin) != pin:
        how = restore or Bilingual("restore it", "请恢复该文件")
        raise InputFileError(
            Bilingual(
                f"{path} is not the pinned version (its checksum differs); {how.en}, or "
                f"update {pinned_in} after reviewing the new data.",
                f"{path} 不是固定的版本（校验和不同）；{how.zh}，或在审阅新数据后更新 "
                f"{pinned_in}。",
            )
        )
    return path


def check_folder(
    folder: Path, pins: Mapping[str, str], *, pinned_in: str, missing_fix: Bilingual
) -> dict[str, Path]:
    """The pinned files of ``folder``, each checked with :func:`check_file`.

    Parameters
    ----------
    folder
        The folder holding the files.
    pins
        ``{file name: pin}``.
    pinned_in
        Where the pins are written (see :func:`check_file`).
    missing_fix
        What to do when the folder itself is missing (where to put it, which option names
        another), in both languages: the end of the message's sentence.

    Returns
    -------
    dict
        ``{file name: path}``, in the order of ``pins``.

    Raises
    ------
    InputFileError
        When the folder or a file is missing, or a file is not the pinned version.
    """
    if not folder.is_dir():
        raise InputFileError(
            Bilingual(
                f"The folder {folder} was not found; {missing_fix.en}",
                f"找不到文件夹 {folder}；{missing_fix.zh}",
            )
        )
    return {
        name: check_file(folder / name, pin, pinned_in=pinned_in) for name, pin in pins.items()
    }
