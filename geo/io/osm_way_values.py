"""Which ways the layers of an OSM read want, told from their tags.

:class:`WayValues` gathers the layers' keys and values (:attr:`layers.base.LayerSpec.osm_tags`)
into the tests the reader of :mod:`geo.io.osm_stream` needs: the keys taken with any value
(their values in the file are found by the relations pass), the (key, value) pairs that
select the ways in C++ (a ``TagFilter``), and, per way, whether a layer may want it and
whether it is under construction (pyosmium's C++ tag look-ups, no Python wrapper: about half
the cost per way).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Any

from layers import LayerSpec
from layers.base import LIFECYCLE_STATUS


class WayValues:
    """Which ways the layers want, by their tags (keys and values of ``osm_tags``).

    With ``lifecycle``, a lifecycle key of a layer's main key (``disused:harbour``) counts
    too, with any value: :meth:`layers.base.LayerSpec.normalise` reads it, so a way with
    such a key and a layer's key of another value (``landuse=industrial``) may still be
    taken; without, such a way is not looked at (it is documented as a difference).
    """

    def __init__(self, specs: Sequence[LayerSpec], *, lifecycle: bool = False) -> None:
        merged: dict[str, set[str] | None] = {}
        if lifecycle:
            merged.update(
                (f"{prefix}:{spec.main_key}", None) for spec in specs for prefix in LIFECYCLE_STATUS
            )
        for spec in specs:
            for key, value in spec.osm_tags.items():
                if value is True or (key in merged and merged[key] is None):
                    merged[key] = None
                else:
                    found = merged.setdefault(key, set())
                    if found is not None:
                        found.update([value] if isinstance(value, str) else value)
        self.tests = [(k, None if v is None else frozenset(v)) for k, v in merged.items()]
        #: The keys taken with any value, and the (key, value) pairs of the others.
        self.any_keys = [k for k, v in self.tests if v is None]
        self.pairs = {(k, value) for k, v in self.tests if v is not None for value in v}
        mains = sorted({spec.main_key for spec in specs})
        #: (main key, its ``construction:`` key): a way is under construction by either.
        self.mains = mains
        self.building = [(key, f"construction:{key}") for key in mains]
        #: The main keys' ``construction:`` keys: the relations pass notes the ways that
        #: carry one (:meth:`under_construction`'s ``tagged``).
        self.construction_keys = [prefixed for _, prefixed in self.building]

    def any_value(self, raw: Any) -> bool:
        """Whether a way carries one of the layers' keys with one of its values."""
        get = raw.tags_get_value_by_key
        for key, allowed in self.tests:
            value = get(key, None)
            if value is not None and (allowed is None or value in allowed):
                return True
        return False

    def under_construction(self, raw: Any, *, tagged: bool = True) -> bool:
        """Whether a way is under construction (kept wherever it is: the overdue warning).

        It is when a layer's main key says ``construction``, or when it has the
        ``construction:`` key without the main key.

        Parameters
        ----------
        raw
            pyosmium's C++ way (``Way._pyosmium_data``).
        tagged
            Whether the way may carry one of :attr:`construction_keys`: when the relations
            pass found it has none (False), they are not looked up, one look-up per main
            key instead of two.
        """
        get = raw.tags_get_value_by_key
        if not tagged:  # the look-ups in C (``map``), no Python frame per key
            return "construction" in map(get, self.mains, repeat(None))
        for key, prefixed in self.building:
            value = get(key, None)
            if value == "construction" or (not value and get(prefixed, None)):
                return True
        return False


__all__ = ["WayValues"]
