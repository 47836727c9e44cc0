"""Layer kinds of Jiegui: one module each, all with the shape of :class:`LayerSpec`."""

from __future__ import annotations

from layers import cities, highways, pipelines, ports, railways, waterways
from layers.base import (
    COMMON_COLUMNS,
    NAME_TAGS,
    STATUSES,
    TEXT_KEYS,
    LayerSpec,
    LegendEntry,
    NormalisedTable,
    Style,
    UnknownLayerError,
    name_tags,
    total_capacity,
)

REGISTRY: dict[str, LayerSpec] = {
    module.LAYER.name: module.LAYER
    for module in (highways, railways, waterways, ports, pipelines, cities)
}

#: Layers whose border crossings are counted.
LINE_LAYERS: tuple[str, ...] = tuple(n for n, spec in REGISTRY.items() if spec.geometry == "line")

#: Layers of the border tables: the line layers (counted) and the ports (set beside the
#: borders their links reach). Other point layers (cities) are drawn and exported only.
TABLE_LAYERS: tuple[str, ...] = (*LINE_LAYERS, ports.LAYER.name)

#: Layers read from OpenStreetMap data and fetched (the others come only from files).
OSM_LAYERS: tuple[str, ...] = tuple(n for n, spec in REGISTRY.items() if spec.osm_tags)

__all__ = [
    "COMMON_COLUMNS",
    "LINE_LAYERS",
    "NAME_TAGS",
    "OSM_LAYERS",
    "REGISTRY",
    "STATUSES",
    "TABLE_LAYERS",
    "TEXT_KEYS",
    "LayerSpec",
    "LegendEntry",
    "NormalisedTable",
    "Style",
    "UnknownLayerError",
    "get_layer",
    "name_tags",
    "total_capacity",
]


def get_layer(name: str) -> LayerSpec:
    """Return the layer called ``name``.

    Raises
    ------
    UnknownLayerError
        When there is no such layer; the message lists the known ones. ``geo`` calls
        :func:`geo.errors.layer_spec` instead for names the user gave, which raises the same
        message as a ``geo.errors.JieguiError``.
    """
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(REGISTRY)
        raise UnknownLayerError(
            f"Unknown layer {name!r}; choose from {known}.",
            zh=f"没有名为 {name!r} 的图层，请从以下图层中选择：{known}。",
        ) from None
