// Map behaviour added by geo/webmap.py: a grouped layer list that is also the legend, zoom to a
// layer, full screen, measuring distance and area, and the view and visible layers kept in the
// page URL (so that a copied link reopens what was on screen). No request leaves the page.
// Every text from data is set with textContent, never as HTML.
(function () {
  var map = __MAP__;
  var cfg = __CONFIG__;
  var layers = __LAYERS__;  // {layer id: Leaflet layer}
  var T = cfg.texts;
  var host = window.parent && window.parent !== window ? window.parent : window;

  // ---- URL state -------------------------------------------------------------------------
  function readUrl() {
    try { return new URL(host.location.href); } catch (e) { return null; }
  }
  function visibleIds() {
    return cfg.layers.filter(function (l) { return map.hasLayer(layers[l.id]); })
      .map(function (l) { return l.id; });
  }
  function stateParams() {
    var c = map.getCenter();
    return {view: c.lat.toFixed(5) + "," + c.lng.toFixed(5) + "," + map.getZoom(),
            layers: visibleIds().join(",")};
  }
  function writeUrl() {
    var url = readUrl();
    if (!url) return;
    var want = stateParams(), changed = false;
    Object.keys(want).forEach(function (k) {
      if (url.searchParams.get(k) !== want[k]) { url.searchParams.set(k, want[k]); changed = true; }
    });
    if (changed) {
      try { host.history.replaceState(host.history.state, "", url.toString()); } catch (e) {}
    }
  }

  // ---- initial view and visibility: from the URL when it has them --------------------------
  var url = readUrl();
  var shown = url && url.searchParams.get("layers");
  if (shown !== null && shown !== undefined) {
    var ids = shown.split(",");
    cfg.layers.forEach(function (l) {
      if (ids.indexOf(l.id) < 0 && map.hasLayer(layers[l.id])) map.removeLayer(layers[l.id]);
      if (ids.indexOf(l.id) >= 0 && !map.hasLayer(layers[l.id])) map.addLayer(layers[l.id]);
    });
  }
  var view = url && url.searchParams.get("view");
  var parts = view ? view.split(",").map(Number) : [];
  if (parts.length === 3 && parts.every(isFinite)) {
    map.setView([parts[0], parts[1]], parts[2]);
  } else {
    map.fitBounds(cfg.bounds);
  }

  // ---- the layer list, which is also the legend ---------------------------------------------
  function el(tag, cls, text) {
    var e = L.DomUtil.create(tag, cls);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function swatch(l) {
    var s = el("span", "hm-swatch" + (l.point ? " hm-point" : ""));
    s.style.borderColor = l.color;
    s.style.borderStyle = l.dash ? "dashed" : "solid";
    s.style.background = l.fill || "transparent";
    return s;
  }
  var rows = {};
  var Panel = L.Control.extend({
    options: {position: "topright"},
    onAdd: function () {
      var box = el("div", "hm-panel leaflet-bar");
      box.setAttribute("data-testid", "layer-list");
      var head = el("div", "hm-head");
      var title = el("span", "hm-title", T.layers);
      var toggle = el("button", "hm-fold", "−");
      toggle.title = T.fold;
      head.appendChild(title); head.appendChild(toggle);
      box.appendChild(head);
      var body = el("div", "hm-body");
      box.appendChild(body);
      L.DomEvent.on(toggle, "click", function (e) {
        L.DomEvent.stop(e);
        var hidden = body.style.display === "none";
        body.style.display = hidden ? "" : "none";
        toggle.textContent = hidden ? "−" : "+";
      });
      cfg.groups.forEach(function (g) {
        var members = cfg.layers.filter(function (l) { return l.group === g.id; });
        if (!members.length) return;
        body.appendChild(el("div", "hm-group", g.name));
        members.forEach(function (l) {
          var row = el("label", "hm-row");
          row.setAttribute("data-layer", l.id);
          var box = el("input");
          box.type = "checkbox";
          box.checked = map.hasLayer(layers[l.id]);
          L.DomEvent.on(box, "change", function () {
            if (box.checked) map.addLayer(layers[l.id]); else map.removeLayer(layers[l.id]);
            refresh(); writeUrl();
          });
          row.appendChild(box);
          row.appendChild(swatch(l));
          row.appendChild(el("span", "hm-name", l.name));
          if (l.count !== undefined) row.appendChild(el("span", "hm-count", "(" + l.count + ")"));
          var zoom = el("button", "hm-zoom", "⤢");
          zoom.title = T.zoomTo;
          zoom.setAttribute("aria-label", T.zoomTo + " " + l.name);
          L.DomEvent.on(zoom, "click", function (e) {
            L.DomEvent.stop(e);
            if (!map.hasLayer(layers[l.id])) { map.addLayer(layers[l.id]); box.checked = true; refresh(); }
            var b = layers[l.id].getBounds();
            if (b.isValid()) map.fitBounds(b, {maxZoom: 14, padding: [20, 20]});
          });
          row.appendChild(zoom);
          rows[l.id] = {row: row, box: box};
          body.appendChild(row);
        });
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });
  function refresh() {
    cfg.layers.forEach(function (l) {
      var on = map.hasLayer(layers[l.id]);
      rows[l.id].row.classList.toggle("hm-off", !on);
      rows[l.id].box.checked = on;
    });
  }
  new Panel().addTo(map);
  refresh();

  // ---- tools: full screen, measure, whole extent --------------------------------------------
  var measure = {on: false, points: [], shape: null, marks: null, out: null};
  function geodesicArea(latlngs) {
    var R = 6378137, d = Math.PI / 180, area = 0, n = latlngs.length;
    for (var i = 0; i < n; i++) {
      var p = latlngs[i], q = latlngs[(i + 1) % n];
      area += (q.lng - p.lng) * d * (2 + Math.sin(p.lat * d) + Math.sin(q.lat * d));
    }
    return Math.abs(area * R * R / 2);
  }
  function fmtLength(m) { return m >= 1000 ? (m / 1000).toFixed(2) + " km" : Math.round(m) + " m"; }
  function fmtArea(a) { return a >= 1e6 ? (a / 1e6).toFixed(2) + " km²" : Math.round(a) + " m²"; }
  function drawMeasure() {
    if (measure.shape) map.removeLayer(measure.shape);
    if (measure.marks) map.removeLayer(measure.marks);
    var pts = measure.points;
    measure.marks = L.layerGroup(pts.map(function (p) {
      return L.circleMarker(p, {radius: 4, color: "#111", weight: 2, fillOpacity: 1, interactive: false});
    })).addTo(map);
    var length = 0;
    for (var i = 1; i < pts.length; i++) length += pts[i - 1].distanceTo(pts[i]);
    var text = T.measureHint;
    if (pts.length >= 2) {
      measure.shape = (pts.length >= 3 ? L.polygon(pts, {color: "#111", weight: 2, dashArray: "5 4", fillOpacity: 0.08, interactive: false})
                                       : L.polyline(pts, {color: "#111", weight: 2, dashArray: "5 4", interactive: false})).addTo(map);
      text = T.distance + " " + fmtLength(length);
      if (pts.length >= 3) text += " · " + T.perimeter + " " + fmtLength(length + pts[pts.length - 1].distanceTo(pts[0]))
                              + " · " + T.area + " " + fmtArea(geodesicArea(pts));
    } else { measure.shape = null; }
    measure.out.textContent = text;
  }
  map.on("click", function (e) {
    if (!measure.on) return;
    measure.points.push(e.latlng);
    drawMeasure();
  });
  // ---- drawing a polygon to select what lies inside (returned to the page as all_drawings) ----
  var draw = {on: false, points: [], shape: null, synthetic: false};
  function finishDrawing() {
    if (draw.points.length < 3) return;
    var ring = draw.points.map(function (p) { return [p.lng, p.lat]; });
    ring.push(ring[0]);
    var feature = {type: "Feature", properties: {}, geometry: {type: "Polygon", coordinates: [ring]}};
    draw.on = false;
    map.getContainer().style.cursor = "";
    map.doubleClickZoom.enable();
    var b = map.getContainer().querySelector("[data-testid=draw]");
    if (b) b.classList.remove("hm-active");
    if (window.__GLOBAL_DATA__) {  // streamlit-folium: hand the polygon to the page
      window.__GLOBAL_DATA__.all_drawings = [feature];
      window.__GLOBAL_DATA__.last_active_drawing = feature;
      draw.synthetic = true;
      map.fire("click", {latlng: draw.points[0]});
      draw.synthetic = false;
    }
    window.harborDrawing = feature;
  }
  map.on("click", function (e) {
    if (!draw.on || draw.synthetic) return;
    draw.points.push(e.latlng);
    if (draw.shape) map.removeLayer(draw.shape);
    draw.shape = L.polygon(draw.points, {color: "#c0392b", weight: 2, dashArray: "4 3",
                                          fillOpacity: 0.1, interactive: false}).addTo(map);
  });
  map.on("dblclick", function (e) {
    if (!draw.on) return;
    L.DomEvent.stop(e);
    finishDrawing();
  });
  map.on("contextmenu", function () { if (draw.on) finishDrawing(); });

  var svg = function (d) {
    return '<svg viewBox="0 0 24 24" width="18" height="18" style="vertical-align:middle" fill="none" ' +
      'stroke="#222" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="' + d + '"/></svg>';
  };
  var ICONS = {
    fullscreen: svg("M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"),
    measure: svg("M3 17 17 3l4 4L7 21zM7 13l2 2M10 10l2 2M13 7l2 2"),
    home: svg("M3 11 12 3l9 8M5 9.5V21h14V9.5"),
    draw: svg("M4 20 8 6l9 2 3 9zM8 6l9 11")
  };
  var Tools = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var bar = el("div", "hm-tools leaflet-bar");
      function button(icon, title, testid, onClick) {
        var b = el("a", "hm-tool");
        b.innerHTML = ICONS[icon];  // constant SVG markup, not data
        b.href = "#"; b.title = title; b.setAttribute("role", "button");
        b.setAttribute("aria-label", title); b.setAttribute("data-testid", testid);
        L.DomEvent.on(b, "click", function (e) { L.DomEvent.stop(e); onClick(b); });
        bar.appendChild(b);
        return b;
      }
      button("fullscreen", T.fullscreen, "fullscreen", function () {
        var doc = host.document, target = window.frameElement || map.getContainer();
        if (doc.fullscreenElement) { doc.exitFullscreen(); return; }
        var request = target.requestFullscreen || target.webkitRequestFullscreen;
        if (request) request.call(target);
      });
      button("measure", T.measure, "measure", function (b) {
        measure.on = !measure.on;
        b.classList.toggle("hm-active", measure.on);
        measure.points = [];
        if (!measure.on) {
          if (measure.shape) map.removeLayer(measure.shape);
          if (measure.marks) map.removeLayer(measure.marks);
          measure.shape = measure.marks = null;
          measure.out.style.display = "none";
        } else {
          measure.out.style.display = "";
          drawMeasure();
        }
        map.getContainer().style.cursor = measure.on ? "crosshair" : "";
      });
      button("home", T.home, "home", function () { map.fitBounds(cfg.bounds); });
      if (cfg.draw) {
        button("draw", T.draw, "draw", function (b) {
          draw.on = !draw.on;
          b.classList.toggle("hm-active", draw.on);
          draw.points = [];
          if (draw.shape) { map.removeLayer(draw.shape); draw.shape = null; }
          map.getContainer().style.cursor = draw.on ? "crosshair" : "";
          if (draw.on) map.doubleClickZoom.disable(); else map.doubleClickZoom.enable();
        });
      }
      measure.out = el("div", "hm-measure");
      measure.out.setAttribute("data-testid", "measure-result");
      measure.out.style.display = "none";
      map.getContainer().appendChild(measure.out);
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    }
  });
  new Tools().addTo(map);
  var fsDoc = host.document;
  fsDoc.addEventListener("fullscreenchange", function () { setTimeout(function () { map.invalidateSize(); }, 200); });

  // ---- keep the URL in step -----------------------------------------------------------------
  map.on("moveend overlayadd overlayremove", writeUrl);
  // Streamlit rewrites the query string when the app sets its own parameters; put ours back.
  setInterval(writeUrl, 700);
  writeUrl();
})();
