"""Layer kinds of Jiegui: one module each, all with the shape of :class:`LayerSpec`."""

from __future__ import annotations

from layers import highways, pipelines, ports, railways, waterways
from layers.base import COMMON_COLUMNS, STATUSES, LayerSpec, Style, total_capacity

REGISTRY: dict[str, LayerSpec] = {
    module.LAYER.name: module.LAYER for module in (highways, railways, waterways, ports, pipelines)
}

#: Layers whose border crossings are counted.
LINE_LAYERS: tuple[str, ...] = tuple(n for n, spec in REGISTRY.items() if spec.geometry == "line")

__all__ = [
    "COMMON_COLUMNS",
    "LINE_LAYERS",
    "REGISTRY",
    "STATUSES",
    "LayerSpec",
    "Style",
    "get_layer",
    "total_capacity",
]


def get_layer(name: str) -> LayerSpec:
    """Return the layer called ``name`` or raise an error listing the known ones."""
    from geo.errors import InvalidParameterError

    try:
        return REGISTRY[name]
    except KeyError:
        raise InvalidParameterError(
            f"Unknown layer {name!r}; choose from {', '.join(REGISTRY)}."
        ) from None
