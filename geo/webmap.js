// Map behaviour for geo/webmap.py, loaded as a static file; each map calls
//   harborMap(map, config, layers)
// with its Leaflet map, a data object (config) and its GeoJSON layers by id. It adds: a grouped
// layer list that is also the legend, a fixed draw order, names on the map (placed without
// overlap), zoom to a layer, full screen, measuring, a north arrow and a metric scale, the map
// sized to the window, and the view and visible layers kept in the page URL under the map's own
// scope (so another page does not take them). No request leaves the page. Every text from data
// is set with textContent, never as HTML.
window.harborMap = function (map, cfg, layers) {
  var T = cfg.texts;
  var host = window.parent && window.parent !== window ? window.parent : window;
  window.harbor = {map: map, cfg: cfg, layers: layers};

  function el(tag, cls, text) {
    var e = L.DomUtil.create(tag, cls);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ---- size: the map fills the window below its place on the page ---------------------------
  function fitWindow() {
    var frame = window.frameElement;
    if (!frame || host.document.fullscreenElement) return;
    var top = frame.getBoundingClientRect().top + (host.scrollY || 0);
    var h = Math.max(360, Math.floor(host.innerHeight - top - 12));
    if (Math.abs(frame.getBoundingClientRect().height - h) > 1) {
      frame.style.setProperty("height", h + "px", "important");
      frame.setAttribute("height", h);
    }
    var box = map.getContainer();
    if (Math.abs(box.clientHeight - h) > 1) {
      box.style.height = h + "px";
      map.invalidateSize();
    }
  }
  // Text and controls grow with the screen: 1 up to 1600 px wide, up to 1.5 beyond.
  var scale = 1;
  function scaleText() {
    scale = Math.max(1, Math.min(1.5, (host.innerWidth || 1600) / 1600));
    document.documentElement.style.setProperty("--hm-scale", scale.toFixed(3));
  }
  scaleText();

  // ---- cartographic basics: plain attribution, metric scale, north arrow --------------------
  if (map.attributionControl) {
    map.attributionControl.setPrefix(false);
    if (cfg.attribution) map.attributionControl.addAttribution(cfg.attribution);
  }
  L.control.scale({metric: true, imperial: false, position: "bottomleft", maxWidth: 160}).addTo(map);
  var North = L.Control.extend({
    options: {position: "bottomright"},
    onAdd: function () {
      var box = el("div", "hm-north");
      box.setAttribute("data-testid", "north-arrow");
      box.title = T.north;
      box.innerHTML = '<svg viewBox="0 0 40 56" width="30" height="42" aria-hidden="true">' +
        '<path d="M20 4 32 40 20 33 8 40Z" fill="#222" stroke="#222" stroke-width="1.5"/>' +
        '<path d="M20 4 8 40 20 33Z" fill="#fff" stroke="#222" stroke-width="1.5"/>' +
        '<text x="20" y="54" text-anchor="middle" font-size="13" font-weight="700" ' +
        'font-family="sans-serif">N</text></svg>';  // constant markup, not data
      return box;
    }
  });
  new North().addTo(map);

  // The opening view: the bounds, clear of the layer list on the right.
  var home = null;  // the view fitHome gave, until the user moves away from it
  var needsFit = false;
  function fitHome() {
    // A fixed room for the layer list (not its measured width, which depends on when the
    // fonts arrive): the same page opens at the same view however it was reached.
    var right = Math.round((cfg.legendWidth || 250) * scale), size = map.getSize();
    if (right > size.x / 2) right = 20;
    needsFit = size.x <= 50 + right + 20 || size.y <= 50 + 20;  // no room yet (a rerun): later
    if (needsFit) return;
    map.fitBounds(cfg.bounds, {paddingTopLeft: [50, 20], paddingBottomRight: [right, 30],
                               animate: false});
    home = {center: map.getCenter(), zoom: map.getZoom()};
    writeUrl();
  }
  // Still at the opening view: the user has not touched the map, and nothing else moved it
  // (a resize keeps the centre only to the pixel, and may run several times).
  function atHome() {
    if (!home || touched || map.getZoom() !== home.zoom) return false;
    return map.latLngToContainerPoint(home.center).distanceTo(map.getSize().divideBy(2)) < 6;
  }
  var touched = false;
  ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
    map.getContainer().addEventListener(name, function () { touched = true; }, true);
  });

  // ---- URL state, scoped to this map ---------------------------------------------------------
  function readUrl() {
    try { return new URL(host.location.href); } catch (e) { return null; }
  }
  function visibleIds() {
    return cfg.layers.filter(function (l) { return map.hasLayer(layers[l.id]); })
      .map(function (l) { return l.id; });
  }
  function setParam(key, value) {
    var url = readUrl();
    if (!url || url.searchParams.get(key) === (value || null)) return;
    if (value) url.searchParams.set(key, value); else url.searchParams.delete(key);
    try { host.history.replaceState(host.history.state, "", url.toString()); } catch (e) {}
  }
  // The page adds a group with the selection highlight on every rerun; a mark in it (option harborSel)
  // names the selected feature ("-" for none), which the URL keeps beside the view.
  map.on("layeradd", function (e) {
    var sel = e.layer && e.layer.options && e.layer.options.harborSel;
    if (sel && cfg.scope) setParam("sel", sel === "-" ? null : sel);
  });
  function writeUrl() {
    if (!cfg.scope) return;
    var url = readUrl();
    if (!url) return;
    var c = map.getCenter();
    // At the opening view the URL holds no view: a link then opens at the opening view of
    // whatever window it is opened in (a view taken while the page was still settling would
    // otherwise outlive it).
    var want = {map: cfg.scope, layers: visibleIds().join(","),
                view: atHome() ? null : c.lat.toFixed(5) + "," + c.lng.toFixed(5) + "," + map.getZoom()};
    var changed = false;
    Object.keys(want).forEach(function (k) {
      if (url.searchParams.get(k) === want[k]) return;
      if (want[k] === null) url.searchParams.delete(k); else url.searchParams.set(k, want[k]);
      changed = true;
    });
    if (changed) {
      try { host.history.replaceState(host.history.state, "", url.toString()); } catch (e) {}
    }
  }
  var url = readUrl();
  var own = cfg.scope && url && url.searchParams.get("map") === cfg.scope;
  var shown = own ? url.searchParams.get("layers") : null;
  if (shown !== null) {
    var ids = shown.split(",");
    cfg.layers.forEach(function (l) {
      var want = ids.indexOf(l.id) >= 0;
      if (!want && map.hasLayer(layers[l.id])) map.removeLayer(layers[l.id]);
      if (want && !map.hasLayer(layers[l.id])) map.addLayer(layers[l.id]);
    });
  }
  var parts = own && url.searchParams.get("view") ? url.searchParams.get("view").split(",").map(Number) : [];
  var fromUrl = parts.length === 3 && parts.every(isFinite);
  if (fromUrl) map.setView([parts[0], parts[1]], parts[2]);
  else fitHome();
  fitWindow();
  host.addEventListener("resize", function () { scaleText(); fitWindow(); });
  // Content above the map can grow or shrink (search results): keep the map in the window.
  if (window.ResizeObserver && host.document.body) {
    new ResizeObserver(function () { fitWindow(); }).observe(host.document.body);
  }
  setTimeout(fitWindow, 300);  // once the page around the map has settled

  // ---- draw order: fixed by the order given, whatever was toggled ---------------------------
  var mine = {};
  cfg.order.forEach(function (id) { mine[L.stamp(layers[id])] = true; });
  function restack() {
    cfg.order.forEach(function (id) {
      if (map.hasLayer(layers[id]) && layers[id].bringToFront) layers[id].bringToFront();
    });
    map.eachLayer(function (other) {  // what the page adds (the selection) stays on top
      if (!mine[L.stamp(other)] && other.bringToFront && other.getLayers) other.bringToFront();
    });
  }

  // ---- the layer list, which is also the legend ----------------------------------------------
  function swatch(s, point) {
    var sw = el("span", "hm-swatch" + (point ? " hm-point" : ""));
    sw.style.borderColor = s.color;
    sw.style.borderStyle = s.dash ? "dashed" : "solid";
    sw.style.background = s.fill || "transparent";
    return sw;
  }
  var rows = {};
  function setVisible(id, on) {
    if (on && !map.hasLayer(layers[id])) map.addLayer(layers[id]);
    if (!on && map.hasLayer(layers[id])) map.removeLayer(layers[id]);
    changed();
  }
  var Panel = L.Control.extend({
    options: {position: "topright"},
    onAdd: function () {
      var box = el("div", "hm-panel leaflet-bar");
      box.setAttribute("data-testid", "layer-list");
      var head = el("div", "hm-head");
      var toggle = el("button", "hm-fold", "−");
      toggle.title = T.fold;
      head.appendChild(el("span", "hm-title", T.layers));
      head.appendChild(toggle);
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
          var check = el("input");
          check.type = "checkbox";
          L.DomEvent.on(check, "change", function () { setVisible(l.id, check.checked); });
          row.appendChild(check);
          row.appendChild(swatch(l, l.point));
          row.appendChild(el("span", "hm-name", l.name));
          row.appendChild(el("span", "hm-count", "(" + l.count + ")"));
          var zoom = el("button", "hm-zoom", "⤢");
          zoom.title = T.zoomTo;
          zoom.setAttribute("aria-label", T.zoomTo + " " + l.name);
          L.DomEvent.on(zoom, "click", function (e) {
            L.DomEvent.stop(e);
            setVisible(l.id, true);
            var b = layers[l.id].getBounds();
            if (b.isValid()) map.fitBounds(b, {maxZoom: 14, padding: [20, 20]});
          });
          row.appendChild(zoom);
          var item = el("div", "hm-item");
          item.setAttribute("data-layer", l.id);
          item.appendChild(row);
          (l.classes || []).forEach(function (c) {  // one swatch a class: features told apart
            var sub = el("div", "hm-sub");
            sub.appendChild(swatch(c, l.point));
            sub.appendChild(el("span", "hm-name", c.name));
            item.appendChild(sub);
          });
          rows[l.id] = {row: item, box: check};
          body.appendChild(item);
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

  // ---- names on the map ----------------------------------------------------------------------
  map.createPane("hm-labels");
  map.getPane("hm-labels").style.zIndex = 640;
  map.getPane("hm-labels").style.pointerEvents = "none";
  var labels = (cfg.labels || []).map(function (lb) {
    var inner = el("span", "hm-label-text hm-style-" + (lb.style || "plain"));
    (lb.lines || [lb.text]).forEach(function (line, i) {  // text nodes: names are data, not HTML
      if (i) inner.appendChild(document.createElement("br"));
      inner.appendChild(document.createTextNode(line));
    });
    if (lb.angle) inner.style.transform = "rotate(" + (-lb.angle) + "deg)";
    var wrap = el("div", "hm-label-box");
    wrap.appendChild(inner);
    var icon = L.divIcon({className: "hm-label" + (lb.point ? " hm-label-point" : ""), html: wrap,
                          iconSize: [0, 0]});
    var marker = L.marker([lb.lat, lb.lng], {icon: icon, interactive: false, keyboard: false,
                                             pane: "hm-labels"});
    return {spec: lb, marker: marker};
  });
  // A point's name goes right of it, else left, above or below, wherever it overlaps nothing.
  var SIDES = ["right", "left", "top", "bottom"];
  var GAP = 4;  // pixels kept clear between two names
  var SAME_NAME_PX = 150;  // a name is not written twice this close (a city as 设区市 and 城市定位)
  function offset(lb) { return (lb.r || 6) + 3; }  // a point's name starts just off its symbol
  function box(lb, p, side) {
    var w = lb.w * scale + 6, h = lb.h * scale + 2, gap = offset(lb);
    var a = Math.abs(lb.angle || 0) * Math.PI / 180;
    var bw = w * Math.cos(a) + h * Math.sin(a), bh = w * Math.sin(a) + h * Math.cos(a);
    var x0 = p.x - bw / 2, y0 = p.y - bh / 2;
    if (side === "right") x0 = p.x + gap;
    if (side === "left") x0 = p.x - gap - bw;
    if (side === "top") y0 = p.y - gap - bh;
    if (side === "bottom") y0 = p.y + gap;
    return {x0: x0, y0: y0, x1: x0 + bw, y1: y0 + bh};
  }
  var TRANSFORMS = {
    right: function (g) { return "translate(" + g + "px,-50%)"; },
    left: function (g) { return "translate(calc(-100% - " + g + "px),-50%)"; },
    top: function (g) { return "translate(-50%,calc(-100% - " + g + "px))"; },
    bottom: function (g) { return "translate(-50%," + g + "px)"; }
  };
  function overlaps(a, b, gap) {
    return a.x0 < b.x1 + gap && b.x0 < a.x1 + gap && a.y0 < b.y1 + gap && b.y0 < a.y1 + gap;
  }
  function symbols() {  // the point symbols on screen: a name may not cover one
    var out = [];
    cfg.layers.forEach(function (l) {
      if (!l.point || !map.hasLayer(layers[l.id])) return;
      layers[l.id].eachLayer(function (f) {
        if (!f.getLatLng) return;
        var p = map.latLngToContainerPoint(f.getLatLng()), r = f.getRadius ? f.getRadius() : 6;
        out.push({x0: p.x - r, y0: p.y - r, x1: p.x + r, y1: p.y + r});
      });
    });
    return out;
  }
  function controls() {  // the layer list, tools, scale and north arrow: names stay clear of them
    var origin = map.getContainer().getBoundingClientRect();
    return Array.prototype.map.call(map.getContainer().querySelectorAll(".leaflet-control"), function (c) {
      var r = c.getBoundingClientRect();
      return {x0: r.left - origin.left, y0: r.top - origin.top, x1: r.right - origin.left, y1: r.bottom - origin.top};
    });
  }
  function placeLabels() {
    var zoom = map.getZoom(), size = map.getSize(), placed = controls(), marks = symbols(), written = [];
    labels.forEach(function (item) {
      var lb = item.spec, show = false;
      if (map.hasLayer(layers[lb.layer]) && zoom + 1e-9 >= lb.minZoom) {
        var p = map.latLngToContainerPoint([lb.lat, lb.lng]);
        var twice = written.some(function (o) { return o.text === lb.text && o.p.distanceTo(p) < SAME_NAME_PX; });
        var sides = twice ? [] : lb.point ? SIDES : ["centre"];
        for (var i = 0; i < sides.length && !show; i++) {
          var b = box(lb, p, sides[i]);
          var onScreen = b.x0 >= 0 && b.y0 >= 0 && b.x1 <= size.x && b.y1 <= size.y;  // whole
          show = onScreen && !placed.some(function (o) { return overlaps(o, b, GAP); }) &&
            !marks.some(function (o) { return overlaps(o, b, 0); });
          if (show) {
            placed.push(b);
            written.push({text: lb.text, p: p});
            item.side = sides[i];
          }
        }
      }
      if (show && !map.hasLayer(item.marker)) item.marker.addTo(map);
      if (!show && map.hasLayer(item.marker)) map.removeLayer(item.marker);
      if (show && lb.point) {
        item.marker.getElement().firstChild.style.transform = TRANSFORMS[item.side](offset(lb));
      }
    });
    window.harbor.labelsShown = labels.filter(function (i) { return map.hasLayer(i.marker); })
      .map(function (i) { return i.spec.text; });
  }

  // ---- picking: a click selects the smallest area of the visible pickable layers under it ----
  // (a zone inside another, 钱江新城 in 杭州金融城, is picked inside it and the larger one
  // elsewhere), or the point a click lands on. The pick reaches the page as a click on that
  // feature, which streamlit-folium returns as last_active_drawing.
  function inRings(latlng, rings) {  // even-odd over every ring: holes and parts included
    var inside = false;
    (function walk(a) {
      if (!a.length) return;
      if (a[0].lat === undefined) { a.forEach(walk); return; }
      for (var i = 0, j = a.length - 1; i < a.length; j = i++) {
        var p = a[i], q = a[j];
        if ((p.lat > latlng.lat) !== (q.lat > latlng.lat) &&
            latlng.lng < (q.lng - p.lng) * (latlng.lat - p.lat) / (q.lat - p.lat) + p.lng) inside = !inside;
      }
    })(rings);
    return inside;
  }
  function ringArea(rings) {  // outer rings only, in m²: enough to order areas
    if (rings[0] && rings[0].lat !== undefined) return geodesicArea(rings);
    if (rings[0] && rings[0][0] && rings[0][0].lat !== undefined) return geodesicArea(rings[0]);
    return rings.reduce(function (sum, part) { return sum + ringArea(part); }, 0);
  }
  // The pick is outlined at once; the page's own highlight (class hm-sel) replaces the outline
  // when the page has rerun with the new selection and its panel.
  var pending = null;
  function showPick(f) {
    if (pending) map.removeLayer(pending);
    pending = null;
    Array.prototype.forEach.call(map.getContainer().querySelectorAll(".hm-sel"), function (e) {
      e.style.display = "none";
    });
    if (!f) return;
    var style = {color: "#f1c40f", weight: 5, fill: false, interactive: false};
    pending = f instanceof L.Polygon ? L.polygon(f.getLatLngs(), style)
      : f.getLatLngs ? L.polyline(f.getLatLngs(), style)
      : L.circleMarker(f.getLatLng(), L.extend({radius: 14}, style));
    pending.addTo(map);
  }
  map.on("layeradd", function (e) {
    if (pending && e.layer && e.layer.options && e.layer.options.harborSel) {
      map.removeLayer(pending);
      pending = null;
    }
  });
  var pointHit = false;
  cfg.layers.forEach(function (l) {
    if (l.pick && l.point) layers[l.id].on("click", function (e) { pointHit = true; showPick(e.layer); });
  });
  map.on("click", function (e) {
    if (pointHit) { pointHit = false; return; }  // a town or project: its own click stands
    var hits = [];
    cfg.layers.forEach(function (l) {
      if (!l.pick || l.point || !map.hasLayer(layers[l.id])) return;
      layers[l.id].eachLayer(function (f) {
        if (!f.getLatLngs || !f.getBounds().contains(e.latlng) || !inRings(e.latlng, f.getLatLngs())) return;
        hits.push({area: ringArea(f.getLatLngs()), feature: f});
      });
    });
    if (!hits.length) { showPick(null); return; }
    hits.sort(function (a, b) { return a.area - b.area; });
    showPick(hits[0].feature);
    // Every visible zone here, smallest first, goes with the pick for the page to offer.
    var props = hits[0].feature.feature.properties;
    props.here = hits.map(function (h) {
      var p = h.feature.feature.properties;
      return p.layer_id + ":" + p.feature_id;
    });
    hits[0].feature.fire("click", {latlng: e.latlng, layer: hits[0].feature});
  });

  function changed() { restack(); refresh(); placeLabels(); writeUrl(); }
  map.on("zoomend moveend resize", placeLabels);
  map.on("resize", function () { if (needsFit || atHome()) fitHome(); });  // the opening view fills the new size

  // ---- tools: full screen, measure, whole extent, draw ---------------------------------------
  // While measuring or drawing, a click on the map only measures or draws: it is taken before
  // Leaflet sees it, so it selects nothing and tells the page nothing.
  var tool = {mode: null, points: [], shape: null, marks: null};
  var readout;
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
  function clearShape() {
    if (tool.shape) map.removeLayer(tool.shape);
    if (tool.marks) map.removeLayer(tool.marks);
    tool.shape = tool.marks = null;
  }
  function drawShape() {
    clearShape();
    var pts = tool.points, measuring = tool.mode === "measure";
    var style = measuring ? {color: "#111", weight: 2, dashArray: "5 4", fillOpacity: 0.08, interactive: false}
                          : {color: "#c0392b", weight: 2, dashArray: "4 3", fillOpacity: 0.1, interactive: false};
    tool.marks = L.layerGroup(pts.map(function (p) {
      return L.circleMarker(p, {radius: 4, color: style.color, weight: 2, fillOpacity: 1, interactive: false});
    })).addTo(map);
    if (pts.length >= 2) tool.shape = (pts.length >= 3 ? L.polygon(pts, style) : L.polyline(pts, style)).addTo(map);
    if (!measuring) return;
    var length = 0;
    for (var i = 1; i < pts.length; i++) length += pts[i - 1].distanceTo(pts[i]);
    var text = T.measureHint;
    if (pts.length >= 2) {
      text = T.distance + " " + fmtLength(length);
      if (pts.length >= 3) text += " · " + T.perimeter + " " + fmtLength(length + pts[pts.length - 1].distanceTo(pts[0]))
                              + " · " + T.area + " " + fmtArea(geodesicArea(pts));
    }
    readout.textContent = text;
  }
  function finishDrawing() {
    if (tool.points.length < 3) return;
    var polygon = L.polygon(tool.points);
    setMode(null);
    // Leaflet.draw's event, which streamlit-folium returns to the page as last_active_drawing.
    map.fire("draw:created", {layerType: "polygon", layer: polygon});
  }
  function inMap(e) {
    var c = map.getContainer();
    return c.contains(e.target) && !(e.target.closest && e.target.closest(".leaflet-control"));
  }
  document.addEventListener("click", function (e) {
    if (!tool.mode || !inMap(e)) return;
    e.stopPropagation(); e.preventDefault();
    tool.points.push(map.mouseEventToLatLng(e));
    drawShape();
  }, true);
  document.addEventListener("dblclick", function (e) {
    if (!tool.mode || !inMap(e)) return;
    e.stopPropagation(); e.preventDefault();
    if (tool.mode === "draw") finishDrawing();
  }, true);
  document.addEventListener("contextmenu", function (e) {
    if (tool.mode === "draw" && inMap(e)) { e.preventDefault(); finishDrawing(); }
  }, true);
  var buttons = {};
  function setMode(mode) {
    tool.mode = mode;
    tool.points = [];
    clearShape();
    Object.keys(buttons).forEach(function (k) { buttons[k].classList.toggle("hm-active", k === mode); });
    readout.style.display = mode === "measure" ? "" : "none";
    if (mode === "measure") drawShape();
    map.getContainer().style.cursor = mode ? "crosshair" : "";
    map.getContainer().classList.toggle("hm-tool-on", !!mode);  // no tooltips in the way
  }

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
      buttons.measure = button("measure", T.measure, "measure", function () {
        setMode(tool.mode === "measure" ? null : "measure");
      });
      button("home", T.home, "home", function () { fitHome(); });
      if (cfg.draw) {
        buttons.draw = button("draw", T.draw, "draw", function () {
          setMode(tool.mode === "draw" ? null : "draw");
        });
      }
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    }
  });
  new Tools().addTo(map);
  var Readout = L.Control.extend({  // above the scale bar, never under it
    options: {position: "bottomleft"},
    onAdd: function () {
      readout = el("div", "hm-measure");
      readout.setAttribute("data-testid", "measure-result");
      readout.style.display = "none";
      return readout;
    }
  });
  new Readout().addTo(map);
  host.document.addEventListener("fullscreenchange", function () {
    var frame = window.frameElement;
    setTimeout(function () {
      if (host.document.fullscreenElement === frame) {
        map.getContainer().style.height = "100vh";
      }
      fitWindow();
      map.invalidateSize();
      placeLabels();
    }, 200);
  });

  // ---- keep the URL in step ------------------------------------------------------------------
  map.on("moveend", writeUrl);
  changed();
};
