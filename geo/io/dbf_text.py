"""The text encoding of a Shapefile's attribute table when nothing in the file names it.

A Shapefile's text lives in its ``.dbf``, whose encoding is named by a ``.cpg`` file beside it
or by the table's language-driver byte (LDID, byte 29 of its header). GDAL follows either;
with neither it decodes the text as ISO-8859-1, which turns Chinese text into other Latin
letters without a word: ``沪杭高速公路`` saved as GBK is read as ``»¦º¼¸ßËÙ¹«Â·``. Chinese GIS
software (ArcGIS in a Chinese locale, SuperMap, MapGIS) writes GBK, and a ``.cpg`` is often
lost when files are passed around, so this is common in the planners' own files.

Decision (:func:`shapefile_text_encoding`): when no ``.cpg`` and no LDID name the encoding and
some text is not ASCII, the text fields' values are tried as UTF-8, then as GB18030 (the
superset of GBK and GB 2312); the first that decodes every value is used (UTF-8 text is
almost never valid otherwise; GBK is the usual encoding of Chinese GIS software). GDAL's
ISO-8859-1 is kept when neither does. Reading as GB18030 is a guess, so it is said
(:func:`encoding_note`); the fix, when it is wrong, is a ``.cpg`` file naming the encoding.
Only the table's bytes are read (the files' sizes were checked before, for a zip too).
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from geo.text import Bilingual

#: The encodings tried, in order, for a table whose encoding nothing names.
TRIED = ("UTF-8", "GB18030")

#: The key of ``frame.attrs`` holding the encoding a Shapefile's text was read in, when
#: :func:`shapefile_text_encoding` chose it (absent when GDAL's own choice was kept).
TEXT_ENCODING = "jiegui_text_encoding"

#: The field types whose values are text (dBASE: character; numbers and dates are ASCII).
_TEXT_FIELDS = frozenset(b"CVW")


def shapefile_text_encoding(path: Path, layer: str | None = None) -> str | None:
    """The encoding to read ``path``'s Shapefile text in, or None to let GDAL choose.

    Parameters
    ----------
    path
        A ``.shp`` file, or a ``.zip`` of Shapefiles (the tables of ``layer``, or of every
        Shapefile in it when None, are looked at together); any other file gives None.
    layer
        The layer read from a zip (a Shapefile's name without ``.shp``).

    Returns
    -------
    str or None
        One of :data:`TRIED` when no ``.cpg`` and no LDID name the encoding, some text is
        not ASCII and all of it decodes in that encoding; else None.
    """
    tables = list(_unnamed_tables(path, layer))
    values = [v for raw in tables for v in _text_values(raw)]
    if not values:
        return None
    for encoding in TRIED:
        if all(_decodes(value, width, encoding) for value, width in values):
            return encoding
    return None


def encoding_note(encoding: str | None, what: str | Bilingual) -> list[Bilingual]:
    """The note to show when a Shapefile's text was read in a guessed encoding.

    UTF-8 that decodes is taken without a note (other text seldom does); GB18030 is said,
    with the fix. ``what`` names the file (``The highways file roads.shp``).
    """
    if encoding is None or encoding == "UTF-8":
        return []
    name = what if isinstance(what, Bilingual) else Bilingual(what, what)
    return [
        Bilingual(
            f"{name.en} has no .cpg file naming the encoding of its text, so its text was "
            "read as GBK (GB18030), the usual encoding of Chinese GIS software; if its names "
            "look wrong, put a .cpg file beside its .dbf holding the encoding's name "
            "(e.g. UTF-8).",
            f"{name.zh}没有说明文字编码的 .cpg 文件，其文字已按 GBK（GB18030，中文 GIS "
            "软件常用的编码）读取；如名称显示有误，请在 .dbf 旁放一个写有编码名称"
            "（如 UTF-8）的 .cpg 文件。",
        )
    ]


def _unnamed_tables(path: Path, layer: str | None) -> Iterator[bytes]:
    """The bytes of the ``.dbf`` tables of ``path`` whose encoding nothing names."""
    suffix = path.suffix.lower()
    if suffix == ".shp":
        stem = path.with_suffix("")
        dbf_name, cpg_name = (f"{stem.name}{s}".lower() for s in (".dbf", ".cpg"))
        siblings = {p.name.lower(): p for p in path.parent.iterdir()}
        dbf = siblings.get(dbf_name)
        if dbf is None or cpg_name in siblings:
            return
        raw = dbf.read_bytes()
        if _names_no_encoding(raw):
            yield raw
    elif suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = {n.lower(): n for n in archive.namelist()}
            for lower in sorted(names):
                if not lower.endswith(".shp"):
                    continue
                base = lower[:-4]
                if layer is not None and Path(base).name != layer.lower():
                    continue
                if f"{base}.cpg" in names or f"{base}.dbf" not in names:
                    continue
                raw = archive.read(names[f"{base}.dbf"])
                if _names_no_encoding(raw):
                    yield raw


def _names_no_encoding(raw: bytes) -> bool:
    """Whether a dBASE table's header leaves its encoding unnamed (LDID 0)."""
    return len(raw) > 32 and raw[29] == 0


def _text_values(raw: bytes) -> Iterator[tuple[bytes, int]]:
    """The text values of a dBASE table that are not ASCII, each with its field's width.

    Fields as shapelib reads them: 32-byte descriptors from byte 32 to the ``0x0D`` mark, a
    text field's width in bytes 16 (low) and 17 (high); each record a deletion flag, then
    its fields in order.
    """
    records = int.from_bytes(raw[4:8], "little")
    header = int.from_bytes(raw[8:10], "little")
    size = int.from_bytes(raw[10:12], "little")
    fields: list[tuple[int, int]] = []
    offset, at = 1, 32
    while at + 32 <= min(header, len(raw)) and raw[at] != 0x0D:
        kind, low, high = raw[at + 11], raw[at + 16], raw[at + 17]
        width = low if kind in b"NF" else low + 256 * high
        if kind in _TEXT_FIELDS:
            fields.append((offset, width))
        offset += width
        at += 32
    if size <= 0 or not fields:
        return
    count = min(records, max(len(raw) - header, 0) // size)
    body = np.frombuffer(raw, dtype=np.uint8, count=count * size, offset=header)
    table = body.reshape(count, size)
    for start, width in fields:
        column = table[:, start : start + width]
        for row in np.flatnonzero((column >= 0x80).any(axis=1)):
            yield column[row].tobytes(), width


def _decodes(value: bytes, width: int, encoding: str) -> bool:
    """Whether a field's value is text in ``encoding``.

    A value that fills its field to the last byte may have been cut inside a character by
    the program that wrote it; its last character may then be incomplete.
    """
    text = value.rstrip(b" \x00")
    try:
        text.decode(encoding)
        return True
    except UnicodeDecodeError:
        if len(text) < width:
            return False
    try:
        codecs.getincrementaldecoder(encoding)().decode(text, final=False)
        return True
    except UnicodeDecodeError:
        return False


__all__ = ["TEXT_ENCODING", "TRIED", "encoding_note", "shapefile_text_encoding"]
