"""OpenStreetMap's ``name:zh`` and ``name:en`` become the features' ``name_zh``/``name_en``.

The reader of local files (pyosmium, :mod:`geo.io.osm_stream`, through a band for
:mod:`geo.io.osm_features` or whole) builds features through
:meth:`layers.base.LayerSpec.normalise`, which reads the tags
(:func:`layers.base.name_tags`). Checked on the real extracts in
``../shared/osm`` (skipped when absent) against their own tags, read here with pyosmium,
and on a small OSM file written here with the tags a Chinese expressway carries, through
to the export's columns and the popup's facts.
"""

from __future__ import annotations

from pathlib import Path

import osmium
import pytest
import shapely

from geo.feature_facts import feature_facts
from geo.io.osm_features import features_from_file
from geo.io.osm_stream import read_osm
from geo.pair_export import names_zh_en
from layers import NAME_TAGS, REGISTRY, name_tags

LAYERS = list(REGISTRY)
WORLD = shapely.box(-180, -90, 180, 90)


def _raw_tags(path: Path) -> dict[str, dict[str, str]]:
    """Every node's and way's tags by the id the readers give it (``osm:way/1``)."""
    out = {}
    for item in osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY):
        kind = "way" if isinstance(item, osmium.osm.Way) else "node"
        out[f"osm:{kind}/{item.id}"] = {t.k: t.v for t in item.tags}
    return out


def _check_names_are_the_tags(layers: dict, tags_of: dict[str, dict[str, str]]) -> dict:
    """Each feature's ``name_zh``/``name_en`` is its tags'; the counts of each."""
    counted = {"features": 0, "name_zh": 0, "name_en": 0}
    for frame in layers.values():
        for fid, zh, en in zip(frame["id"], frame["name_zh"], frame["name_en"], strict=True):
            wanted = name_tags(tags_of[fid])
            assert (zh, en) == (wanted["name_zh"], wanted["name_en"]), fid
            counted["features"] += 1
            counted["name_zh"] += bool(zh)
            counted["name_en"] += bool(en)
    return counted


def _tagged(tags_of: dict[str, dict[str, str]], ids: set[str]) -> dict[str, int]:
    """How many of ``ids`` carry each language's name tag, read from the raw data."""
    return {
        column: sum(1 for i in ids if any(tags_of[i].get(k, "").strip() for k in keys))
        for column, keys in NAME_TAGS.items()
    }


def test_monaco_names_are_its_tags(monaco_path):
    layers, _stamp = features_from_file(monaco_path, WORLD, LAYERS)  # OSM XML, a band
    tags_of = _raw_tags(monaco_path)
    counted = _check_names_are_the_tags(layers, tags_of)
    ids = {str(i) for f in layers.values() for i in f["id"]}
    assert counted["features"] == len(ids) > 0
    assert {k: counted[k] for k in NAME_TAGS} == _tagged(tags_of, ids)


def test_andorra_names_are_its_tags(andorra_path):
    data = read_osm(andorra_path, LAYERS)  # pyosmium (PBF)
    tags_of = _raw_tags(andorra_path)
    counted = _check_names_are_the_tags(data.layers, tags_of)
    ids = {str(i) for f in data.layers.values() for i in f["id"]}
    assert counted["features"] == len(ids) > 0
    assert {k: counted[k] for k in NAME_TAGS} == _tagged(tags_of, ids)
    # The extract's ways with a name:en are borders, none a layer's feature: the layers'
    # names fall back to ``name`` (Latin script: English) in the exports.
    boundary = {i for i, t in tags_of.items() if t.get("boundary") and t.get("name:en")}
    assert boundary and not boundary & ids


_OSM = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="jiegui test">
  <node id="1" lat="30.80" lon="120.90" version="1"/>
  <node id="2" lat="30.90" lon="121.00" version="1"/>
  <node id="3" lat="30.70" lon="120.80" version="1"/>
  <node id="4" lat="30.75" lon="120.95" version="1"/>
  <way id="10" version="1">
    <nd ref="1"/><nd ref="2"/>
    <tag k="highway" v="motorway"/><tag k="ref" v="G60"/>
    <tag k="name" v="沪杭高速公路"/><tag k="name:en" v="Shanghai–Hangzhou Expressway"/>
  </way>
  <way id="11" version="1">
    <nd ref="3"/><nd ref="4"/>
    <tag k="highway" v="trunk"/><tag k="name" v="Hangzhou Bay Road"/>
    <tag k="name:zh-Hans" v="杭州湾大道"/>
  </way>
  <way id="12" version="1">
    <nd ref="1"/><nd ref="3"/>
    <tag k="highway" v="primary"/><tag k="name" v="平湖大道"/>
  </way>
</osm>
"""


@pytest.mark.parametrize("reader", ["band", "whole"])
def test_name_tags_reach_the_exports_and_popups(tmp_path, reader):
    path = tmp_path / "names.osm"
    path.write_text(_OSM, encoding="utf-8")
    if reader == "band":
        layers, _stamp = features_from_file(path, WORLD, ["highways"])
    else:
        layers = read_osm(path, ["highways"]).layers
    roads = layers["highways"].set_index("id")
    zh, en = names_zh_en(roads)
    names = dict(zip(roads.index, zip(zh, en, strict=True), strict=True))
    # Tagged names win; a missing one is ``name`` when written in that language's script.
    assert names == {
        "osm:way/10": ("沪杭高速公路", "Shanghai–Hangzhou Expressway"),
        "osm:way/11": ("杭州湾大道", "Hangzhou Bay Road"),
        "osm:way/12": ("平湖大道", ""),
    }
    for fid, (name_zh, name_en) in names.items():
        facts = feature_facts(roads.loc[fid].to_dict())
        assert (facts.name_zh, facts.name_en) == (name_zh, name_en), fid
