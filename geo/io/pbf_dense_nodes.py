"""The ids of a PBF file's nodes that carry a given key, read from its blocks with numpy.

The census (:func:`geo.io.input_limits.check_osm_file`) walks every block of a PBF file and
reads its string table anyway. Given a point layer's selection keys (``harbour``,
``landuse``, ...), it hands here each block whose string table holds one of them; the
block's nodes are decoded just far enough to tell which carry such a key: exactly the nodes
a pyosmium ``KeyFilter`` of those keys lets through. The nodes-and-ways pass can then let
them through with an ``IdFilter`` together with the census's marked nodes (which make the
progress reports and let Ctrl-C through while the nodes are decoded), where a ``KeyFilter``
cannot be combined with anything but AND (docs/osm-reading.md, "Progress and Ctrl-C").

The format (OSM PBF, ``osmformat.proto``): a ``PrimitiveBlock`` has a ``StringTable``
(field 1: every string of the block, each as field 1 of the table, index 0 the empty
string) and primitive groups (field 2). A group of dense nodes has one ``DenseNodes``
(field 2 of the group) whose columns are packed varints:

* ``id`` (field 1): sint64 (zigzag), each the difference from the node before;
* ``keys_vals`` (field 10): int32 string-table indices, for each node its keys and values
  in turn and a 0 after them; empty when no node of the group has a tag.

Plain ``Node`` messages (field 1 of a group) are not decoded: a block holding them whose
string table has a key makes the collection unavailable (:attr:`KeyedNodes.available`), and
the reader falls back to the ``KeyFilter``. So does a block it cannot make sense of (a
varint of more than 10 bytes, a node's key without a value, more tag lists than nodes) and
more than :data:`MAX_KEYED_NODES` ids. Every column is decoded at once (:func:`varints`):
no Python loop per node.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from geo.io.protobuf_wire import MAX_VARINT_BYTES, message_fields, read_varint

#: Keyed node ids the census collects at most (8 bytes each in the census, about 36 bytes
#: each in the list an ``IdFilter`` is built from); past it the reader uses the
#: ``KeyFilter`` (docs/osm-reading.md, "Progress and Ctrl-C").
MAX_KEYED_NODES = 1_000_000
#: Every byte below 0x80 (a varint's last): deleting them from a packed column leaves one
#: byte per continuation, so ``len(column) - len(column.translate(None, _LOW_BYTES))`` values.
_LOW_BYTES = bytes(range(0x80))
#: A primitive group's first byte: a plain ``Node`` (field 1) or a ``DenseNodes`` (field 2),
#: both length-delimited.
_PLAIN_NODE, _DENSE_NODES = 0x0A, 0x12


def varints(data: bytes, start: int, end: int) -> np.ndarray:
    """The packed varints of ``data[start:end]``, decoded at once (uint64).

    Raises
    ------
    ValueError
        When the last varint is cut short, or one is longer than 10 bytes.
    """
    raw = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
    if raw.size == 0:
        return np.zeros(0, dtype=np.uint64)
    last = raw < 0x80
    if not last[-1]:
        raise ValueError("varint cut short")
    ends = np.flatnonzero(last)
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    lengths = ends - starts + 1
    if int(lengths.max()) > MAX_VARINT_BYTES:
        raise ValueError("varint too long")
    shifts = (np.arange(raw.size) - np.repeat(starts, lengths)).astype(np.uint64) * np.uint64(7)
    parts = (raw & 0x7F).astype(np.uint64) << shifts
    return np.bitwise_or.reduceat(parts, starts)


def dense_ids(data: bytes, start: int, end: int) -> np.ndarray:
    """A DenseNodes ``id`` column (zigzag deltas) as the nodes' ids (int64)."""
    zigzag = varints(data, start, end)
    deltas = (zigzag >> np.uint64(1)).astype(np.int64) ^ -(zigzag & np.uint64(1)).astype(np.int64)
    return np.cumsum(deltas)


def keyed_positions(keys_vals: np.ndarray, keys: np.ndarray, nodes: int) -> np.ndarray:
    """The positions (0 ... ``nodes`` - 1) of the nodes with a key among ``keys``.

    ``keys_vals`` is a DenseNodes ``keys_vals`` column, ``keys`` the string-table indices
    of the keys looked for.

    Raises
    ------
    ValueError
        When a node's key has no value (a value 0 reads so too: libosmium would take it
        for a value, and a node's tags cannot then be told apart here), or there are more
        tag lists than nodes.
    """
    if keys_vals.size == 0:
        return np.zeros(0, dtype=np.int64)
    ends = keys_vals == 0
    if not ends[-1]:  # the last node's tags without their 0: libosmium reads them so
        keys_vals, ends = np.append(keys_vals, 0), np.append(ends, True)
    stops = np.flatnonzero(ends)
    if stops.size > nodes:
        raise ValueError("more tag lists than nodes")
    firsts = np.empty_like(stops)
    firsts[0] = 0
    firsts[1:] = stops[:-1] + 1
    tags_of = stops - firsts  # keys and values of each node
    if np.any(tags_of & 1):
        raise ValueError("a key without its value")
    node_of = np.repeat(np.arange(stops.size), tags_of + 1)
    is_key = ((np.arange(keys_vals.size) - np.repeat(firsts, tags_of + 1)) & 1) == 0
    hit = is_key & ~ends & np.isin(keys_vals, keys)
    return np.unique(node_of[hit])


