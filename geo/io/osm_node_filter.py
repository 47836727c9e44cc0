"""Which nodes reach Python in the nodes-and-ways pass (:meth:`geo.io.osm_stream._WayReader.read`).

pyosmium decodes the nodes in C++ holding Python's lock; only the nodes a filter lets
through give Python a moment to report progress and take Ctrl-C. Those are:

* a point layer's nodes (those with one of its selection keys), read as points;
* the census's marked nodes (:class:`geo.io.input_limits.Marks`, the first of about every
  block), not read as data: they only place the pass in the file.

pyosmium's filters combine with AND only, so a ``KeyFilter`` of the point layer's keys
cannot let the marked nodes through beside its own. When the census collected the ids of
the keyed nodes (:meth:`geo.io.input_limits.Census.keyed_node_ids`), one ``IdFilter`` of
both sets takes its place; otherwise (an XML file, plain nodes, too many keyed nodes or
ids too spread out) the ``KeyFilter`` stays, and the nodes give reports only as often as
the file has keyed ones.

When the pass reads pass 2's copy of a PBF file (:mod:`geo.io.pbf_copies`), that copy has a
mark of its own before each block of nodes, tagged with a key of its own: one ``KeyFilter``
of that key and the point layers' keys then lets both through, whatever the ids, and what
follows is not needed. It is for the file read itself (an XML file, a copy not written).

An ``IdFilter`` (libosmium's ``IdSetDense``) takes 4 MB for every range of 2**25 ids that
holds one of its ids (:data:`ID_CHUNK_BITS`; measured: 100 ids 2**25 apart took 400 MB, 100
ids 2**26 apart too, 100 ids 2**24 apart 200 MB, 32 ids 2**25 apart 128 MB), whatever the
number of ids: an extract of the planet has its ids spread up to about 1.3e10, and the
census's 4,096 marks there took 1,554 MB. The ids are chosen so that they hold at most
:data:`MAX_ID_CHUNKS` ranges: the keyed nodes' all (or the ``KeyFilter``), and as many
marks, spread over the file, as the rest allows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import osmium

from geo.io.input_limits import Census
from geo.io.pbf_copies import MARK_KEY

#: An ``IdFilter`` holds its ids in bit sets of 2**25 ids (4 MB) each (measured).
ID_CHUNK_BITS = 25
#: Bit sets an ``IdFilter`` of the pass may hold: 128 MB at most (5 % of the 2.72 GB the
#: 150 M-node file's ``--all-regions`` took at its peak; the 10 M-node file's ids, 1 to
#: 9.8 M, hold one).
MAX_ID_CHUNKS = 32

NodeFilter = osmium.filter.KeyFilter | osmium.filter.IdFilter | osmium.filter.EntityFilter


def node_filter(
    point_keys: Sequence[str], census: Census, *, marked: bool = False
) -> tuple[NodeFilter, frozenset[int]]:
    """The filter of the nodes that reach Python, and the marked ones among them not read.

    Parameters
    ----------
    point_keys
        The point layers' selection keys (none without a point layer).
    census
        The file's census (its marks, and the keyed nodes' ids when it could collect them).
    marked
        Whether the pass reads a copy with a mark before each block of nodes
        (:attr:`geo.io.pbf_copies.CopyRequest.markers`): then one ``KeyFilter`` of
        :data:`~geo.io.pbf_copies.MARK_KEY` and the point layers' keys lets through the
        marks and the point layers' nodes, however spread the ids, and none of the
        census's marked ids is needed.

    Returns
    -------
    (filter, frozenset of int)
        The filter, enabled for nodes, and the ids of the nodes it lets through that only
        place the pass (read no further; empty with a ``KeyFilter``).
    """
    chosen: osmium.filter.KeyFilter | osmium.filter.IdFilter | osmium.filter.EntityFilter
    only_marks: frozenset[int] = frozenset()
    if marked:
        chosen = osmium.filter.KeyFilter(MARK_KEY, *point_keys)
        chosen.enable_for(osmium.osm.NODE)
        return chosen, only_marks
    marks = np.array(census.node_marks.ids, dtype=np.int64)
    keyed = census.keyed_node_ids() if point_keys else np.zeros(0, dtype=np.int64)
    ids = None if keyed is None else filter_ids(keyed, marks)
    if keyed is None or ids is None:
        chosen = osmium.filter.KeyFilter(*point_keys)
    elif ids.size:
        chosen = osmium.filter.IdFilter(ids.tolist())
        only_marks = frozenset(np.setdiff1d(ids, keyed).tolist())
    else:  # no node is wanted, and no mark
        return osmium.filter.EntityFilter(osmium.osm.WAY), only_marks
    chosen.enable_for(osmium.osm.NODE)
    return chosen, only_marks


def filter_ids(keyed: np.ndarray, marked: np.ndarray) -> np.ndarray | None:
    """The ids of an ``IdFilter`` of every keyed node and as many marks as the bound allows.

    Every keyed node's id, and the marks in the same ranges of 2**25 ids; then marks in
    other ranges, evenly spread, up to :data:`MAX_ID_CHUNKS` ranges in all. None when the
    keyed ids alone pass the bound, or one is negative (an ``IdFilter`` takes none).
    """
    if keyed.size and (int(keyed.min()) < 0 or _chunks(keyed).size > MAX_ID_CHUNKS):
        return None
    marked = marked[marked >= 0]
    taken = _chunks(keyed)
    free = np.isin(marked >> ID_CHUNK_BITS, taken)
    others = np.unique(marked[~free] >> ID_CHUNK_BITS)
    room = MAX_ID_CHUNKS - taken.size
    if others.size > room:
        others = (
            others[np.linspace(0, others.size - 1, room).round().astype(np.int64)]
            if room
            else others[:0]
        )
    chosen = marked[free | np.isin(marked >> ID_CHUNK_BITS, others)]
    return np.union1d(keyed, chosen)


def _chunks(ids: np.ndarray) -> np.ndarray:
    """The ranges of 2**25 ids that hold ``ids`` (sorted, once each)."""
    return np.unique(ids >> ID_CHUNK_BITS)


__all__ = ["ID_CHUNK_BITS", "MAX_ID_CHUNKS", "filter_ids", "node_filter"]
