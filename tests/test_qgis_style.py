"""The QGIS styles of the exports draw what the map draws: they are sampled from the spec.

Each style is read back as XML and its colours, dashes and data-defined widths are compared
with what :attr:`layers.base.LayerSpec.style` and :mod:`layers.drawing` give, so that a
change of the map's style changes the QGIS styles and a second copy could not drift.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from geo.history import capacity_column
from geo.io import qgis_style
from geo.io.qgis_style import MM_PER_PX, table_style
from geo.io.sources import load_source
from layers import REGISTRY, STATUSES, drawing, highways

LINES = [n for n, spec in REGISTRY.items() if spec.geometry == "line"]
_CASE = re.compile(r'WHEN "(\w+)" (IS NULL|<= (\d+)) THEN ([\d.]+)')


def _root(text: str) -> ET.Element:
    assert text.startswith("<!DOCTYPE qgis")
    return ET.fromstring(text.split("\n", 1)[1])


def evaluate(expression: str, value: int | None) -> float:
    """Our ``CASE`` of bands at one value of its column (None: the column is empty)."""
    for _column, test, upto, result in _CASE.findall(expression):
        if (value is None and test == "IS NULL") or (
            value is not None and upto and value <= int(upto)
        ):
            return float(result)
    assert value is not None
    return float(re.search(r"ELSE ([\d.]+) END", expression).group(1))


def _props(symbol: ET.Element) -> dict[str, str]:
    return {p.get("k"): p.get("v") for p in symbol.iter("prop")}


def _expression(symbol: ET.Element, key: str) -> str | None:
    for option in symbol.iter("Option"):
        if option.get("name") == key and option.get("type") == "Map":
            return next(o.get("value") for o in option if o.get("name") == "expression")
    return None


def _leaves(root: ET.Element) -> list[tuple[list[str], ET.Element]]:
    """Each rule with a symbol: the filters above it and its symbol."""
    symbols = {s.get("name"): s for s in root.find("renderer-v2/symbols")}
    out = []

    def walk(rule: ET.Element, filters: list[str]) -> None:
        for child in rule.findall("rule"):
            here = [*filters, child.get("filter")]
            if child.get("symbol") is not None:
                out.append((here, symbols[child.get("symbol")]))
            walk(child, here)

    walk(root.find("renderer-v2/rules"), [])
    return out


_TEST = re.compile(
    r'(?:"(?P<column>\w+)"|coalesce\("(?P<negated>\w+)", \'\'\) NOT) IN \((?P<values>[^)]*)\)'
    r"|\"(?P<eq>\w+)\" = '(?P<value>[^']*)'"
)


def matches(expression: str, attrs: dict[str, str | None]) -> bool:
    """Our rules' filters (``"c" IN (…)``, ``coalesce("c", '') NOT IN (…)``, ``"c" = 'v'``,
    joined by ``AND`` and, in parentheses, by ``OR``) on one feature's attributes."""
    parts = expression.split(" OR ")
    for part in parts:
        if len(parts) > 1:
            assert part.startswith("(") and part.endswith(")"), expression
            part = part[1:-1]
        tests = part.split(" AND ")
        if all(_test(t, attrs) for t in tests):
            return True
    return False


def _test(text: str, attrs: dict[str, str | None]) -> bool:
    found = _TEST.fullmatch(text)
    assert found, text
    if found["eq"]:
        return attrs.get(found["eq"]) == found["value"]
    values = re.findall(r"'([^']*)'", found["values"])
    if found["negated"]:
        return (attrs.get(found["negated"]) or "") not in values
    return attrs.get(found["column"]) in values


def symbol_for(root: ET.Element, attrs: dict[str, str | None]) -> ET.Element:
    """The one symbol a feature with ``attrs`` is drawn with (the rules must not overlap)."""
    found = [s for filters, s in _leaves(root) if all(matches(f, attrs) for f in filters)]
    assert len(found) == 1, (attrs, len(found))
    return found[0]


def _value(filters: list[str], column: str) -> str | None:
    for text in filters:
        match = re.fullmatch(rf"\"{column}\" = '([^']*)'", text)
        if match:
            return match.group(1)
    return None


def _rgb(color: str) -> str:
    return ",".join(str(int(color.lstrip("#")[k : k + 2], 16)) for k in (0, 2, 4))


