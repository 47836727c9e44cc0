"""The map's own folium elements, whose rendered text is never read as a template.

branca's ``MacroElement.render`` renders an element's ``header``, ``html`` and ``script``
macros and adds each result to the figure as ``Element(text)``, which compiles ``text``
as a Jinja template; rendering the figure (``st_folium`` does, on every run) then runs it.
Any ``{{ ... }}`` or ``{% ... %}`` in the data the text carries (a feature's name in a
user's file, a typed tile URL) would run as template code on the server, which can reach
Python's ``os`` module: a feature named ``{{ 7*7 }}`` was shown as ``49``. Compiling the
map's GeoJSON text also cost about 30 ms a run.

:class:`LiteralMacroElement` renders the macros as branca does but adds their results as
:class:`Literal` elements, whose text is copied as it is. Every element here that carries
data derives from it: :class:`StaticGeoJson` (features, tooltips, popups),
:class:`MapKit` (the context, labels, legend and tile notice, drawn by
``static/jiegui/map.js``), :class:`GroupLegend`, :class:`Attribution` and
:class:`LiteralTileLayer` (a user's tile URL and attribution). The other folium elements of
the map (the map, its groups, the layer control) carry only the page's own fixed text.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template


class Literal(Element):
    """Text added to a figure as it is: not compiled or run as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Literal"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text, unchanged."""
        return self.text


