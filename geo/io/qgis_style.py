"""QGIS styles of the exported tables, made from the map's own style spec.

Every exported table gets a QGIS layer style (QML) and an OGC Symbology Encoding style
(SLD 1.1), both made here from what the web map draws with: each layer's
:attr:`layers.base.LayerSpec.style` (colour, line weight and dash of a feature from its
class, status and capacity) and :mod:`layers.drawing` (line opacity, points, interface
markers). No colour or width is written here a second time: the styles sample the spec.

**Rules.** A layer's QML uses QGIS's rule-based renderer: one rule per class
(:attr:`layers.base.LayerSpec.classes`, then "other"), and in it one rule per status
(:data:`layers.base.STATUSES`), whose symbol is ``style({"class", "status"})``. Where the
line weight grows with the capacity (lanes, tracks, a better grade), the symbol's width
is data defined: a ``CASE`` on the capacity's column (``lanes``, ``tracks``, ``grade``)
whose bands come from calling the spec at every capacity from 1 to :data:`SAMPLED_UP_TO`
(the last band holds for more). The SLD writes the same bands as rules of their own.
Interfaces are a rule per layer, class and status, a circle in the class's colour sized
like the map's marker (:func:`layers.drawing.marker_radius`), pale when the capacity is
unknown and dashed unless open. :data:`geo.pair_export.OTHER_LINKS` are drawn like their
layer, faintly (:data:`CONTEXT_OPACITY`); the regions as outlines.

**Labels.** Features are labelled by their Chinese name (else the English one) and their
route number, interfaces too, the other links by their route number only and the regions
by their name.

**Fields.** Each column Jiegui writes gets an alias, its title in Chinese and English
(:mod:`geo.export_columns`), which QGIS shows as the attribute table's headers; the data's
own columns keep their names.

**Units.** The map's sizes are CSS pixels; QGIS's here are millimetres at 96 pixels to the
inch (:data:`MM_PER_PX`), so a print at that resolution matches the screen. The QML
follows QGIS 3's layer style format (``<qgis>`` with ``renderer-v2``, ``labeling``,
``aliases``), writing a symbol layer's properties as ``<prop k v>`` elements, which every
QGIS 3 reads (QGIS 3.26 and later write an ``<Option>`` map instead and still read these),
and is checked by the tests against that format, not by a running QGIS.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from geo.errors import layer_spec
from geo.export_columns import column_title, has_title
from geo.history import capacity_column
from geo.labels import STATUS_LABELS
from layers import REGISTRY, STATUSES, drawing
from layers.base import LayerSpec, Style

#: Millimetres per CSS pixel (96 pixels to the inch).
MM_PER_PX = 25.4 / 96
#: The capacities the spec is sampled at (1 to this); the last band holds for more.
SAMPLED_UP_TO = 32
#: Opacity of :data:`geo.pair_export.OTHER_LINKS` (context, not counted).
CONTEXT_OPACITY = 0.35
#: The QGIS version whose layer style format the QML follows (QGIS 3.28 LTR).
QGIS_VERSION = "3.28.0-Firenze"
#: Label fonts: the usual Chinese UI fonts of Windows and of Linux (QGIS falls back to
#: its default font when neither is installed).
LABEL_FONTS = ("Microsoft YaHei", "Noto Sans CJK SC")
#: Outline of the regions (their fill stays empty so that a basemap shows through).
REGION_LINE = "#5d6d7e"
REGION_LINE_PX = 1.5
LABEL_COLOUR = "#1b2631"

_GEOMETRY_TYPE = {"point": "0", "line": "1", "polygon": "2"}
_SYMBOL_TYPE = {"point": "marker", "line": "line", "polygon": "fill"}

#: Label expressions (QGIS expression language).
FEATURE_LABEL = (
    "trim(concat(coalesce(nullif(\"name_zh\", ''), nullif(\"name_en\", ''), ''), ' ', "
    "replace(coalesce(\"ref\", ''), ';', '/')))"
)
REF_LABEL = "replace(coalesce(\"ref\", ''), ';', '/')"
REGION_LABEL = "coalesce(nullif(\"name_zh\", ''), \"name\")"


@dataclass(frozen=True)
class Band:
    """Values ``low`` to ``high`` (None: and more) of a column drawn ``value`` wide or big."""

    low: int
    high: int | None
    value: float


@dataclass(frozen=True)
class Symbol:
    """One drawn symbol, in CSS pixels.

    ``kind`` is ``line``, ``marker`` or ``fill``; ``size`` is a line's width, a marker's
    diameter or a fill's outline width. With ``column`` and ``bands``, the size is data
    defined: ``null_size`` where the column is empty, the band's value elsewhere; a marker
    then is filled at ``fill_alpha`` where the column has a value, ``null_fill_alpha``
    where it has none.
    """

    kind: str
    color: str
    size: float
    dash: str | None = None
    opacity: float = 1.0
    fill: str | None = None
    fill_alpha: float = 1.0
    null_fill_alpha: float | None = None
    line: str | None = None
    line_width: float = 0.0
    column: str | None = None
    bands: tuple[Band, ...] = ()
    null_size: float | None = None


#: A condition of a rule for the SLD: ``(column, values, negated)``: the column equals
#: the one value, or (negated) equals none of the values.
Condition = tuple[str, tuple[str, ...], bool]


@dataclass
class Rule:
    """A rule of the renderer: a label, a filter (QGIS expression) and a symbol or children.

    ``conditions`` are the same filter for the SLD (:data:`Condition`).
    """

    label: str
    expression: str
    conditions: list[Condition] = field(default_factory=list)
    symbol: Symbol | None = None
    children: list[Rule] = field(default_factory=list)


# ------------------------------------------------------------------------------ sampling


def _bands(size_of: Callable[[int | None], float]) -> tuple[float, tuple[Band, ...]]:
    """The size when unknown and the bands of equal size over 1..:data:`SAMPLED_UP_TO`."""
    bands: list[Band] = []
    for value in range(1, SAMPLED_UP_TO + 1):
        size = round(size_of(value), 4)
        if bands and bands[-1].value == size:
            bands[-1] = Band(bands[-1].low, value, size)
        else:
            bands.append(Band(value, value, size))
    last = bands[-1]
    bands[-1] = Band(last.low, None, last.value)
    return round(size_of(None), 4), tuple(bands)


def _style(spec: LayerSpec, cls: str | None, status: str, capacity: int | None) -> Style:
    return spec.style({"class": cls, "status": status, "capacity": capacity})


def line_symbol(
    spec: LayerSpec, cls: str | None, status: str, column: str, opacity: float
) -> Symbol:
    """The symbol of a line of ``spec``'s layer, of a class and status, width by ``column``."""
    base = _style(spec, cls, status, None)
    null, bands = _bands(lambda c: _style(spec, cls, status, c).weight)
    varies = len(bands) > 1 or bands[0].value != null
    return Symbol(
        kind="line",
        color=base.color,
        size=null,
        dash=base.dash_array,
        opacity=opacity,
        column=column if varies else None,
        bands=bands if varies else (),
        null_size=null if varies else None,
    )


