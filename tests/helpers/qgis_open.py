"""Open Jiegui's exports in QGIS (PyQGIS, headless) and render each styled layer to PNG.

Run with a Python that has PyQGIS (Debian's ``/usr/bin/python3`` with ``python3-qgis``),
not the project's virtual environment: this file imports nothing of Jiegui's.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/helpers/qgis_open.py EXPORT_DIR OUT_DIR

``EXPORT_DIR`` holds one export's files (``…-all.gpkg``, each ``…-<table>.geojson`` and its
``.qml``). For every table with geometry, the GeoPackage's layer and the GeoJSON (with its
``.qml``) are opened as QGIS opens them, and what QGIS made of them is written as JSON to
standard output: validity, CRS, feature count, where the style came from, the renderer's
type and rules, the labelling, the field aliases, every message QGIS logged while loading
and rendering, and the picture (``OUT_DIR/<source>-<table>.png``, the layer over the
regions' outlines) with its distinct colours. The test (``tests/test_qgis_open.py``) judges.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeatureRequest,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsRectangle,
    QgsRenderContext,
    QgsSymbolLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QImage

SIZE = (900, 700)
MESSAGES: list[str] = []


def _log(message: str, tag: str, level: Any) -> None:
    if level != Qgis.Info:
        MESSAGES.append(f"{tag}: {message}")


def _expressions_ok(layer: QgsVectorLayer, expressions: list[str]) -> list[str]:
    """Each expression that does not parse or names a field the layer lacks."""
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    bad = []
    for text in expressions:
        expression = QgsExpression(text)
        if expression.hasParserError():
            bad.append(f"{text}: {expression.parserErrorString()}")
            continue
        expression.prepare(context)
        missing = set(expression.referencedColumns()) - set(layer.fields().names()) - {
            QgsFeatureRequest.ALL_ATTRIBUTES
        }
        if missing:
            bad.append(f"{text}: no field {sorted(missing)}")
        if expression.hasEvalError():
            bad.append(f"{text}: {expression.evalErrorString()}")
    return bad


def _renderer(layer: QgsVectorLayer) -> dict[str, Any]:
    renderer = layer.renderer()
    out: dict[str, Any] = {"type": renderer.type() if renderer else None}
    expressions: list[str] = []
    if renderer is not None and renderer.type() == "RuleRenderer":
        rules = renderer.rootRule().descendants()
        out["rules"] = len(rules)
        out["rules_with_symbol"] = sum(1 for r in rules if r.symbol() is not None)
        out["labels"] = [r.label() for r in rules]
        expressions += [
            r.filterExpression() for r in rules if r.filterExpression() and not r.isElse()
        ]
    elif renderer is not None and renderer.type() == "categorizedSymbol":
        out["attribute"] = renderer.classAttribute()
        out["labels"] = [c.label() for c in renderer.categories()]
        out["rules_with_symbol"] = len(renderer.categories())
        expressions.append(renderer.classAttribute())
    symbols = renderer.symbols(QgsRenderContext()) if renderer else []
    out["symbols"] = len(symbols)
    defined = []
    for symbol in symbols:
        for symbol_layer in symbol.symbolLayers():
            collection = symbol_layer.dataDefinedProperties()
            for key in collection.propertyKeys():
                prop = collection.property(key)
                if prop.isActive() and prop.expressionString():
                    defined.append(prop.expressionString())
    out["data_defined"] = len(defined)
    expressions += defined
    out["bad_expressions"] = _expressions_ok(layer, sorted(set(expressions)))
    return out


def _labelling(layer: QgsVectorLayer) -> dict[str, Any]:
    labeling = layer.labeling()
    out: dict[str, Any] = {"enabled": layer.labelsEnabled(), "type": None}
    if labeling is None:
        return out
    out["type"] = labeling.type()
    if labeling.type() == "simple":
        settings = labeling.settings()
        out["expression"] = settings.fieldName
        out["is_expression"] = settings.isExpression
        out["font"] = settings.format().font().family()
        out["bad_expressions"] = _expressions_ok(layer, [settings.fieldName])
    return out


def _colours(path: Path) -> dict[str, int]:
    """The picture's colours (not white), each with its count of pixels."""
    image = QImage(str(path)).convertToFormat(QImage.Format_RGB32)
    counts: dict[str, int] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            rgb = image.pixel(x, y) & 0xFFFFFF
            if rgb != 0xFFFFFF:
                key = f"#{rgb:06x}"
                counts[key] = counts.get(key, 0) + 1
    return counts