def string_indices(block: bytes, start: int, end: int, entries: Iterable[bytes]) -> list[int]:
    """The string-table indices of ``block[start:end]`` whose entry is one of ``entries``.

    An entry is a string as the table has it (field 1, its length, its bytes). Only the
    table up to the last place one of them is found is walked.
    """
    found: set[int] = set()
    for entry in entries:
        at = block.find(entry, start, end)
        while at >= 0:
            found.add(at)
            at = block.find(entry, at + 1, end)
    if not found:
        return []
    last = max(found)
    indices: list[int] = []
    index, pos = 0, start
    while pos <= last:
        if block[pos] != 0x0A:
            raise ValueError("not a string table")
        if pos in found:
            indices.append(index)
        length, pos = block[pos + 1], pos + 2
        if length >= 0x80:
            length, pos = read_varint(block, pos - 1)
        pos += length
        index += 1
    return indices


@dataclass
class KeyedNodes:
    """The ids of the nodes with one of some keys, block by block (:meth:`take_block`).

    Attributes
    ----------
    entries
        The keys as a string table has them (field 1, the length, the UTF-8 bytes).
    available
        False once a block could not be decoded, held plain nodes with a key in its string
        table, or the ids passed :data:`MAX_KEYED_NODES`; the ids are then not known.
    """

    entries: tuple[bytes, ...]
    available: bool = True
    parts: list[np.ndarray] = field(default_factory=list)
    count: int = 0

    def has_key(self, block: bytes, start: int, end: int) -> bool:
        """Whether the string table ``block[start:end]`` may hold one of the keys."""
        return any(block.find(entry, start, end) >= 0 for entry in self.entries)

    def take_block(
        self, block: bytes, strings: tuple[int, int], groups: list[tuple[int, int]]
    ) -> None:
        """Collect the keyed nodes of a block (its string table's span, its groups' spans).

        Call it only for a block whose string table may hold a key (:meth:`has_key`).
        """
        nodes = [(a, b) for a, b in groups if a < b and block[a] in (_PLAIN_NODE, _DENSE_NODES)]
        if not self.available or not nodes:  # a block of ways or relations: nothing to do
            return
        try:
            keys = np.array(string_indices(block, *strings, self.entries), dtype=np.int64)
            if keys.size == 0:
                return
            for start, end in nodes:
                if block[start] == _PLAIN_NODE:
                    raise ValueError("plain nodes: not decoded here")
                self._take_group(block, start, end, keys)
        except (ValueError, IndexError):
            self.give_up()

    def _take_group(self, block: bytes, start: int, end: int, keys: np.ndarray) -> None:
        """Collect the keyed nodes of a group whose first field is a DenseNodes.

        The tags are decoded first; the ids only when a node has one of the keys (a block
        whose string table has a key as a value only costs its tags' column).
        """
        dense = _message(block, start, end, 2)
        if dense[1] < end:  # anything after the DenseNodes: plain nodes, another DenseNodes
            raise ValueError("more than one message in a group of dense nodes")
        columns = dict(_length_delimited(block, *dense))
        if 1 not in columns or 10 not in columns:
            return
        id_start, id_end = columns[1]
        column = block[id_start:id_end]
        nodes = len(column) - len(column.translate(None, _LOW_BYTES))
        keys_vals = varints(block, *columns[10]).astype(np.int64)
        positions = keyed_positions(keys_vals, keys, nodes)
        if positions.size == 0:
            return
        found = dense_ids(block, id_start, id_start + _prefix(column, int(positions[-1]) + 1))
        found = found[positions]
        self.parts.append(found)
        self.count += found.size
        if self.count > MAX_KEYED_NODES:
            self.give_up()

    def give_up(self) -> None:
        """The ids cannot be known (the reader falls back to the ``KeyFilter``)."""
        self.available = False
        self.parts.clear()
        self.count = 0

    def ids(self) -> np.ndarray | None:
        """The ids collected, in file order (None when not :attr:`available`)."""
        if not self.available:
            return None
        if not self.parts:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate(self.parts)


def _prefix(column: bytes, count: int) -> int:
    """The bytes of the first ``count`` varints of a packed column (it holds at least so many)."""
    ends = np.flatnonzero(np.frombuffer(column, dtype=np.uint8) < 0x80)
    return int(ends[count - 1]) + 1


def _message(block: bytes, start: int, end: int, number: int) -> tuple[int, int]:
    """The span of the length-delimited field ``number`` that starts ``block[start:end]``."""
    key, pos = read_varint(block, start)
    if key != (number << 3 | 2):
        raise ValueError("unexpected field")
    length, pos = read_varint(block, pos)
    if pos + length > end:
        raise ValueError("field beyond its message")
    return pos, pos + length


def _length_delimited(block: bytes, start: int, end: int) -> Iterator[tuple[int, tuple[int, int]]]:
    """The length-delimited fields of a message: ``(number, (start, end))``; others skipped."""
    for number, first, last in message_fields(block, start, end):
        if last >= 0:
            yield number, (first, last)


__all__ = [
    "MAX_KEYED_NODES",
    "KeyedNodes",
    "dense_ids",
    "keyed_positions",
    "string_indices",
    "varints",
]