def point_symbol(spec: LayerSpec, cls: str | None, status: str) -> Symbol:
    """A point feature (a port) as the map draws it (:mod:`layers.drawing`)."""
    base = _style(spec, cls, status, None)
    return Symbol(
        kind="marker",
        color=base.color,
        size=2 * drawing.POINT_RADIUS,
        dash=base.dash_array,
        fill=base.color,
        fill_alpha=drawing.POINT_FILL_OPACITY,
        line=base.color,
        line_width=drawing.POINT_LINE_WEIGHT,
    )


def marker_symbol(spec: LayerSpec, cls: str | None, status: str) -> Symbol:
    """An interface marker of ``spec``'s layer, sized by its capacity column."""
    base = _style(spec, cls, status, None)
    null, bands = _bands(lambda c: 2 * drawing.marker_radius(spec, c))
    return Symbol(
        kind="marker",
        color=base.color,
        size=null,
        dash=None if status == "open" else drawing.MARKER_DASH,
        fill=base.color,
        fill_alpha=drawing.MARKER_FILL_KNOWN,
        null_fill_alpha=drawing.MARKER_FILL_UNKNOWN,
        line=drawing.MARKER_LINE,
        line_width=drawing.MARKER_LINE_WEIGHT,
        column=capacity_column(spec.name),
        bands=bands,
        null_size=null,
    )