def render(layers: list[QgsVectorLayer], extent: QgsRectangle, path: Path) -> dict[str, Any]:
    """Render ``layers`` (the first on top) over ``extent`` to ``path``; its errors and colours."""
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(*SIZE))
    settings.setOutputDpi(96)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setFlag(QgsMapSettings.DrawLabeling, True)
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    transformed = settings.layerToMapCoordinates(layers[-1], extent)
    transformed.scale(1.25)
    settings.setExtent(transformed)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(str(path), "png")
    colours = _colours(path)
    return {
        "png": str(path),
        "errors": [f"{e.layerID}: {e.message}" for e in job.errors()],
        "drawn_pixels": sum(colours.values()),
        "colours": dict(sorted(colours.items(), key=lambda kv: -kv[1])[:400]),
    }


def _evaluated(props: Any, key: int, context: Any, default: float) -> float:
    """A data-defined number of a symbol layer on the context's feature (else ``default``)."""
    prop = props.property(key)
    if prop.isActive():
        number, _ok = prop.valueAsDouble(context, default)
        return float(number)
    return default


def _drawn(layer: QgsVectorLayer) -> dict[str, list[dict[str, Any]]]:
    """How QGIS draws each feature, by its ``id``: each symbol's colour, opacity, sizes, dash.

    The renderer picks the symbols (its rules' filters), and every data-defined property
    is evaluated on the feature, as when QGIS draws it.
    """
    renderer = layer.renderer()
    if renderer is None or "id" not in layer.fields().names():
        return {}
    context = QgsRenderContext()
    scopes = QgsExpressionContextUtils.globalProjectLayerScopes(layer)
    context.setExpressionContext(QgsExpressionContext(scopes))
    renderer.startRender(context, layer.fields())
    out: dict[str, list[dict[str, Any]]] = {}
    for feature in layer.getFeatures():
        context.expressionContext().setFeature(feature)
        entries = []
        for symbol in renderer.symbolsForFeature(feature, context):
            for symbol_layer in symbol.symbolLayers():
                props = symbol_layer.dataDefinedProperties()
                expression_context = context.expressionContext()
                entry: dict[str, Any] = {
                    "kind": symbol_layer.layerType(),
                    "opacity": round(symbol.opacity(), 4),
                }
                if symbol_layer.layerType() == "SimpleLine":
                    entry["color"] = symbol_layer.color().name()
                    entry["width_mm"] = _evaluated(
                        props,
                        QgsSymbolLayer.PropertyStrokeWidth,
                        expression_context,
                        symbol_layer.width(),
                    )
                    entry["dash_mm"] = (list(symbol_layer.customDashVector())
                                        if symbol_layer.useCustomDashPattern() else None)
                elif symbol_layer.layerType() == "SimpleMarker":
                    fill = symbol_layer.fillColor()
                    prop = props.property(QgsSymbolLayer.PropertyFillColor)
                    if prop.isActive():
                        fill, _ok = prop.valueAsColor(expression_context, fill)
                    entry["color"] = fill.name()
                    entry["fill_alpha"] = round(fill.alphaF(), 3)
                    entry["outline"] = symbol_layer.strokeColor().name()
                    entry["outline_style"] = int(symbol_layer.strokeStyle())
                    entry["size_mm"] = _evaluated(
                        props, QgsSymbolLayer.PropertySize, expression_context, symbol_layer.size()
                    )
                else:
                    entry["color"] = symbol_layer.strokeColor().name()
                    entry["brush"] = int(symbol_layer.brushStyle())
                entries.append(entry)
        out[str(feature["id"])] = entries
    renderer.stopRender(context)
    return out


