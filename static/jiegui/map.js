/*
 * Jiegui's map helpers (written for this project; BSD-2-Clause like Leaflet, which it needs).
 *
 * JieguiMap.init(map, config) draws what the page's map adds to its Leaflet layers
 * (app/webmap.py writes the config; app/map_elements.py's MapKit calls it):
 *
 *   context  the offline coast, lakes and rivers, quantised and delta-coded
 *            (app/map_context.py), drawn without interaction into their group: given
 *            in config.context.data, or fetched from config.context.url (static/);
 *   labels   rows [lat, lon, text, kind, minZoom, colour, gap, angle]: each shown from its minZoom on
 *            (a river's name turned by angle degrees along its line)
 *            (never below config.labels.min), so labels shown together do not overlap
 *            (geo/label_layout.py placed them); text is set as text, never as HTML;
 *   legend   a collapsible control listing what is drawn; a group's part hides while the
 *            group is off; it goes to the corner where it covers none of the focus
 *            border's interfaces (config.legend.points) nor the links near them (the
 *            segments of config.legend.lines' lines within config.legend.near pixels of
 *            one), in two columns when every corner would; on the first view, fitted
 *            to the border (config.legend.fit), the view is then fitted again with room
 *            for it; else shorter (scrolling) or folded (in that order); folded on small
 *            maps, and while a popup it would cover is open (moving to a corner clear of
 *            the popup when folding is not enough); the first view is fitted again, and
 *            the legend placed on it, whenever the map's size changes until the view is
 *            moved (firstView: a map made in a frame not yet laid out);
 *   scale    the scale bar's options (metric only: config.scale);
 *   credits  the attribution folded to one small button (config.credits.label, "ⓘ Sources")
 *            that shows every credit and licence when clicked, and hides them again: open,
 *            the credits took some 380 x 90 px of the map's corner, over interfaces;
 *   tiles    a notice on the map when the basemap's tiles fail to load (and the class
 *            jiegui-tiles-failed on it, which draws the regions as with no tiles).
 *
 * Nothing here fetches anything but the context file from the page's own static/ folder.
 */