# ---------------------------------------------------------------------------------- rules


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _status_label(status: str) -> str:
    label = STATUS_LABELS.get(status, {"en": status, "zh": status})
    return f"{label['zh']} {label['en']}"


def class_rules(
    spec: LayerSpec, make: Callable[[str | None, str], Symbol], *, prefix: str = ""
) -> list[Rule]:
    """A rule per class of ``spec`` (then one for any other) and in it one per status."""
    rules = []
    for cls in [*spec.classes, None]:
        if cls is None:
            rule = Rule(f"{prefix}other", "ELSE", [("class", spec.classes, True)])
        else:
            rule = Rule(f"{prefix}{cls}", f'"class" = {_quoted(cls)}', [("class", (cls,), False)])
        for status in STATUSES:
            rule.children.append(
                Rule(
                    _status_label(status),
                    f'"status" = {_quoted(status)}',
                    [("status", (status,), False)],
                    symbol=make(cls, status),
                )
            )
        rules.append(rule)
    return rules


def layer_rules(layer: str) -> list[Rule]:
    """The rules of one layer's table."""
    spec = layer_spec(layer)
    if spec.geometry == "point":
        return class_rules(spec, lambda c, s: point_symbol(spec, c, s))
    column = capacity_column(layer)
    return class_rules(
        spec, lambda c, s: line_symbol(spec, c, s, column, drawing.LINE_OPACITY)
    )


def _by_layer(
    layers: Sequence[str], make: Callable[[LayerSpec, str | None, str], Symbol]
) -> list[Rule]:
    rules = []
    for name in layers:
        spec = layer_spec(name)
        rule = Rule(name, f'"layer" = {_quoted(name)}', [("layer", (name,), False)])
        rule.children = class_rules(spec, partial(make, spec))
        rules.append(rule)
    return rules


def interface_rules(layers: Sequence[str]) -> list[Rule]:
    """The interfaces' rules: per line layer (points have no interfaces), class and status."""
    return _by_layer([n for n in layers if layer_spec(n).geometry == "line"], marker_symbol)


def other_link_rules(layers: Sequence[str]) -> list[Rule]:
    """The other links' rules: as their layer, faint, one width."""
    line_layers = [n for n in layers if layer_spec(n).geometry == "line"]

    def faint(spec: LayerSpec, cls: str | None, status: str) -> Symbol:
        base = _style(spec, cls, status, None)
        return Symbol("line", base.color, base.weight, base.dash_array, CONTEXT_OPACITY)

    return _by_layer(line_layers, faint)


def region_rules() -> list[Rule]:
    """The regions: outlines only."""
    outline = Symbol("fill", REGION_LINE, REGION_LINE_PX, line=REGION_LINE)
    return [
        Rule("focus", "\"role\" = 'focus'", [("role", ("focus",), False)], symbol=outline),
        Rule("neighbour", "ELSE", [("role", ("focus",), True)], symbol=outline),
    ]


# ---------------------------------------------------------------------------------- QML


def _rgba(color: str, alpha: float = 1.0) -> str:
    text = color.lstrip("#")
    red, green, blue = (int(text[k : k + 2], 16) for k in (0, 2, 4))
    return f"{red},{green},{blue},{round(alpha * 255)}"


def _mm(px: float) -> str:
    return f"{px * MM_PER_PX:.3f}".rstrip("0").rstrip(".")


def _band_case(
    column: str, null: float, bands: Sequence[Band], unit: Callable[[float], str]
) -> str:
    """``CASE`` giving each band's value (in ``unit``) by the value of ``column``."""
    name = f'"{column}"'
    parts = [f"CASE WHEN {name} IS NULL THEN {unit(null)}"]
    parts += [f"WHEN {name} <= {b.high} THEN {unit(b.value)}" for b in bands[:-1]]
    parts.append(f"ELSE {unit(bands[-1].value)} END")
    return " ".join(parts)


def _props(layer: ET.Element, values: Mapping[str, str]) -> None:
    """A symbol layer's properties as ``<prop>`` elements (see the module docstring)."""
    for key, value in values.items():
        ET.SubElement(layer, "prop", k=key, v=value)