def describe(layer: QgsVectorLayer) -> dict[str, Any]:
    """What QGIS made of one opened layer."""
    aliases = {f.name(): layer.attributeAlias(i) for i, f in enumerate(layer.fields())}
    return {
        "valid": layer.isValid(),
        "crs": layer.crs().authid(),
        "features": layer.featureCount(),
        "geometry": layer.geometryType(),
        "renderer": _renderer(layer) if layer.isValid() else {},
        "labelling": _labelling(layer) if layer.isValid() else {},
        "aliases": sum(1 for a in aliases.values() if a),
        "fields": len(aliases),
        "drawn": _drawn(layer) if layer.isValid() else {},
    }


def main(folder: Path, out: Path) -> dict[str, Any]:
    """Open every table of the export in ``folder`` both ways; render into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    gpkg = next(folder.glob("*-all.gpkg"))
    report: dict[str, Any] = {"qgis": Qgis.QGIS_VERSION, "gpkg": {}, "geojson": {}}
    probe = QgsVectorLayer(str(gpkg), "probe", "ogr")
    tables = [name.split("!!::!!")[1] for name in probe.dataProvider().subLayers()]
    report["tables"] = tables
    regions: dict[str, QgsVectorLayer] = {}
    opened: dict[str, dict[str, QgsVectorLayer]] = {"gpkg": {}, "geojson": {}}
    for table in tables:
        layer = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
        if not layer.isSpatial():
            continue
        MESSAGES.clear()
        entry = describe(layer)
        count, _ids, names, _descriptions, error = layer.listStylesInDatabase()
        entry["stored_styles"] = {"count": count, "names": list(names), "error": error}
        # The default style again, explicitly, as a user's "Load default style" does.
        message, loaded = layer.loadDefaultStyle()
        entry["load_default_style"] = {"ok": loaded, "message": message}
        entry["after_load_default"] = describe(layer)
        entry["messages"] = list(MESSAGES)
        report["gpkg"][table] = entry
        opened["gpkg"][table] = layer
        if table == "regions":
            regions["gpkg"] = layer
    for path in sorted(folder.glob("*.geojson")):
        table = path.stem.rsplit("-", 1)[1]
        MESSAGES.clear()
        layer = QgsVectorLayer(str(path), table, "ogr")
        entry = describe(layer)  # opened with the .qml beside it applied
        entry["qml_beside"] = path.with_suffix(".qml").exists()
        plain = QgsVectorLayer(str(path), table, "ogr", QgsVectorLayer.LayerOptions(False))
        entry["without_qml"] = {"renderer": plain.renderer().type() if plain.renderer() else None}
        message, loaded = plain.loadNamedStyle(str(path.with_suffix(".qml")))
        entry["load_named_style"] = {"ok": loaded, "message": message}
        entry["after_load_named"] = describe(plain)
        entry["messages"] = list(MESSAGES)
        report["geojson"][table] = entry
        opened["geojson"][table] = layer
        if table == "regions":
            regions["geojson"] = layer
    for source, layers in opened.items():
        border = QgsRectangle()
        for table, layer in layers.items():
            if table != "regions" and layer.featureCount():
                border.combineExtentWith(layer.extent())
        for table, layer in layers.items():
            MESSAGES.clear()
            stack = [layer] if table == "regions" else [layer, regions[source]]
            extent = regions[source].extent() if table == "regions" else border
            drawn = render(stack, extent, out / f"{source}-{table}.png")
            drawn["messages"] = list(MESSAGES)
            report[source][table]["render"] = drawn
    return report


if __name__ == "__main__":
    application = QgsApplication([], False)
    application.initQgis()
    QgsApplication.messageLog().messageReceived.connect(_log)
    result = main(Path(sys.argv[1]), Path(sys.argv[2]))
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    application.exitQgis()
