"""The protobuf wire format of PBF files: varints read and written, a message's fields.

A varint holds 7 bits a byte, the lowest first; a byte's high bit says another follows. A
64-bit value takes at most :data:`MAX_VARINT_BYTES` bytes. The census
(:mod:`geo.io.input_limits`) walks each PBF block's fields (:func:`message_fields`) and
writes the uncompressed copy's blob headers with :func:`encode_varint`;
:mod:`geo.io.pbf_dense_nodes` reads a block's string table and DenseNodes fields the same
way (and whole columns of varints with numpy).
"""

from __future__ import annotations

from collections.abc import Iterator

#: The most bytes a varint of a 64-bit value takes.
MAX_VARINT_BYTES = 10


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """The varint at ``pos`` of ``data``: its value and the position after it.

    Raises
    ------
    ValueError
        When it runs past :data:`MAX_VARINT_BYTES` bytes.
    IndexError
        When ``data`` ends inside it.
    """
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
        if shift >= 7 * MAX_VARINT_BYTES:
            raise ValueError("varint too long")


def encode_varint(value: int) -> bytes:
    """``value`` (not negative) as a varint."""
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def message_fields(
    data: bytes, start: int = 0, end: int | None = None
) -> Iterator[tuple[int, int, int]]:
    """The fields of the protobuf message ``data[start:end]``: ``(number, a, b)``.

    For a length-delimited field ``a:b`` is its span in ``data``; for a varint ``a`` is its
    value and ``b`` is -1; fixed-size fields are skipped.

    Raises
    ------
    ValueError
        When a field runs past the message's end, or has a wire type PBF does not use.
    """
    end = len(data) if end is None else end
    pos = start
    while pos < end:
        key, pos = read_varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = read_varint(data, pos)
            yield number, value, -1
        elif wire == 2:
            length, pos = read_varint(data, pos)
            if pos + length > end:
                raise ValueError("field beyond its message")
            yield number, pos, pos + length
            pos += length
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        else:
            raise ValueError(f"unexpected wire type {wire}")


__all__ = ["MAX_VARINT_BYTES", "encode_varint", "message_fields", "read_varint"]