def _data_defined(parent: ET.Element, expressions: Mapping[str, str]) -> None:
    holder = ET.SubElement(parent, "data_defined_properties")
    collection = ET.SubElement(holder, "Option", type="Map")
    ET.SubElement(collection, "Option", name="name", type="QString", value="")
    properties = ET.SubElement(collection, "Option", name="properties", type="Map")
    for key, expression in expressions.items():
        prop = ET.SubElement(properties, "Option", name=key, type="Map")
        ET.SubElement(prop, "Option", name="active", type="bool", value="true")
        ET.SubElement(prop, "Option", name="expression", type="QString", value=expression)
        ET.SubElement(prop, "Option", name="type", type="int", value="3")
    ET.SubElement(collection, "Option", name="type", type="QString", value="collection")


def _dash(dash: str | None) -> dict[str, str]:
    if not dash:
        return {"use_custom_dash": "0", "customdash": "5;2", "customdash_unit": "MM"}
    parts = [_mm(float(p)) for p in dash.replace(",", " ").split()]
    return {"use_custom_dash": "1", "customdash": ";".join(parts), "customdash_unit": "MM"}


def _symbol_layer(symbol: ET.Element, kind: str) -> ET.Element:
    attributes = {"class": kind, "enabled": "1", "locked": "0", "pass": "0"}
    return ET.SubElement(symbol, "layer", attributes)


def _symbol_element(name: str, symbol: Symbol) -> ET.Element:
    element = ET.Element(
        "symbol",
        type=symbol.kind,
        name=name,
        alpha=f"{symbol.opacity:g}",
        clip_to_extent="1",
        force_rhr="0",
    )
    expressions: dict[str, str] = {}
    if symbol.kind == "line":
        layer = _symbol_layer(element, "SimpleLine")
        values = {
            "line_color": _rgba(symbol.color),
            "line_width": _mm(symbol.size),
            "line_width_unit": "MM",
            "line_style": "solid",
            "capstyle": "round",
            "joinstyle": "round",
            **_dash(symbol.dash),
        }
        if symbol.column:
            expressions["outlineWidth"] = _band_case(
                symbol.column, symbol.null_size or symbol.size, symbol.bands, _mm
            )
    elif symbol.kind == "marker":
        layer = _symbol_layer(element, "SimpleMarker")
        values = {
            "name": "circle",
            "color": _rgba(symbol.fill or symbol.color, symbol.fill_alpha),
            "outline_color": _rgba(symbol.line or symbol.color),
            "outline_width": _mm(symbol.line_width),
            "outline_width_unit": "MM",
            "outline_style": "dash" if symbol.dash else "solid",
            "size": _mm(symbol.size),
            "size_unit": "MM",
            "scale_method": "diameter",
        }
        if symbol.column:
            expressions["size"] = _band_case(
                symbol.column, symbol.null_size or symbol.size, symbol.bands, _mm
            )
            if symbol.null_fill_alpha is not None:
                rgb = _rgba(symbol.fill or symbol.color).rsplit(",", 1)[0]
                known = round(symbol.fill_alpha * 255)
                unknown = round(symbol.null_fill_alpha * 255)
                expressions["fillColor"] = (
                    f'color_rgba({rgb}, CASE WHEN "{symbol.column}" IS NULL '
                    f"THEN {unknown} ELSE {known} END)"
                )
    else:
        layer = _symbol_layer(element, "SimpleFill")
        values = {
            "style": "no",
            "color": _rgba(symbol.color, 0.0),
            "outline_color": _rgba(symbol.line or symbol.color),
            "outline_width": _mm(symbol.size),
            "outline_width_unit": "MM",
            "outline_style": "solid",
        }
    _props(layer, values)
    _data_defined(layer, expressions)
    return element


def _rule_elements(
    parent: ET.Element, rules: Sequence[Rule], symbols: ET.Element, counter: list[int]
) -> None:
    for rule in rules:
        key = f"{{jiegui-rule-{len(counter)}}}"
        counter.append(0)
        attributes = {"key": key, "label": rule.label, "filter": rule.expression}
        if rule.symbol is not None:
            name = str(sum(1 for _ in symbols))
            attributes["symbol"] = name
            symbols.append(_symbol_element(name, rule.symbol))
        element = ET.SubElement(parent, "rule", attributes)
        _rule_elements(element, rule.children, symbols, counter)


