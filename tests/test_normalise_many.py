"""``LayerSpec.normalise_many`` and ``normalise_table``: the rules run once per kind.

It is exact only if every layer's rules read no tag key beyond :meth:`LayerSpec.memo_keys`
and the text keys: a recording mapping tells which keys each layer looks up, on the real
extracts' tags and on drawn ones, and the many-feature result is compared with
:meth:`LayerSpec.normalise` feature by feature; the frame built from the table
(:func:`geo.io.normalised.normalised_frame`) with the frame of the dicts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path

import osmium
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.io.normalised import normalised_frame
from layers import REGISTRY, TEXT_KEYS, LayerSpec

SPECS = list(REGISTRY.values())


class Recording(Mapping[str, str]):
    """Tags that note every key looked up; iterating them counts as reading every key."""

    def __init__(self, tags: Mapping[str, str]) -> None:
        self.tags = dict(tags)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return self.tags[key]

    def __iter__(self) -> Iterator[str]:
        self.read.add("*every key*")
        return iter(self.tags)

    def __len__(self) -> int:
        self.read.add("*every key*")
        return len(self.tags)


def _unlisted_reads(spec: LayerSpec, tags: Mapping[str, str]) -> set[str]:
    recording = Recording(tags)
    spec.normalise(recording, feature_id="x", source="s")
    return recording.read - set(spec.memo_keys()) - set(TEXT_KEYS)


def _values(spec: LayerSpec) -> list[str]:
    """Values that reach the rules' branches: the layer's own, lifecycle words, counts."""
    selected = [v for vs in spec.osm_tags.values() if isinstance(vs, list) for v in vs]
    return [
        *selected,
        *spec.classes,
        "construction", "proposed", "disused", "abandoned", "yes", "no", "-1", "main",
        "freight", "maglev", "container", "port", "harbour", "gas", "2", "2;3", "2-3",
        "2.5", "IV", "Va", "300;350", "186 mph", "1200 mm", "2008-05-01", "~1855", "",
        "A 8;E 52", " ",
    ]  # fmt: skip


def _tag_sets(spec: LayerSpec) -> st.SearchStrategy[dict[str, str]]:
    keys = [*spec.memo_keys(), *TEXT_KEYS, "surface", "lanes:psv", "maxspeed:forward"]
    return st.dictionaries(st.sampled_from(keys), st.sampled_from(_values(spec)), max_size=12)


def _file_tags(path: Path) -> list[dict[str, str]]:
    """Every node's and way's tags in a real extract, with at least one tag."""
    found = []
    for obj in osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY):
        if len(obj.tags):
            found.append({tag.k: tag.v for tag in obj.tags})
    return found


@pytest.fixture(scope="module")
def real_tags(monaco_path: Path, andorra_path: Path) -> list[dict[str, str]]:
    return _file_tags(monaco_path) + _file_tags(andorra_path)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_the_rules_read_no_key_unlisted_on_real_tags(
    spec: LayerSpec, real_tags: list[dict[str, str]]
) -> None:
    unlisted: set[str] = set()
    for tags in real_tags:
        unlisted |= _unlisted_reads(spec, tags)
    assert not unlisted, f"{spec.name} reads {sorted(unlisted)}: add them to its rule_keys"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_the_rules_read_no_key_unlisted_on_drawn_tags(spec: LayerSpec) -> None:
    @given(_tag_sets(spec))
    def check(tags: dict[str, str]) -> None:
        assert not _unlisted_reads(spec, tags)

    check()


def test_a_missing_rule_key_is_caught() -> None:
    """The check above can fail: railways without ``maxspeed`` among its rule keys."""
    spec = REGISTRY["railways"]
    short = dataclasses.replace(spec, rule_keys=tuple(k for k in spec.rule_keys if k != "maxspeed"))
    assert _unlisted_reads(short, {"railway": "rail", "maxspeed": "300"}) == {"maxspeed"}
    tags = [{"railway": "rail", "usage": "main", "maxspeed": m} for m in ("120", "300")]
    many = short.normalise_many(tags, ["a", "b"], "s")
    assert [m["class"] for m in many if m] == ["conventional", "conventional"]  # wrong: memo
    assert [spec.normalise(t, feature_id="b", source="s")["class"] for t in tags] == [  # type: ignore[index]
        "conventional",
        "high_speed",
    ]


def _each(spec: LayerSpec, tags: list[dict[str, str]], sources: list[str]) -> list[object]:
    return [
        spec.normalise(t, feature_id=f"f{n}", source=s)
        for n, (t, s) in enumerate(zip(tags, sources, strict=True))
    ]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_many_equals_one_by_one_on_drawn_tags(spec: LayerSpec) -> None:
    @given(st.lists(_tag_sets(spec), max_size=30), st.data())
    def check(tags: list[dict[str, str]], data: st.DataObject) -> None:
        # Shared rule values with other texts: the same kind met again, names differing.
        tags = tags + [{**t, "name": "其他", "ref": "G60;G60 ; S1"} for t in tags]
        ids = [f"f{n}" for n in range(len(tags))]
        sources = data.draw(
            st.lists(st.sampled_from(["a", "b"]), min_size=len(tags), max_size=len(tags))
        )
        assert spec.normalise_many(tags, ids, sources) == _each(spec, tags, sources)
        assert spec.normalise_many(tags, ids, "a") == _each(spec, tags, ["a"] * len(tags))

    check()


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_many_equals_one_by_one_on_real_tags(
    spec: LayerSpec, real_tags: list[dict[str, str]]
) -> None:
    ids = [f"f{n}" for n in range(len(real_tags))]
    many = spec.normalise_many(real_tags, ids, "osm")
    assert many == _each(spec, real_tags, ["osm"] * len(real_tags))


def test_real_tags_share_their_rule_values(real_tags: list[dict[str, str]]) -> None:
    """Most roads of the extracts share their rule values with another: what the memo saves."""
    spec = REGISTRY["highways"]
    roads = [t for t, m in zip(real_tags, _each(spec, real_tags, ["s"] * len(real_tags))) if m]
    kinds = {tuple(map(t.get, spec.memo_keys())) for t in roads}
    assert len(roads) > 1000
    assert len(kinds) < len(roads) / 3


def test_counts_must_match() -> None:
    with pytest.raises(ValueError):
        REGISTRY["highways"].normalise_many([{"highway": "primary"}], [], "s")


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_the_frame_of_a_table_equals_the_frame_of_its_dicts(spec: LayerSpec) -> None:
    @given(st.lists(_tag_sets(spec), min_size=1, max_size=30))
    def check(tags: list[dict[str, str]]) -> None:
        tags = tags + [{**t, "name": "其他", "name:en": "Other"} for t in tags]
        table = spec.normalise_table(tags, [f"f{n}" for n in range(len(tags))], "s")
        if table.taken:
            pd.testing.assert_frame_equal(normalised_frame(table), pd.DataFrame(table.rows()))

    check()


def test_the_frame_of_real_tags_equals_the_frame_of_their_dicts(
    real_tags: list[dict[str, str]],
) -> None:
    table = REGISTRY["highways"].normalise_table(
        real_tags, [f"f{n}" for n in range(len(real_tags))], "osm"
    )
    assert len(table.taken) > 1000 and len(table.kinds) < len(table.taken) / 3
    pd.testing.assert_frame_equal(normalised_frame(table), pd.DataFrame(table.rows()))