@pytest.mark.parametrize("layer", LINES)
def test_line_styles_are_the_maps(layer):
    """Every class (and one the layer does not know) and status: the symbol the rules
    pick has the spec's colour, dash and, at every capacity, width; one symbol per style."""
    spec = REGISTRY[layer]
    style = table_style(layer, ["id", "class", "status", "ref", "name_zh", "name_en",
                                capacity_column(layer)], [layer])  # fmt: skip
    root = _root(style.qml)
    for cls in [*spec.classes, "not_a_class", None]:
        for status in STATUSES:
            symbol = symbol_for(root, {"class": cls, "status": status})
            props = _props(symbol)
            for capacity in [None, 1, 2, 3, 4, 6, 8, 12, 40]:
                drawn_style = spec.style({"class": cls, "status": status, "capacity": capacity})
                assert props["line_color"] == _rgb(drawn_style.color) + ",255"
                width = _expression(symbol, "outlineWidth")
                mm = evaluate(width, capacity) if width else float(props["line_width"])
                wanted_mm = drawn_style.weight * MM_PER_PX
                assert mm == pytest.approx(wanted_mm, abs=1e-3), (cls, capacity)
                if drawn_style.dash_array:
                    dash = [float(d) for d in drawn_style.dash_array.split()]
                    wanted = ";".join(f"{d * MM_PER_PX:.3f}".rstrip("0").rstrip(".") for d in dash)
                    assert (props["use_custom_dash"], props["customdash"]) == ("1", wanted)
                else:
                    assert props["use_custom_dash"] == "0"
            assert float(symbol.get("alpha")) == drawing.LINE_OPACITY
    _one_symbol_per_style(root)


def _one_symbol_per_style(root: ET.Element) -> None:
    """No two rules draw alike: as many symbols as styles drawn (the rules group the rest)."""
    leaves = _leaves(root)
    shapes = [ET.tostring(s).replace(f'name="{s.get("name")}"'.encode(), b"") for _f, s in leaves]
    assert len(set(shapes)) == len(shapes)


def test_interface_markers_are_the_maps():
    columns = ["layer", "class", "status", "lanes", "tracks", "grade", "diameter_mm", "ref"]
    style = table_style("interfaces", [*columns, "name_zh", "name_en"], LINES)
    root = _root(style.qml)
    assert {_value(f, "layer") for f, _ in _leaves(root)} == set(LINES)
    for layer in LINES:
        spec = REGISTRY[layer]
        for cls in [*spec.classes, None]:
            for status in STATUSES:
                symbol = symbol_for(root, {"layer": layer, "class": cls, "status": status})
                props = _props(symbol)
                color = spec.style({"class": cls, "status": status, "capacity": None}).color
                assert props["color"].rsplit(",", 1)[0] == _rgb(color)
                assert props["outline_color"] == _rgb(drawing.MARKER_LINE) + ",255"
                assert (props["outline_style"] == "solid") == (status == "open")
                size = _expression(symbol, "size")
                for capacity in [None, 1, 4, 8, 12, 30]:
                    wanted = 2 * drawing.marker_radius(spec, capacity) * MM_PER_PX
                    assert evaluate(size, capacity) == pytest.approx(wanted, abs=1e-3)
                fill = _expression(symbol, "fillColor")
                assert fill.startswith(f"color_rgba({_rgb(color)}, ")
                assert str(round(drawing.MARKER_FILL_UNKNOWN * 255)) in fill
    # One symbol per marker drawn (colour, dash, sizes), not one per class and status.
    assert len(_leaves(root)) < sum((len(REGISTRY[n].classes) + 1) * len(STATUSES) for n in LINES)
    _one_symbol_per_style(root)


def test_labels_are_chinese_names_and_route_numbers():
    root = _root(table_style("highways", ["name_zh", "name_en", "ref"], ["highways"]).qml)
    label = root.find("labeling/settings/text-style").get("fieldName")
    assert '"name_zh"' in label and '"ref"' in label
    assert root.find("labeling").get("type") == "simple"
    aliases = {a.get("field"): a.get("name") for a in root.iter("alias")}
    assert aliases["ref"] == "路线编号 route number"


def test_every_class_in_the_data_has_its_own_rule():
    source = load_source("yrd")
    for name, frame in source.layers.items():
        assert set(frame["class"]) <= set(REGISTRY[name].classes), name
    for value in highways.SELECTED_VALUES:
        cls = highways.classify(value)
        assert cls is None or cls in highways.LAYER.classes


def test_regions_are_outlines_labelled_by_name():
    root = _root(table_style("regions", ["name", "name_zh", "name_en", "role"], []).qml)
    for _filters, symbol in _leaves(root):
        assert symbol.get("type") == "fill" and _props(symbol)["style"] == "no"
    assert root.findtext("layerGeometryType") == "2"
    assert "name_zh" in root.find("labeling/settings/text-style").get("fieldName")


def test_unknown_tables_have_no_style():
    with pytest.raises(KeyError):
        qgis_style.table_style("history", ["id"], [])


def test_rule_labels_say_each_layer_s_status_in_its_own_words():
    """A pipeline in QGIS's legend is 已投产 in service, a waterway 已通航, as on the map."""
    labels = {
        layer: " | ".join(rule.label for rule in qgis_style.layer_rules(layer))
        for layer in ("pipelines", "waterways", "highways")
    }
    assert "已投产 in service" in labels["pipelines"] and "已通车" not in labels["pipelines"]
    assert "已通航 open to navigation" in labels["waterways"]
    assert "已通车 open" in labels["highways"]
