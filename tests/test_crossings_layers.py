"""A layer's count never depends on the other layers counted with it.

The Monaco railway ran 1.1 km along the border when railways were counted alone, and 0
once highways (or waterways) were counted too: its along row came out as
``Monaco – Monaco`` and the summary dropped it. Every layer's rows are put on the reported
region's side together (:func:`geo.regions.orient`), and the in-place swap that did it went
wrong when the other layers' rows had made the ``a`` and ``b`` columns share one block of
objects.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from geo.regions import orient
from helpers.synthetic import box, regions

TWO = {"A": box(0, 0, 10, 10), "B": box(10, 0, 20, 10)}


def object_block(frame):
    """``frame`` with its text columns as objects in one block, as concatenating makes them."""
    text = {c: object for c in frame.columns if frame[c].dtype != float}
    return frame.astype(text).copy()


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (["A", "C"], ["B", "B"], [["B", "A"], ["B", "C"]]),
        (["A", "B", "A"], ["B", "C", "C"], [["B", "A"], ["B", "C"], ["A", "C"]]),
    ],
)
def test_orient_swaps_text_columns_that_share_one_block(a, b, expected):
    frame = object_block(pd.DataFrame({"a": a, "b": b, "metres": [1.0, 2.0, 3.0][: len(a)]}))
    before = frame.copy()
    got = orient(frame, "B")
    assert got[["a", "b"]].to_numpy().tolist() == expected
    assert got["metres"].tolist() == before["metres"].tolist()
    pd.testing.assert_frame_equal(frame, before)


def test_focus_swaps_pairs_that_share_one_block():
    region_set = regions(TWO)
    odd = dataclasses.replace(region_set, pairs=object_block(region_set.pairs))
    assert odd.focus("B").pairs[["a", "b"]].to_numpy().tolist() == [["B", "A"]]