def _labeling(parent: ET.Element, expression: str, geometry: str, size: float) -> None:
    labeling = ET.SubElement(parent, "labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    style = ET.SubElement(
        settings,
        "text-style",
        fontFamily=LABEL_FONTS[0],
        namedStyle="Regular",
        fontWeight="50",
        fontSize=f"{size:g}",
        fontSizeUnit="Point",
        textColor=_rgba(LABEL_COLOUR),
        textOpacity="1",
        isExpression="1",
        fieldName=expression,
    )
    families = ET.SubElement(style, "families")
    for family in LABEL_FONTS:
        ET.SubElement(families, "family", name=family)
    ET.SubElement(
        style,
        "text-buffer",
        bufferDraw="1",
        bufferSize="0.8",
        bufferSizeUnits="MM",
        bufferColor="255,255,255,255",
        bufferOpacity="0.9",
        bufferNoFill="1",
    )
    ET.SubElement(settings, "text-format", wrapChar="", multilineAlign="3")
    placement = {"line": ("2", "10"), "point": ("0", "10"), "polygon": ("1", "10")}[geometry]
    ET.SubElement(
        settings,
        "placement",
        placement=placement[0],
        placementFlags=placement[1],
        dist="1",
        distUnits="MM",
        priority="5",
        layerType={"line": "LineGeometry", "point": "PointGeometry"}.get(
            geometry, "PolygonGeometry"
        ),
    )
    ET.SubElement(
        settings,
        "rendering",
        drawLabels="1",
        obstacle="1",
        scaleVisibility="0",
        mergeLines="0",
        upsidedownLabels="0",
        labelPerPart="0",
        limitNumLabels="0",
    )


def _aliases(parent: ET.Element, columns: Sequence[str]) -> None:
    """An alias per column Jiegui writes (the data's own columns keep their names).

    QGIS matches an alias to its field by ``field``, the column's name.
    """
    aliases = ET.SubElement(parent, "aliases")
    for column in columns:
        if has_title(column):
            title = column_title(column)
            ET.SubElement(aliases, "alias", field=column, name=f"{title.zh} {title.en}")


def qml(
    rules: Sequence[Rule],
    *,
    geometry: str,
    columns: Sequence[str],
    label: str,
    label_size: float = 8.0,
) -> str:
    """A QGIS layer style (QML) of a rule-based renderer, labels and field aliases.

    Parameters
    ----------
    rules
        The renderer's rules (:func:`layer_rules` and siblings).
    geometry
        ``line``, ``point`` or ``polygon``: the table's geometry.
    columns
        The table's columns, in order (aliases are given to each).
    label
        The label expression.
    label_size
        The labels' size in points.
    """
    root = ET.Element(
        "qgis",
        version=QGIS_VERSION,
        styleCategories="Symbology|Labeling|Fields",
        labelsEnabled="1",
        hasScaleBasedVisibilityFlag="0",
    )
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        type="RuleRenderer",
        symbollevels="0",
        forceraster="0",
        enableorderby="0",
    )
    top = ET.SubElement(renderer, "rules", key="{jiegui-rules}")
    symbols = ET.Element("symbols")
    _rule_elements(top, rules, symbols, [])
    renderer.append(symbols)
    _labeling(root, label, geometry, label_size)
    _aliases(root, columns)
    ET.SubElement(root, "layerGeometryType").text = _GEOMETRY_TYPE[geometry]
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"


# ---------------------------------------------------------------------------------- SLD

_SLD = "http://www.opengis.net/sld"
_SE = "http://www.opengis.net/se"
_OGC = "http://www.opengis.net/ogc"
ET.register_namespace("", _SLD)
ET.register_namespace("se", _SE)
ET.register_namespace("ogc", _OGC)


