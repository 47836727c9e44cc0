"""QGIS styles of the exported tables, made from the map's own style spec.

Every exported table with geometry gets a QGIS layer style (QML) made here from what the
web map draws with: each layer's :attr:`layers.base.LayerSpec.style` (colour, line weight
and dash of a feature from its class, status and capacity) and :mod:`layers.drawing` (line
opacity, points, interface markers). No colour or width is written here a second time: the
styles sample the spec.

**Rules.** A layer's QML uses QGIS's rule-based renderer with one rule per symbol drawn
(:func:`class_rules`): the spec is called for every class
(:attr:`layers.base.LayerSpec.classes`, then any other) and status
(:data:`layers.base.STATUSES`), and the pairs drawn alike share one rule whose filter lists
them. Where the line weight grows with the capacity (lanes, tracks, a better grade), the
symbol's width is data defined: a ``CASE`` on the capacity's column (``lanes``, ``tracks``,
``grade``) whose bands come from calling the spec at every capacity from 1 to
:data:`SAMPLED_UP_TO` (the last band holds for more). Interfaces are a rule per layer and in
it one per marker drawn, a circle in the class's colour sized like the map's marker
(:func:`layers.drawing.marker_radius`), pale when the capacity is unknown and dashed unless
open. :data:`geo.pair_export.OTHER_LINKS` are drawn like their layer, faintly
(:data:`CONTEXT_OPACITY`); the regions as outlines. No SLD is made: QGIS reads the QML
(``docs/exports.md``).

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
QGIS 3 reads (QGIS 3.26 and later write an ``<Option>`` map instead and still read these).
QGIS 3.22 opens, draws and labels it (``tests/test_qgis_open.py``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from geo.errors import layer_spec
from geo.export_columns import column_title, has_title
from geo.history import capacity_column
from geo.labels import class_label, status_label
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


@dataclass
class Rule:
    """A rule of the renderer: a label, a filter (QGIS expression) and a symbol or children."""

    label: str
    expression: str
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


def _status_label(layer: str, status: str) -> str:
    """A status in both languages, in the words of ``layer`` (a pipeline is 已投产 in service)."""
    return f"{status_label(layer, status, 'zh')} {status_label(layer, status, 'en')}"


def _class_names(layer: str, classes: Sequence[str | None]) -> str:
    """Classes in both languages (``None``: any other class), ``, ``-joined."""
    names = []
    for cls in classes:
        if cls is None:
            names.append("其他 other")
        else:
            names.append(f"{class_label(layer, cls, 'zh')} {class_label(layer, cls, 'en')}")
    return ", ".join(names)


def _in(column: str, values: Sequence[str], *, negated: bool = False) -> str:
    listed = ", ".join(_quoted(v) for v in values)
    if negated:
        return f"coalesce(\"{column}\", '') NOT IN ({listed})"
    return f'"{column}" IN ({listed})'


def class_rules(spec: LayerSpec, make: Callable[[str | None, str], Symbol]) -> list[Rule]:
    """One rule per symbol drawn: the classes and statuses that ``make`` draws alike.

    ``make(class, status)`` is called for every class of ``spec`` (then ``None``, any
    other class) and status (:data:`layers.base.STATUSES`); the pairs that give the same
    symbol share one rule, whose filter lists them: ``"class" IN (…) AND "status" IN (…)``,
    several such parts joined by ``OR`` when the statuses differ from class to class, and
    "any other class" written as ``NOT IN`` the layer's other classes. The rules do not
    overlap, so each feature is drawn once, as the map draws it.
    """
    by_symbol: dict[Symbol, dict[str | None, list[str]]] = {}
    for cls in [*spec.classes, None]:
        for status in STATUSES:
            by_symbol.setdefault(make(cls, status), {}).setdefault(cls, []).append(status)
    rules = []
    for symbol, statuses_of in by_symbol.items():
        parts: dict[tuple[str, ...], list[str | None]] = {}
        for cls, drawn in statuses_of.items():
            parts.setdefault(tuple(drawn), []).append(cls)
        expressions, labels = [], []
        for statuses, classes in parts.items():
            tests = []
            if None in classes:
                others = [c for c in spec.classes if c not in classes]
                if others:
                    tests.append(_in("class", others, negated=True))
            else:
                tests.append(_in("class", [c for c in classes if c]))
            tests.append(_in("status", statuses))
            expressions.append(" AND ".join(tests))
            status_names = ", ".join(_status_label(spec.name, s) for s in statuses)
            labels.append(f"{_class_names(spec.name, classes)}: {status_names}")
        expression = (
            expressions[0] if len(expressions) == 1 else " OR ".join(f"({e})" for e in expressions)
        )
        rules.append(Rule(" | ".join(labels), expression, symbol=symbol))
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
        rule = Rule(name, f'"layer" = {_quoted(name)}')
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
        Rule("focus", "\"role\" = 'focus'", symbol=outline),
        Rule("neighbour", "coalesce(\"role\", '') <> 'focus'", symbol=outline),
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
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"


# ------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class TableStyle:
    """The QML of one exported table."""

    table: str
    qml: str


#: The geometry of the exported tables that are not a layer's.
_TABLE_GEOMETRY = {"interfaces": "point", "other_links": "line", "regions": "polygon"}


def table_geometry(table: str) -> str:
    """``line``, ``point`` or ``polygon``: the geometry of an exported table by its name.

    Raises
    ------
    KeyError
        For a table without geometry (the history, the counts).
    """
    if table in REGISTRY:
        return layer_spec(table).geometry
    return _TABLE_GEOMETRY[table]


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
    geometry = table_geometry(table)
    if table in REGISTRY:
        rules, label = layer_rules(table), FEATURE_LABEL
    elif table == "interfaces":
        rules, label = interface_rules(layers), FEATURE_LABEL
    elif table == "other_links":
        rules, label = other_link_rules(layers), REF_LABEL
    else:
        rules, label = region_rules(), REGION_LABEL
    return TableStyle(
        table=table,
        qml=qml(
            rules,
            geometry=geometry,
            columns=columns,
            label=label,
            label_size=10.0 if table == "regions" else 8.0,
        ),
    )
