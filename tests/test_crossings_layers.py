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

from geo.analysis import count_crossings
from geo.io.sources import load_source
from geo.regions import orient
from helpers.synthetic import box, features, line, regions

TWO = {"A": box(0, 0, 10, 10), "B": box(10, 0, 20, 10)}


def layer_rows(result, layer):
    """The interfaces, along rows and summary rows of one layer, comparable across counts."""
    interfaces = result.interfaces[result.interfaces["layer"] == layer]
    interfaces = pd.DataFrame(interfaces).assign(geometry=interfaces.geometry.to_wkt())
    along = result.along[result.along["layer"] == layer]
    summary = result.summary[result.summary["layer"] == layer]
    return [pd.DataFrame(f).reset_index(drop=True) for f in (interfaces, along, summary)]


def assert_same_rows(alone, together, layer):
    for got, expected in zip(layer_rows(together, layer), layer_rows(alone, layer), strict=True):
        # A count with no interfaces at all gives them as an empty frame of objects; no
        # rows, nothing to differ but the columns.
        empty = got.empty and expected.empty
        pd.testing.assert_frame_equal(got, expected, check_dtype=not empty)


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


def along_railway():
    """A railway running 6 km along the A|B border, wandering 30 m either side, into B."""
    pts = [(10 + (0.03 if k % 2 else -0.03), 2 + k * 0.5) for k in range(13)]
    return features(
        "railways",
        [{"railway": "rail", "name": "Border line", "geometry": line((5, 1), *pts, (15, 9))}],
    )


@pytest.mark.parametrize("region", ["A", "B", None])
def test_railway_rows_do_not_depend_on_the_other_layers(region):
    region_set = regions(TWO)
    railways = along_railway()
    road = features(
        "highways", [{"highway": "primary", "ref": "S1", "geometry": line((5, 0.5), (15, 0.5))}]
    )
    river = features(
        "waterways",
        [
            {
                "waterway": "river",
                "name": "R",
                "geometry": line((5, 9.5), *[(10.02, 9.5 - k * 0.5) for k in range(9)], (5, 5)),
            }
        ],
    )
    alone = count_crossings({"railways": railways}, region_set, region=region)
    assert alone.along["metres"].sum() > 5000  # the case has an along stretch to lose
    for others in (
        {"highways": road},
        {"waterways": river},
        {"highways": road, "waterways": river},
    ):
        together = count_crossings({**others, "railways": railways}, region_set, region=region)
        assert_same_rows(alone, together, "railways")
        for name, frame in others.items():
            own = count_crossings({name: frame}, region_set, region=region)
            assert_same_rows(own, together, name)


@pytest.mark.shared
@pytest.mark.parametrize("others", [["highways"], ["waterways"], ["highways", "waterways"]])
def test_monaco_railway_rows_do_not_depend_on_the_other_layers(monaco_path, others):
    def count(names):
        source = load_source(str(monaco_path), region="Monaco", layer_names=names)
        return count_crossings(source.layers, source.region_set, region="Monaco")

    alone = count(["railways"])
    assert alone.along["metres"].sum() > 0  # the railway runs along the border
    together = count([*others, "railways"])
    assert_same_rows(alone, together, "railways")