def _se(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{_SE}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _ogc(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{_OGC}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _leaves(
    rules: Sequence[Rule], conditions: list[Condition], path: list[str]
) -> list[tuple[list[Condition], list[str], Symbol]]:
    """Every rule with a symbol, with the conditions and labels of the rules above it."""
    out = []
    for rule in rules:
        here = [*conditions, *rule.conditions]
        names = [*path, rule.label]
        if rule.symbol is not None:
            out.append((here, names, rule.symbol))
        out += _leaves(rule.children, here, names)
    return out


def _equal(where: ET.Element, column: str, value: str) -> None:
    node = _ogc(where, "PropertyIsEqualTo")
    _ogc(node, "PropertyName", column)
    _ogc(node, "Literal", value)


def _condition(where: ET.Element, condition: Condition) -> None:
    """``column`` equal to one of the values (none of them when negated)."""
    column, values, negated = condition
    inside = _ogc(where, "Not") if negated else where
    if len(values) > 1:
        inside = _ogc(inside, "Or")
    for value in values:
        _equal(inside, column, value)


def _merged(
    leaves: list[tuple[list[Condition], list[str], Symbol]],
) -> list[tuple[list[Condition], list[str], Symbol]]:
    """Leaves that differ only in the value of their last condition and draw the same, as one.

    The statuses of a class drawn alike (every status but ``open`` is dashed the same way)
    become one SLD rule whose filter lists them.
    """
    out: list[tuple[list[Condition], list[str], Symbol]] = []
    for conditions, path, symbol in leaves:
        if out and conditions and not conditions[-1][2]:
            last_conditions, last_path, last_symbol = out[-1]
            column, values, _ = conditions[-1]
            same_rest = last_conditions[:-1] == conditions[:-1] and last_symbol == symbol
            if same_rest and last_conditions and last_conditions[-1][0] == column:
                merged = (column, (*last_conditions[-1][1], *values), False)
                label = f"{last_path[-1]}, {path[-1]}"
                out[-1] = ([*conditions[:-1], merged], [*path[:-1], label], symbol)
                continue
        out.append((conditions, path, symbol))
    return out


def _null_test(where: ET.Element, column: str, known: bool) -> None:
    test = _ogc(_ogc(where, "Not"), "PropertyIsNull") if known else _ogc(where, "PropertyIsNull")
    _ogc(test, "PropertyName", column)


def _filter(
    parent: ET.Element, conditions: list[Condition], column: str | None, known: bool
) -> None:
    """An ``ogc:Filter`` of all the conditions (and whether ``column`` has a value)."""
    count = len(conditions) + (column is not None)
    if not count:
        return
    holder = _ogc(parent, "Filter")
    where = _ogc(holder, "And") if count > 1 else holder
    for condition in conditions:
        _condition(where, condition)
    if column is not None:
        _null_test(where, column, known)


def _sized(parent: ET.Element, symbol: Symbol, known: bool) -> None:
    """A size: fixed, or (``known``) an ``se:Categorize`` of the symbol's bands."""
    if not known or not symbol.column:
        parent.text = f"{(symbol.null_size or symbol.size) if symbol.column else symbol.size:g}"
        return
    categorize = _se(parent, "Categorize", fallbackValue=f"{symbol.null_size or symbol.size:g}")
    _ogc(_se(categorize, "LookupValue"), "PropertyName", symbol.column)
    _se(categorize, "Value", f"{symbol.bands[0].value:g}")
    for band in symbol.bands[1:]:
        _se(categorize, "Threshold", str(band.low))
        _se(categorize, "Value", f"{band.value:g}")


def _sld_symbolizer(rule: ET.Element, symbol: Symbol, known: bool) -> None:
    if symbol.kind == "line":
        stroke = _se(_se(rule, "LineSymbolizer"), "Stroke")
        _se(stroke, "SvgParameter", symbol.color, name="stroke")
        _se(stroke, "SvgParameter", f"{symbol.opacity:g}", name="stroke-opacity")
        _sized(_se(stroke, "SvgParameter", name="stroke-width"), symbol, known)
        if symbol.dash:
            _se(stroke, "SvgParameter", symbol.dash, name="stroke-dasharray")
    elif symbol.kind == "marker":
        graphic = _se(_se(rule, "PointSymbolizer"), "Graphic")
        mark = _se(graphic, "Mark")
        _se(mark, "WellKnownName", "circle")
        fill = _se(mark, "Fill")
        alpha = symbol.fill_alpha if known else (symbol.null_fill_alpha or symbol.fill_alpha)
        _se(fill, "SvgParameter", symbol.fill or symbol.color, name="fill")
        _se(fill, "SvgParameter", f"{alpha:g}", name="fill-opacity")
        stroke = _se(mark, "Stroke")
        _se(stroke, "SvgParameter", symbol.line or symbol.color, name="stroke")
        _se(stroke, "SvgParameter", f"{symbol.line_width:g}", name="stroke-width")
        if symbol.dash:
            _se(stroke, "SvgParameter", symbol.dash, name="stroke-dasharray")
        _sized(_se(graphic, "Size"), symbol, known)
    else:
        stroke = _se(_se(rule, "PolygonSymbolizer"), "Stroke")
        _se(stroke, "SvgParameter", symbol.line or symbol.color, name="stroke")
        _se(stroke, "SvgParameter", f"{symbol.size:g}", name="stroke-width")


def sld(rules: Sequence[Rule], *, name: str, label_columns: Sequence[str]) -> str:
    """The same style as an OGC SLD 1.1 (Symbology Encoding) document, sizes in pixels.

    Each rule of the QML that draws is one SLD rule (statuses drawn alike share one,
    :func:`_merged`), or two where its size is data
    defined: where the column is empty, and where it is not, sized by an ``se:Categorize``
    of the bands. An ``ELSE`` rule is written as the negation of its siblings. A last rule
    labels every feature by ``label_columns``.
    """
    root = ET.Element(
        f"{{{_SLD}}}StyledLayerDescriptor",
        {"version": "1.1.0"},
    )
    layer = ET.SubElement(root, f"{{{_SLD}}}NamedLayer")
    _se(layer, "Name", name)
    style = ET.SubElement(layer, f"{{{_SLD}}}UserStyle")
    _se(style, "Name", name)
    features = _se(style, "FeatureTypeStyle")
    for conditions, path, symbol in _merged(_leaves(rules, [], [])):
        # With a data-defined size: one rule where the column is empty, one where it is not.
        for known in (False, True) if symbol.column else (False,):
            rule = _se(features, "Rule")
            _se(rule, "Name", " / ".join(path))
            _filter(rule, conditions, symbol.column, known)
            _sld_symbolizer(rule, symbol, known)
    labels = _se(features, "Rule")
    _se(labels, "Name", "labels")
    text = _se(labels, "TextSymbolizer")
    label = _se(text, "Label")
    for k, column in enumerate(label_columns):
        _ogc(label, "PropertyName", column).tail = " " if k < len(label_columns) - 1 else None
    font = _se(text, "Font")
    _se(font, "SvgParameter", LABEL_FONTS[0], name="font-family")
    _se(font, "SvgParameter", "11", name="font-size")
    halo = _se(text, "Halo")
    _se(halo, "Radius", "1.5")
    _se(_se(halo, "Fill"), "SvgParameter", "#ffffff", name="fill")
    _se(_se(text, "Fill"), "SvgParameter", LABEL_COLOUR, name="fill")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# ------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class TableStyle:
    """The QML and SLD of one exported table."""

    table: str
    qml: str
    sld: str


def table_style(table: str, columns: Sequence[str], layers: Sequence[str]) -> TableStyle:
    """The style of an exported table by its name (a layer, or one of the others).

    Parameters
    ----------
    table
        A layer's name (:data:`layers.REGISTRY`), ``interfaces``, ``other_links`` or
        ``regions``.
    columns
        The table's columns (without its geometry), for the aliases.
    layers
        The layers exported (the interfaces' and other links' rules are for them).

    Raises
    ------
    KeyError
        For any other table (the history and the counts have no geometry to style).
    """
    if table in REGISTRY:
        geometry = layer_spec(table).geometry
        rules = layer_rules(table)
        label, label_columns = FEATURE_LABEL, ["name_zh", "ref"]
    elif table == "interfaces":
        geometry, rules = "point", interface_rules(layers)
        label, label_columns = FEATURE_LABEL, ["name_zh", "ref"]
    elif table == "other_links":
        geometry, rules = "line", other_link_rules(layers)
        label, label_columns = REF_LABEL, ["ref"]
    elif table == "regions":
        geometry, rules = "polygon", region_rules()
        label, label_columns = REGION_LABEL, ["name_zh"]
    else:
        raise KeyError(table)
    return TableStyle(
        table=table,
        qml=qml(
            rules,
            geometry=geometry,
            columns=columns,
            label=label,
            label_size=10.0 if table == "regions" else 8.0,
        ),
        sld=sld(rules, name=table, label_columns=label_columns),
    )