(function () {
  "use strict";

  var CORNERS = ["bottomleft", "bottomright", "topleft", "topright"];

  function decode(flat, q) {
    var out = [];
    var x = 0;
    var y = 0;
    for (var i = 0; i + 1 < flat.length; i += 2) {
      x += flat[i];
      y += flat[i + 1];
      out.push([y * q, x * q]);
    }
    return out;
  }

  // The context comes in the config (a standalone page) or from cfg.url (the page's
  // static file, fetched once and kept by the browser).
  function drawContext(map, cfg) {
    if (cfg.data) { drawContextData(cfg, cfg.data); return; }
    if (!cfg.url || !window.fetch) { return; }
    window.fetch(cfg.url, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { drawContextData(cfg, data); } })
      .catch(function () { /* no context: the map reads without it */ });
  }

  function drawContextData(cfg, data) {
    var q = data.q;
    cfg.order.forEach(function (name) {
      var style = L.extend({}, cfg.styles[name], {pane: cfg.pane, interactive: false});
      (data[name] || []).forEach(function (shape) {
        var rings = shape.map(function (ring) { return decode(ring, q); });
        var layer = cfg.kinds[name] === "polygon" ? L.polygon(rings, style)
                                                  : L.polyline(rings, style);
        cfg.group.addLayer(layer);
      });
    });
  }

  function labelMarker(row, pane) {
    var span = document.createElement("span");
    span.textContent = row[2];
    if (row[5]) { span.style.borderColor = row[5]; }
    if (row[6] !== null && row[6] !== undefined) { span.style.left = row[6] + "px"; }
    // A river's name turned along its line, round its centre (on the line's point).
    if (row[7]) { span.style.transform = "translate(-50%, -50%) rotate(" + row[7] + "deg)"; }
    var icon = L.divIcon({
      className: "jiegui-label jiegui-label-" + row[3],
      html: span,
      iconSize: [0, 0],
      iconAnchor: [0, 0]
    });
    var marker = L.marker([row[0], row[1]], {
      icon: icon, interactive: false, keyboard: false, pane: pane
    });
    marker.jieguiMinZoom = row[4];
    return marker;
  }

  function drawLabels(map, cfg) {
    var markers = cfg.rows.map(function (row) { return labelMarker(row, cfg.pane); });
    function update() {
      var zoom = map.getZoom();
      markers.forEach(function (m) {
        var show = zoom >= cfg.min && zoom >= m.jieguiMinZoom;
        if (show && !cfg.group.hasLayer(m)) { cfg.group.addLayer(m); }
        if (!show && cfg.group.hasLayer(m)) { cfg.group.removeLayer(m); }
      });
    }
    map.on("zoomend", update);
    update();
  }

  function rectOf(el, origin) {
    var r = el.getBoundingClientRect();
    return {left: r.left - origin.left, top: r.top - origin.top,
            right: r.right - origin.left, bottom: r.bottom - origin.top};
  }

  function union(rects) {
    return rects.reduce(function (a, b) {
      if (!a) { return b; }
      return {left: Math.min(a.left, b.left), top: Math.min(a.top, b.top),
              right: Math.max(a.right, b.right), bottom: Math.max(a.bottom, b.bottom)};
    }, null);
  }

  // Calls back once both style sheets apply to el: map.css (it sets --jiegui-styled) and
  // Leaflet's own (it makes the control corners absolute; before it, a corner flows below
  // the map's panes, thousands of pixels down, and every corner would seem clear). On a
  // busy machine either can come seconds after the map is drawn; after 30 s it goes on.
  function whenStyled(el, callback) {
    var tries = 0;
    (function check() {
      var ours = getComputedStyle(el).getPropertyValue("--jiegui-styled").trim() === "1";
      var corner = el.parentNode;
      var leaflets = !!corner && getComputedStyle(corner).position === "absolute";
      if ((ours && leaflets) || tries >= 600) { callback(); return; }
      tries += 1;
      setTimeout(check, 50);
    })();
  }

  // The first view, fitted to the border (fit: config.legend.fit, as folium's fit_bounds
  // fitted it when the map was made), fitted again whenever the map's size has changed since,
  // until the view is moved by anything else: the user's drag, wheel, keys or buttons, the
  // page sending the map to an interface, a popup panning into view. A link's view (no fit)
  // is never refitted. Why: st_folium's frame can still be 0 x 0 when the map's script runs
  // (on a busy machine), and Leaflet fits a box into a map with no room at the fit's highest
  // zoom (12), a small one at a low zoom; resized, Leaflet keeps that centre and zoom.
  // Returns {first(): whether the view is still the fitted one, refit(): fit it again if the
  // size changed (true when it did), own(f): run f, a move of ours, keeping the view first}.
  function firstView(map, fit) {
    var still = !!fit;
    var ours = false;
    var fittedSize = map.getSize();  // the size folium's fit saw (Leaflet keeps it until a resize)
    function own(f) {
      ours = true;
      try { f(); } finally { ours = false; }
    }
    map.on("movestart zoomstart dragstart", function () { if (!ours) { still = false; } });
    function refit() {
      var size = map.getSize();
      if (!still || size.equals(fittedSize)) { return false; }
      fittedSize = size;
      own(function () {
        map.fitBounds(fit.bounds, {paddingTopLeft: fit.padding[0],
                                   paddingBottomRight: fit.padding[1],
                                   maxZoom: fit.maxZoom, animate: false});
      });
      return true;
    }
    return {first: function () { return still; }, refit: refit, own: own};
  }

  function drawLegend(map, cfg) {
    // Registered at once, before anything but folium's own fit can move the map.
    var view = firstView(map, cfg.fit);
    // One element for the legend's life: moving the control to another corner adds it
    // again (Leaflet calls onAdd each time), and must not make a new one.
    var div = L.DomUtil.create("div", "jiegui-legend jiegui-main-legend");
    div.innerHTML = cfg.html;
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    var control = L.control({position: CORNERS[0]});
    control.onAdd = function () { return div; };
    control.addTo(map);
    var details = div.querySelector("details");
    var corner = CORNERS[0];
    var chosenByUser = false;
    var foldedForPopup = false;
    var summary = details && details.querySelector("summary");
    if (summary) {
      summary.addEventListener("click", function () { chosenByUser = true; });
    }
    function setOpen(open) {
      if (details && details.open !== open) { details.open = open; }
    }

    function syncGroups() {
      cfg.groups.forEach(function (pair) {
        div.querySelectorAll('[data-legend="' + pair[0] + '"]').forEach(function (el) {
          el.hidden = !map.hasLayer(pair[1]);
        });
      });
    }

    // Every legend in the corner (the rings' legend of a comparison joins this one).
    function legendRect(origin) {
      var box = control.getContainer().parentNode;
      var parts = Array.prototype.slice.call(box.querySelectorAll(".jiegui-legend"));
      return union(parts.map(function (el) { return rectOf(el, origin); }));
    }

    // The links' segments near the interfaces, on the screen: [x1, y1, x2, y2] of each
    // segment of a line drawn in cfg.lines' groups with a point within cfg.near pixels of
    // an interface's centre (the cross-border links where they cross the border).
    function nearSegments(points, toScreen) {
      var out = [];
      var near = cfg.near;
      // Whether the segment from a to b passes within `near` of an interface (the
      // nearest point of the segment, not only its ends: a long straight segment can pass
      // an interface with both ends far from it).
      function close(a, b) {
        var sx = b.x - a.x;
        var sy = b.y - a.y;
        var len2 = sx * sx + sy * sy;
        for (var i = 0; i < points.length; i++) {
          var t = len2 ? ((points[i].x - a.x) * sx + (points[i].y - a.y) * sy) / len2 : 0;
          t = Math.max(0, Math.min(1, t));
          var dx = points[i].x - (a.x + t * sx);
          var dy = points[i].y - (a.y + t * sy);
          if (dx * dx + dy * dy <= near * near) { return true; }
        }
        return false;
      }
      function visit(layer) {
        if (layer.eachLayer) { layer.eachLayer(visit); return; }
        if (!layer.getLatLngs || !map.hasLayer(layer)) { return; }
        var parts = layer.getLatLngs();
        if (parts.length && !Array.isArray(parts[0])) { parts = [parts]; }
        parts.forEach(function (line) {
          var prev = null;
          line.forEach(function (ll) {
            var pt = toScreen(ll);
            if (prev && close(prev, pt)) {
              out.push([prev.x, prev.y, pt.x, pt.y]);
            }
            prev = pt;
          });
        });
      }
      (cfg.lines || []).forEach(function (group) { if (map.hasLayer(group)) { visit(group); } });
      return out;
    }

    // Whether the segment crosses the rectangle (Liang-Barsky clipping).
    function segmentHits(s, rect) {
      var t0 = 0;
      var t1 = 1;
      var dx = s[2] - s[0];
      var dy = s[3] - s[1];
      var p = [-dx, dx, -dy, dy];
      var q = [s[0] - rect.left, rect.right - s[0], s[1] - rect.top, rect.bottom - s[1]];
      for (var i = 0; i < 4; i++) {
        if (p[i] === 0) {
          if (q[i] < 0) { return false; }
        } else {
          var t = q[i] / p[i];
          if (p[i] < 0) { if (t > t1) { return false; } if (t > t0) { t0 = t; } }
          else { if (t < t0) { return false; } if (t < t1) { t1 = t; } }
        }
      }
      return true;
    }

    // The interfaces (with their marker's radius) and the links near them, on the screen:
    // the map's as it is, or as it would be at another view (toScreen: screenAt(view)).
    function obstacles(toScreen) {
      var screen = toScreen || function (ll) { return map.latLngToContainerPoint(ll); };
      var points = cfg.points.map(function (p) {
        var pt = screen(L.latLng(p[0], p[1]));
        return {x: pt.x, y: pt.y, r: p[2] + 2};
      });
      return {points: points, segments: nearSegments(points, screen)};
    }

    // Where the map would look fitted to cfg.fit.bounds with these paddings ([x, y] in
    // pixels), as Leaflet's fitBounds computes it (its zoom, then the centre shifted by
    // half the difference of the paddings).
    function fittedView(topLeft, bottomRight) {
      var bounds = L.latLngBounds(cfg.fit.bounds);
      var tl = L.point(topLeft);
      var br = L.point(bottomRight);
      var zoom = Math.min(cfg.fit.maxZoom, map.getBoundsZoom(bounds, false, tl.add(br)));
      var sw = map.project(bounds.getSouthWest(), zoom);
      var ne = map.project(bounds.getNorthEast(), zoom);
      var centre = map.unproject(sw.add(ne).divideBy(2).add(br.subtract(tl).divideBy(2)), zoom);
      return {centre: centre, zoom: zoom};
    }

    // A point's place on the screen were the map at view (as latLngToContainerPoint once
    // the map is set there).
    function screenAt(view) {
      var origin = map.project(view.centre, view.zoom)
        .subtract(map.getSize().divideBy(2)).round();
      return function (ll) { return map.project(ll, view.zoom).subtract(origin); };
    }

    // How many interfaces and near links the legend covers (a link counts 1 per segment).
    function hits(origin, found) {
      var rect = legendRect(origin);
      if (!rect) { return 0; }
      var pad = 2;
      var grown = {left: rect.left - pad, top: rect.top - pad,
                   right: rect.right + pad, bottom: rect.bottom + pad};
      var count = 0;
      found.points.forEach(function (pt) {
        if (pt.x + pt.r > rect.left && pt.x - pt.r < rect.right &&
            pt.y + pt.r > rect.top && pt.y - pt.r < rect.bottom) { count += 1; }
      });
      found.segments.forEach(function (seg) {
        if (segmentHits(seg, grown)) { count += 1; }
      });
      return count;
    }

    function moveTo(where) {
      corner = where;
      control.setPosition(where);
      map.fire("jiegui:legendcorner", {corner: where});
    }

    // In two columns (wider, about half as tall: map.css, jiegui-legend-columns) or one.
    function setColumns(on) {
      div.classList.toggle("jiegui-legend-columns", !!on);
    }

    // Whether the legend needs scrolling inside itself to show all it holds (it is higher
    // than the height it may take).
    function scrolls() {
      return div.scrollHeight > div.clientHeight + 1;
    }

    // The first view, fitted to the border (cfg.fit), fitted again with room for the open
    // legend: for each layout (one column, two) and corner, the border's box is kept the
    // fit's padding clear of the legend's box, beside it or above/below it. Of those that
    // cover nothing, the one with the highest zoom (the first listed of equals) is
    // returned as {corner, at, view}, or null when none is clear.
    function makeRoom(origin, tall) {
      var size = map.getSize();
      var pad = cfg.fit.padding;
      var layouts = [{open: true, height: tall}, {open: true, height: tall, cols: true}];
      var best = null;
      layouts.forEach(function (at) {
        setOpen(true);
        setColumns(at.cols);
        div.style.maxHeight = at.height + "px";
        if (scrolls()) { return; }  // not whole in this layout: no room makes it readable
        CORNERS.forEach(function (where) {
          moveTo(where);
          var r = legendRect(origin);
          if (!r) { return; }
          var left = where.indexOf("left") >= 0;
          var top = where.indexOf("top") >= 0;
          var side = [pad[0].slice(), pad[1].slice()];
          var edge = [pad[0].slice(), pad[1].slice()];
          if (left) { side[0][0] = Math.max(pad[0][0], r.right + pad[0][0]); }
          else { side[1][0] = Math.max(pad[1][0], size.x - r.left + pad[1][0]); }
          if (top) { edge[0][1] = Math.max(pad[0][1], r.bottom + pad[0][1]); }
          else { edge[1][1] = Math.max(pad[1][1], size.y - r.top + pad[1][1]); }
          [side, edge].forEach(function (padding) {
            var view = fittedView(padding[0], padding[1]);
            if (!isFinite(view.zoom) || (best && view.zoom <= best.view.zoom)) { return; }
            if (hits(origin, obstacles(screenAt(view))) === 0) {
              best = {corner: where, at: at, view: view};
            }
          });
        });
      });
      return best;
    }

    // Try each corner open, then open in two columns (as tall as its content, which then
    // needs no scrolling); on the first view fitted to the border, then fit it again with
    // room for the legend (makeRoom); then open and shorter (it scrolls), then folded.
    // Keep the first where nothing is covered, else the corner that covers least, folded.
    // An open layout that would need scrolling (a low map) counts as covering one more.
    function place(first) {
      var size = map.getSize();
      var tall = Math.max(80, Math.round(size.y * 0.5));
      var short = Math.max(80, Math.round(size.y * 0.28));
      div.style.maxHeight = tall + "px";
      var small = size.x < cfg.small[0] || size.y < cfg.small[1];
      if (first && small) { setOpen(false); }
      if (!cfg.points.length) { div.setAttribute("data-placed", corner); return; }
      var origin = map.getContainer().getBoundingClientRect();
      var found = obstacles();
      var keep = chosenByUser || (first && small) || !details;
      var open = keep ? [{open: details ? details.open : true, height: tall,
                          cols: div.classList.contains("jiegui-legend-columns")}]
                      : [{open: true, height: tall, whole: true},
                         {open: true, height: tall, cols: true, whole: true}];
      var fallback = keep ? [] : [{open: true, height: short}, {open: false, height: tall}];
      var result = null;
      function attempt(tries) {
        for (var o = 0; o < tries.length; o++) {
          setOpen(tries[o].open);
          setColumns(tries[o].cols);
          div.style.maxHeight = tries[o].height + "px";
          var order = [corner].concat(CORNERS.filter(function (c) { return c !== corner; }));
          var here = null;
          for (var i = 0; i < order.length; i++) {
            moveTo(order[i]);
            var n = hits(origin, found) + (tries[o].whole && scrolls() ? 1 : 0);
            if (!here || n < here.n) { here = {corner: order[i], n: n, at: tries[o]}; }
            if (n === 0) { break; }
          }
          if (!result || here.n <= result.n) { result = here; }
          if (here.n === 0) { return; }
        }
      }
      attempt(open);
      if (result.n > 0 && first && !keep && view.first()) {
        var room = makeRoom(origin, tall);
        if (room) {
          view.own(function () {
            map.setView(room.view.centre, room.view.zoom, {animate: false});
          });
          result = {corner: room.corner, n: 0, at: room.at};
          div.setAttribute("data-room", "1");  // the first view was fitted anew for it
        }
      }
      if (result.n > 0) { attempt(fallback); }
      setOpen(result.at.open);
      setColumns(result.at.cols);
      div.style.maxHeight = result.at.height + "px";
      moveTo(result.corner);
      // Placed: a browser test (or a print) measures the legend only after this.
      div.setAttribute("data-placed", result.corner);
    }

    function covered() {
      var origin = map.getContainer().getBoundingClientRect();
      return hits(origin, obstacles()) > 0;
    }

    // The first view fitted again for the map's new size (firstView), and the legend then
    // placed as on the first view (room made for it again); else placed anew.
    function refitted() {
      if (!view.refit()) { return false; }
      div.removeAttribute("data-room");
      return true;
    }
    // (Fitted again at once, before the style sheet applies too: the view the page reports.)
    var styled = false;
    map.on("resize", function () {
      var again = refitted();
      if (styled) { place(again); }
    });

    syncGroups();
    // Measured once its style sheet applies (the page adds it without waiting for it).
    whenStyled(div, function () {
      styled = true;
      place(true);
      map.on("overlayadd overlayremove", function () { syncGroups(); place(false); });
      map.on("moveend jiegui:legendgrew", function () { if (covered()) { place(false); } });
      // The legend's box can change size after it was placed: its style sheet applying
      // late (placement goes on after 30 s without it), text reflowing, another
      // legend joining its corner. Each change is checked, and the legend placed again if
      // it now covers an interface or a link near one. place() itself ends in a state it
      // would choose again, so this settles (at most one more placement per change).
      if (window.ResizeObserver) {
        var lastSize = null;
        new ResizeObserver(function () {
          var box = control.getContainer().parentNode.getBoundingClientRect();
          var size = Math.round(box.width) + "x" + Math.round(box.height);
          if (lastSize !== null && size !== lastSize && covered()) { place(false); }
          lastSize = size;
        }).observe(div);
      }
    });
    // A popup the legend would cover folds it until the popup closes; if the folded legend
    // still covers it (its button sits under the layer control, by the popup's close
    // button), the legend goes to a corner clear of the popup until then. Checked when the
    // popup opens and again once the map has panned to show it.
    var popup = null;
    var cornerBeforePopup = null;
    function overPopup(origin) {
      var el = popup && popup.getElement();
      var b = legendRect(origin);
      if (!el || !b) { return false; }
      var a = rectOf(el, origin);
      return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    }
    function clearPopup() {
      if (!popup) { return; }
      var origin = map.getContainer().getBoundingClientRect();
      if (details && details.open && overPopup(origin)) {
        foldedForPopup = true;
        setOpen(false);
      }
      if (!overPopup(origin)) { return; }
      var from = corner;
      for (var i = 0; i < CORNERS.length; i++) {
        moveTo(CORNERS[i]);
        if (!overPopup(origin)) { break; }
      }
      if (cornerBeforePopup === null) { cornerBeforePopup = from; }
    }
    map.on("popupopen", function (e) { popup = e.popup; clearPopup(); });
    map.on("moveend", clearPopup);
    map.on("popupclose", function () {
      popup = null;
      if (cornerBeforePopup !== null) { moveTo(cornerBeforePopup); cornerBeforePopup = null; }
      if (foldedForPopup) { foldedForPopup = false; setOpen(true); }
    });
    map.jieguiLegendCorner = function () { return corner; };
  }

  // Leaflet's attribution control writes its text anew (innerHTML) whenever a credit is
  // added or removed (a basemap switched on); each time, the text is put in a span after a
  // button that folds and unfolds it (Leaflet 1.9's Control.Attribution._update, wrapped).
  // Folded, only the button shows; the credits are all in the page and one click away.
  function compactCredits(map, cfg) {
    var control = map.attributionControl;
    if (!control || !control.getContainer()) { return; }
    var box = control.getContainer();
    L.DomUtil.addClass(box, "jiegui-credits");
    var open = false;
    function show(next) {
      open = next;
      box.classList.toggle("jiegui-credits-open", open);
      var button = box.querySelector(".jiegui-credits-toggle");
      if (button) {
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.title = open ? cfg.hide : cfg.title;
      }
    }
    function decorate() {
      var text = document.createElement("span");
      text.className = "jiegui-credits-text";
      while (box.firstChild) { text.appendChild(box.firstChild); }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "jiegui-credits-toggle";
      button.textContent = cfg.label;
      box.appendChild(button);
      box.appendChild(text);
      show(open);
    }
    var update = control._update;
    control._update = function () {
      update.apply(this, arguments);
      if (this._map) { decorate(); }
    };
    L.DomEvent.on(box, "click", function (e) {
      var target = e.target;
      if (target && target.closest && target.closest(".jiegui-credits-toggle")) {
        L.DomEvent.preventDefault(e);
        show(!open);
      }
    });
    control._update();
  }

  function tileNotice(map, layer, text) {
    var div = null;
    layer.on("tileerror", function () {
      if (div) { return; }
      L.DomUtil.addClass(map.getContainer(), "jiegui-tiles-failed");
      div = L.DomUtil.create("div", "jiegui-tile-notice", map.getContainer());
      div.setAttribute("role", "status");
      div.textContent = text;
      L.DomEvent.disableClickPropagation(div);
    });
    layer.on("remove", function () {
      if (div) { L.DomUtil.remove(div); div = null; }
      L.DomUtil.removeClass(map.getContainer(), "jiegui-tiles-failed");
    });
  }

  function init(map, config) {
    if (config.scale) { L.control.scale(config.scale).addTo(map); }
    if (config.credits) { compactCredits(map, config.credits); }
    if (config.context) { drawContext(map, config.context); }
    if (config.labels) { drawLabels(map, config.labels); }
    if (config.legend) { drawLegend(map, config.legend); }
    if (config.tiles) { tileNotice(map, config.tiles.layer, config.tiles.text); }
  }

  window.JieguiMap = {init: init, decode: decode};
})();