class LiteralMacroElement(MacroElement):
    """A ``MacroElement`` whose rendered macros go into the figure as :class:`Literal`.

    Its own template is still a template (written here, not taken from data); only its
    output, which holds data, is kept from being read as one. Mixed in after a folium
    class (``class X(folium.TileLayer, LiteralMacroElement)``), folium's own ``render``
    steps run first and this replaces branca's at the end of the chain.
    """

    # branca types Element.render as returning text, but MacroElement.render (untyped), which
    # this replaces, adds to the figure and returns None; callers ignore the value.
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add the rendered ``header``, ``html`` and ``script`` macros, then the children's."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} can only be rendered inside a Figure.")
        macros = self._template.module.__dict__
        for macro, part in (
            ("header", figure.header),
            ("html", figure.html),
            ("script", figure.script),
        ):
            if macros.get(macro) is not None:
                part.add_child(Literal(macros[macro](self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


#: How far from the map's top and right edges a popup is kept when the map pans to show it
#: (pixels): below and left of the layer control's button (44 px and a 10 px margin).
POPUP_CLEARANCE_PX = 60


class StaticGeoJson(LiteralMacroElement):
    """A GeoJSON text drawn as it is: each feature's ``style``, ``tip`` and ``popup``.

    Unlike ``folium.GeoJson`` it evaluates no Python per feature when rendered: the text
    is made once (:func:`app.webmap.map_content`, :mod:`app.map_geojson`) and only copied
    into the script. Points become circle markers with their ``style``; tooltips are
    sticky, popups at most 380 px wide and kept :data:`POPUP_CLEARANCE_PX` from the map's
    top and right edges, under the layer control, when the map pans to show them. Drawn
    in the map pane ``pane`` (Leaflet's overlay pane when None); with ``interactive``
    False, drawn only: no pointer events, tooltip or click (the border counted).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.data }}, {
            {% if this.pane %}pane: {{ this.pane|tojson }},{% endif %}
            {% if not this.interactive %}interactive: false,{% endif %}
            style: function(feature) { return feature.properties.style; },
            pointToLayer: function(feature, latlng) {
                {% if this.pane %}
                return L.circleMarker(latlng, L.extend(
                    {pane: {{ this.pane|tojson }}}, feature.properties.style));
                {% else %}
                return L.circleMarker(latlng, feature.properties.style);
                {% endif %}
            },
            onEachFeature: function(feature, layer) {
                var p = feature.properties || {};
                if (p.tip) { layer.bindTooltip(p.tip, {sticky: true}); }
                if (p.popup) {
                    layer.bindPopup(p.popup, {
                        maxWidth: 380,
                        autoPanPaddingTopLeft: [10, {{ this.clearance }}],
                        autoPanPaddingBottomRight: [{{ this.clearance }}, 10]
                    });
                }
            }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: str, *, pane: str | None = None, interactive: bool = True) -> None:
        super().__init__()
        self._name = "StaticGeoJson"
        self.data = data
        self.pane = pane
        self.interactive = interactive
        self.clearance = POPUP_CLEARANCE_PX


class HtmlControl(LiteralMacroElement):
    """A Leaflet control holding fixed HTML (the printed sheet's north arrow)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function() {
                var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = html_text
        self.position = position
        self.css_class = css_class


class Attribution(LiteralMacroElement):
    """Adds (escaped) text to the map's attribution control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = text


class LiteralTileLayer(folium.TileLayer, LiteralMacroElement):
    """``folium.TileLayer`` for a tile URL and attribution the user typed."""


class LiteralFeatureGroup(folium.FeatureGroup, LiteralMacroElement):
    """``folium.FeatureGroup`` whose script is added as it is rendered (not compiled again).

    Its name is the page's own text; rendering it literally spares compiling its script
    as a template on every run (about a millisecond per group).
    """


class Panes(LiteralMacroElement):
    """Leaflet map panes, as ``(name, z-index)``, made in one script.

    Like ``folium.map.CustomPane`` with ``pointer_events=False`` (the pane lets the pointer
    through; its interactive shapes still take it), for several panes at once.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {% for name, z in this.panes %}
        {{ this._parent.get_name() }}.createPane({{ name|tojson }}).style.cssText =
            "z-index: {{ z|int }}; pointer-events: none;";
        {% endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, panes: tuple[tuple[str, int], ...]) -> None:
        super().__init__()
        self._name = "Panes"
        self.panes = panes


class GroupLegend(LiteralMacroElement):
    """A Leaflet control of fixed HTML shown while its parent group is on the map.

    Added as a child of a feature group: the control is added when the group is, and
    removed with it (``st_folium`` removes its added groups before drawing new ones). It
    joins the map's legend in the corner that legend chose (``static/jiegui/map.js`` fires
    ``jiegui:legendcorner``), ``position`` when the map has none, and tells the map's
    legend (``jiegui:legendgrew``), which moves if the two now cover an interface.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var group = {{ this._parent.get_name() }};
            var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function() { return div; };  // one element, whatever its corner
            function follow(e) { if (control._map) { control.setPosition(e.corner); } }
            function show() {
                var map = group._map;
                if (!map || control._map) { return; }
                if (map.jieguiLegendCorner) { control.options.position = map.jieguiLegendCorner(); }
                control.addTo(map);
                map.on("jiegui:legendcorner", follow);
                map.fire("jiegui:legendgrew");
            }
            group.on("add", show);
            group.on("remove", function() {
                if (control._map) { control._map.off("jiegui:legendcorner", follow); }
                control.remove();
            });
            show();
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "GroupLegend"
        self.html = html_text
        self.position = position
        self.css_class = css_class


class MapKit(LiteralMacroElement):
    """Calls ``JieguiMap.init`` (``static/jiegui/map.js``) on its parent map, with a config.

    The config is JSON text (:func:`app.webmap.draw_map` writes it, safe for a
    ``<script>``) in which each ``"@group:NAME"`` string stands for the map's element
    ``NAME`` (a feature group, the tile layer): it is replaced by that element's variable
    when the script is rendered, so the names stay right when ``st_folium`` renames them.
    Then each string ``"@KEY"`` of ``inserts`` is replaced by the JSON text given for it
    (the context, the labels: data, inserted after the names so that no text of theirs is
    ever read as one).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        JieguiMap.init({{ this._parent.get_name() }}, {{ this.script_config() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        config: str,
        elements: dict[str, MacroElement],
        inserts: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._name = "MapKit"
        self.config = config
        self.elements = elements
        self.inserts = inserts or {}

    def script_config(self) -> str:
        """The config with the elements' variables, then the inserts, in place."""
        text = self.config
        for name, element in self.elements.items():
            text = text.replace(f'"@group:{name}"', element.get_name())
        for key, value in self.inserts.items():
            text = text.replace(f'"@{key}"', value, 1)
        return text
