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
    // A map that starts low on its page (below a table) still gets most of the window.
    var h = Math.max(360, Math.round(host.innerHeight * 0.6), Math.floor(host.innerHeight - top - 12));
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

  // The zoom buttons, with their tooltips in the page's language (Leaflet's own are English).
  if (map.zoomControl) {
    map.removeControl(map.zoomControl);
    map.zoomControl = L.control.zoom({zoomInTitle: T.zoomIn, zoomOutTitle: T.zoomOut}).addTo(map);
  }

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
    // box: what the map shows now, west,south,east,north, for a print of this view (the same
    // centre and zoom show more or less in another window).
    var b = map.getBounds();
    var want = {map: cfg.scope, layers: visibleIds().join(","),
                view: atHome() ? null : c.lat.toFixed(5) + "," + c.lng.toFixed(5) + "," + map.getZoom(),
                box: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
                  return v.toFixed(5); }).join(",")};
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
  // A name can be written in several ways (see geo/labels.py): a band's name (spec.alts) at
  // other places along the band, on two lines or smaller; an area's name elsewhere inside it
  // and a point's long name on two lines (spec.spares, used only to make room for a band's).
  function writeText(inner, way) {  // text nodes: names are data, not HTML
    inner.textContent = "";
    (way.lines || [way.text]).forEach(function (line, i) {
      if (i) inner.appendChild(document.createElement("br"));
      inner.appendChild(document.createTextNode(line));
    });
    inner.style.fontSize = way.font ? "calc(" + way.font + "px * var(--hm-scale))" : "";
  }
  var labels = (cfg.labels || []).map(function (lb) {
    var inner = el("span", "hm-label-text hm-style-" + (lb.style || "plain"));
    var wrap = el("div", "hm-label-box");
    wrap.appendChild(inner);
    var icon = L.divIcon({className: "hm-label" + (lb.point ? " hm-label-point" : ""), html: wrap,
                          iconSize: [0, 0]});
    var marker = L.marker([lb.lat, lb.lng], {icon: icon, interactive: false, keyboard: false,
                                             pane: "hm-labels"});
    function merged(alt) {  // the label at another place or written another way
      var way = {};
      Object.keys(lb).forEach(function (k) {
        if (k !== "alts" && k !== "spares" && k !== "lines") way[k] = lb[k];
      });
      Object.keys(alt).forEach(function (k) { way[k] = alt[k]; });
      return way;
    }
    return {spec: lb, ways: [lb].concat((lb.alts || []).map(merged)),
            spares: (lb.spares || []).map(merged), marker: marker, inner: inner, way: null};
  });
  // The size a name takes on screen, measured once per text size in a hidden copy: the fonts
  // differ from one computer to another, and the size from geo/labels.py is an estimate.
  var ruler = el("div", "hm-label-box");
  ruler.style.visibility = "hidden";
  ruler.setAttribute("aria-hidden", "true");
  map.getContainer().appendChild(ruler);
  var measuredAt = null;
  function measure() {
    if (measuredAt === scale) return;
    measuredAt = scale;
    var copies = [];
    labels.forEach(function (item) {
      item.ways.concat(item.spares).forEach(function (way) {
        var copy = el("span", item.inner.className);
        writeText(copy, way);
        ruler.appendChild(copy);
        ruler.appendChild(document.createElement("br"));
        copies.push([way, copy]);
      });
    });
    copies.forEach(function (pair) {  // never below the estimate: an unlaid page measures 0
      pair[0].pw = Math.max(pair[0].w * scale, pair[1].offsetWidth);
      pair[0].ph = Math.max(pair[0].h * scale, pair[1].offsetHeight);
    });
    ruler.textContent = "";
  }
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(function () { measuredAt = null; placeLabels(); });
  }
  // A point's name goes right of it, else left, above or below, wherever it overlaps nothing;
  // moved to make room for a band's name, also to a corner. [x, y] of each side: -1, 0 or 1.
  var SIDES = {right: [1, 0], left: [-1, 0], top: [0, -1], bottom: [0, 1], "top-right": [1, -1],
               "bottom-right": [1, 1], "top-left": [-1, -1], "bottom-left": [-1, 1]};
  var FIRST_SIDES = ["right", "left", "top", "bottom"];
  var GAP = 4;  // pixels kept clear between two names
  var SAME_NAME_PX = 150;  // a name is not written twice this close (a city as 设区市 and 城市定位)
  // To make room for a band's name: the most places tried for it, failed tries in all and
  // names moved (a fixed amount of work, not of time, so that a page always looks the same).
  var SEARCH_PLACES = 400, SEARCH_STEPS = 3000, MOVING = 12;
  function offset(lb) { return (lb.r || 6) + 3; }  // a point's name starts just off its symbol
  // The room a name takes: its bounding box, and for a turned name the turned rectangle itself
  // (corners), so that a name along a diagonal band is not kept off all that its box holds.
  function box(way, p, side) {
    var w = (way.pw || way.w * scale) + 6, h = (way.ph || way.h * scale) + 2, gap = offset(way);
    var a = (way.angle || 0) * Math.PI / 180, c = Math.abs(Math.cos(a)), s = Math.abs(Math.sin(a));
    var bw = w * c + h * s, bh = w * s + h * c;
    var x0 = p.x - bw / 2, y0 = p.y - bh / 2, d = SIDES[side];
    if (d) {
      if (d[0] && d[1]) gap *= 0.7;  // a corner: about as far from the symbol's centre
      if (d[0]) x0 = d[0] > 0 ? p.x + gap : p.x - gap - bw;
      if (d[1]) y0 = d[1] > 0 ? p.y + gap : p.y - gap - bh;
    }
    var out = {x0: x0, y0: y0, x1: x0 + bw, y1: y0 + bh};
    if (s > 1e-3 && c > 1e-3) {  // turned by -angle on screen (y down): along (cos, -sin)
      var ux = Math.cos(a) * w / 2, uy = -Math.sin(a) * w / 2;
      var vx = Math.sin(a) * h / 2, vy = Math.cos(a) * h / 2;
      out.corners = [[p.x - ux - vx, p.y - uy - vy], [p.x + ux - vx, p.y + uy - vy],
                     [p.x + ux + vx, p.y + uy + vy], [p.x - ux + vx, p.y - uy + vy]];
    }
    return out;
  }
  function transform(side, gap) {  // where a point's name goes on screen (as in box)
    var d = SIDES[side];
    if (d[0] && d[1]) gap *= 0.7;
    function shift(k) { return k > 0 ? gap + "px" : k < 0 ? "calc(-100% - " + gap + "px)" : "-50%"; }
    return "translate(" + shift(d[0]) + "," + shift(d[1]) + ")";
  }
  function cornersOf(b) {
    return b.corners || [[b.x0, b.y0], [b.x1, b.y0], [b.x1, b.y1], [b.x0, b.y1]];
  }
  function apart(a, b, gap) {  // at least gap apart across a side of a or of b
    var ca = cornersOf(a), cb = cornersOf(b);
    return [ca, cb].some(function (poly) {
      for (var i = 0; i < 2; i++) {
        var ex = poly[i + 1][0] - poly[i][0], ey = poly[i + 1][1] - poly[i][1];
        var len = Math.sqrt(ex * ex + ey * ey) || 1;
        ex /= len; ey /= len;
        var pa = ca.map(function (q) { return q[0] * ex + q[1] * ey; });
        var pb = cb.map(function (q) { return q[0] * ex + q[1] * ey; });
        if (Math.min.apply(null, pb) >= Math.max.apply(null, pa) + gap ||
            Math.min.apply(null, pa) >= Math.max.apply(null, pb) + gap) return true;
      }
      return false;
    });
  }
  function overlaps(a, b, gap) {
    var near = a.x0 < b.x1 + gap && b.x0 < a.x1 + gap && a.y0 < b.y1 + gap && b.y0 < a.y1 + gap;
    if (!near || (!a.corners && !b.corners)) return near;
    return !apart(a, b, gap);
  }
  function crosses(line, b, gap) {  // does the segment line[0]-line[1] pass through box b
    var a = line[0], e = line[1], lo = 0, hi = 1, dx = e.x - a.x, dy = e.y - a.y;
    var sides = [[-dx, a.x - b.x0 + gap], [dx, b.x1 + gap - a.x], [-dy, a.y - b.y0 + gap],
                 [dy, b.y1 + gap - a.y]];
    for (var i = 0; i < 4; i++) {
      var pe = sides[i][0], qe = sides[i][1];
      if (pe === 0) {
        if (qe < 0) return false;
      } else if (pe < 0) {
        lo = Math.max(lo, qe / pe);
      } else {
        hi = Math.min(hi, qe / pe);
      }
      if (lo > hi) return false;
    }
    return true;
  }
  function meets(l, m) {  // do two segments cross
    function turn(p, q, r) { return (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x); }
    return turn(l[0], l[1], m[0]) * turn(l[0], l[1], m[1]) < 0 &&
      turn(m[0], m[1], l[0]) * turn(m[0], m[1], l[1]) < 0;
  }
  function clash(x, y) {  // two placed names (with their lines to a band) overlap
    return overlaps(x.b, y.b, GAP) || (x.leader && crosses(x.leader, y.b, 2)) ||
      (y.leader && crosses(y.leader, x.b, 2)) || (x.leader && y.leader && meets(x.leader, y.leader));
  }
  // The point symbols on screen: a name may not cover one. A band's name, and a name moved to
  // make room for it, keep clear of every point (the major projects' too, a layer with an area
  // among its points); the other names, placed as before, of the layers of points.
  function symbols(every) {
    var out = [];
    cfg.layers.forEach(function (l) {
      if (!(l.point || every) || !map.hasLayer(layers[l.id])) return;
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
    measure();
    var zoom = map.getZoom(), size = map.getSize(), fixed = controls();
    var marks = symbols(false), allMarks = symbols(true);
    var metres = 40075016.686 / map.options.crs.scale(zoom);  // web mercator metres a pixel
    var placed = [];  // the names placed: {item, way, p, side, b: box, leader}
    // Wholly on the map, clear of the controls, the symbols and the names placed.
    function room(c, others, strict) {
      var b = c.b;
      return b.x0 >= 0 && b.y0 >= 0 && b.x1 <= size.x && b.y1 <= size.y &&
        !fixed.some(function (o) { return overlaps(o, b, GAP) || (c.leader && crosses(c.leader, o, 2)); }) &&
        !(strict || c.way.across !== undefined ? allMarks : marks).some(function (o) {
          return overlaps(o, b, 0) || (c.leader && crosses(c.leader, o, 1));
        }) &&
        !others.some(function (o) { return clash(o, c); });
    }
    function at(c, q) { c.p = q; c.b = box(c.way, q, c.side); return c; }
    function bandChoices(item, way, order, p, out) {
      // On the band, else just beside it on either side, parallel (touching it, else a little
      // off), else at an end on past it, on its line; else level near it, with a line to it.
      var a = (way.angle || 0) * Math.PI / 180, h = way.ph || way.h * scale, w = way.pw || way.w * scale;
      var shift = way.across / metres + h / 2 + 2;
      [-1, 1, -2, 2].forEach(function (k) {
        var d = Math.sign(k) * (shift + (Math.abs(k) - 1) * 10);
        out.push(at({item: item, way: way, side: "centre", order: order, moved: 1},
                    L.point(p.x + d * Math.sin(a), p.y + d * Math.cos(a))));
      });
      [5, 15].forEach(function (gap) {  // clear of the band's tip by so many pixels
        if (!way.end) return;
        var d = way.end * (w / 2 + gap);
        out.push(at({item: item, way: way, side: "centre", order: order, moved: 2},
                    L.point(p.x + d * Math.cos(a), p.y - d * Math.sin(a))));
      });
    }
    function callouts(item, ways) {
      var forms = [], starts = [];
      ways.forEach(function (way) {
        var form = (way.lines ? 2 : 1) + "/" + (way.font || 0);
        if (forms.every(function (f) { return f.form !== form; })) {
          way.level = way.level || Object.assign({}, way, {angle: 0});
          forms.push({form: form, way: way.level});
        }
        var p = map.latLngToContainerPoint([way.lat, way.lng]);
        if (!way.end && starts.every(function (q) { return q.distanceTo(p) > 4; })) starts.push(p);
      });
      // The line starts on the band's middle line (at its places and halfway between them), on
      // the map and off every symbol, nearest the band's middle first.
      var middle = map.latLngToContainerPoint([item.spec.lat, item.spec.lng]);
      var a = (item.spec.angle || 0) * Math.PI / 180;
      starts.sort(function (p, q) { return (p.x - q.x) * Math.cos(a) - (p.y - q.y) * Math.sin(a); });
      starts = starts.concat(starts.slice(1).map(function (p, i) {
        return L.point((p.x + starts[i].x) / 2, (p.y + starts[i].y) / 2);
      })).filter(function (p) {
        return p.x > 0 && p.y > 0 && p.x < size.x && p.y < size.y &&
          !allMarks.some(function (o) { return overlaps(o, {x0: p.x, y0: p.y, x1: p.x, y1: p.y}, 4); });
      }).sort(function (p, q) { return p.distanceTo(middle) - q.distanceTo(middle); }).slice(0, 8);
      var out = [];
      for (var r = 24; r <= 240; r += 12) {
        starts.forEach(function (s) {
          for (var t = 0; t < 16; t++) {
            forms.forEach(function (f) {
              var c = at({item: item, way: f.way, side: "centre", order: 0, moved: 3},
                         L.point(s.x + r * Math.cos(t * Math.PI / 8), s.y + r * Math.sin(t * Math.PI / 8)));
              c.leader = [s, L.point(Math.max(c.b.x0, Math.min(s.x, c.b.x1)), Math.max(c.b.y0, Math.min(s.y, c.b.y1)))];
              out.push(c);
            });
          }
        });
      }
      return out;
    }
    function choices(item, spare) {  // the ways and places the name may take now, best first
      var out = [];
      if (!map.hasLayer(layers[item.spec.layer])) return out;
      var ways = (spare ? item.ways.concat(item.spares) : item.ways).filter(function (way) {
        return zoom + 1e-9 >= way.minZoom;
      });
      ways.forEach(function (way, order) {
        var p = map.latLngToContainerPoint([way.lat, way.lng]);
        var twice = placed.some(function (o) {
          return o.item !== item && o.item.spec.text === way.text && o.p.distanceTo(p) < SAME_NAME_PX;
        });
        if (twice) return;
        (way.point ? spare ? Object.keys(SIDES) : FIRST_SIDES : ["centre"]).forEach(function (side) {
          out.push(at({item: item, way: way, side: side, order: order}, p));
        });
        if (way.across !== undefined) bandChoices(item, way, order, p, out);
      });
      // On the band before beside it, in its type size before smaller; then past an end; then
      // in the order given. A line to the band last.
      function rank(c) {
        return c.moved === 3 ? 6 : c.moved === 2 ? 4 + (c.way.font ? 1 : 0) : (c.way.font ? 2 : 0) + (c.moved ? 1 : 0);
      }
      out.sort(function (x, y) { return rank(x) - rank(y) || x.order - y.order; });
      return item.spec.alts && ways.length ? out.concat(callouts(item, ways)) : out;
    }
    labels.forEach(function (item) {
      item.choice = null;
      choices(item).some(function (c) { return room(c, placed) && (item.choice = c); });
      if (item.choice) placed.push(item.choice);
    });
    // A band's name that found no room may move names already placed to their other places (a
    // point's name to another side of its symbol or onto two lines, an area's name elsewhere
    // inside the area, another band's name along its band) where each overlaps nothing either:
    // no name goes, and the band is named too. A short search: the name with the fewest
    // places left first, each try taking the places it blocks from the others.
    function elsewhere(o) {  // where a placed name may be: where it is, then its other places
      return [o].concat(choices(o.item, true).filter(function (k) {
        return k.moved !== 3 && !(k.way === o.way && k.side === o.side && k.p.equals(o.p)) &&
          room(k, [], true);
      }));
    }
    function extent(list) {  // the box around a name's places, with their lines
      var out = {x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity};
      list.forEach(function (k) {
        [k.b].concat(k.leader ? k.leader.map(function (q) { return {x0: q.x, y0: q.y, x1: q.x, y1: q.y}; }) : [])
          .forEach(function (b) {
            out.x0 = Math.min(out.x0, b.x0); out.y0 = Math.min(out.y0, b.y0);
            out.x1 = Math.max(out.x1, b.x1); out.y1 = Math.max(out.y1, b.y1);
          });
      });
      return out;
    }
    function makeRoom(item) {
      var domains = placed.map(elsewhere), reach = domains.map(extent), steps = 0, tried = 0;
      return choices(item).some(function (c) {
        if (steps > SEARCH_STEPS || tried >= SEARCH_PLACES || !room(c, [])) return false;
        tried++;
        var moving = [];
        placed.forEach(function (o, i) { if (clash(o, c)) moving.push(i); });
        if (moving.some(function (i) { return domains[i].length < 2; })) return false;
        // The names that may have to move: those in the way, and those that any of them may
        // move onto, and so on; the others stay where they are, out of reach.
        for (var grown = true; grown && moving.length <= MOVING;) {
          grown = false;
          placed.forEach(function (o, j) {
            if (moving.indexOf(j) < 0 && moving.some(function (i) { return overlaps(reach[i], reach[j], GAP + 2); })) {
              moving.push(j);
              grown = true;
            }
          });
        }
        if (moving.length > MOVING) return false;
        var open = moving.map(function (i) {
          return domains[i].filter(function (k) { return !clash(c, k); });
        });
        var picked = moving.map(function () { return null; });
        function search(open) {
          var next = -1;
          open.forEach(function (list, i) {
            if (!picked[i] && (next < 0 || list.length < open[next].length)) next = i;
          });
          if (next < 0) return true;
          return open[next].some(function (k) {
            if (steps > SEARCH_STEPS) return false;
            var rest = open.map(function (list, i) {
              return picked[i] || i === next ? list : list.filter(function (o) { return !clash(k, o); });
            });
            picked[next] = k;
            if (!rest.some(function (list, i) { return !picked[i] && !list.length; }) && search(rest)) return true;
            picked[next] = null;
            steps++;
            return false;
          });
        }
        if (open.some(function (list) { return !list.length; }) || !search(open)) return false;
        moving.forEach(function (i, n) { placed[i] = picked[n]; picked[n].item.choice = picked[n]; });
        placed.push(c);
        item.choice = c;
        return true;
      });
    }
    labels.forEach(function (item) {
      if (!item.choice && item.spec.alts) makeRoom(item);
    });
    labels.forEach(function (item) {
      var c = item.choice;
      if (item.leader && !(c && c.leader)) {
        map.removeLayer(item.leader);
        item.leader = null;
      }
      if (!c) {
        if (map.hasLayer(item.marker)) map.removeLayer(item.marker);
        return;
      }
      if (item.way !== c.way) {
        writeText(item.inner, c.way);
        item.inner.style.transform = c.way.angle ? "rotate(" + (-c.way.angle) + "deg)" : "";
        item.way = c.way;
      }
      item.marker.setLatLng(c.moved ? map.containerPointToLatLng(c.p) : [c.way.lat, c.way.lng]);
      if (!map.hasLayer(item.marker)) item.marker.addTo(map);
      if (c.way.point) item.marker.getElement().firstChild.style.transform = transform(c.side, offset(c.way));
      if (c.leader) {  // the line from the band to a name written level beside it
        var ends = c.leader.map(function (q) { return map.containerPointToLatLng(q); });
        if (item.leader) item.leader.setLatLngs(ends);
        else item.leader = L.polyline(ends, {pane: "hm-labels", interactive: false, weight: 1.2,
                                             color: "#145a32", opacity: 0.9}).addTo(map);
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
  // Show exactly the layers ``ids`` (geo/deck.js: a scene's layers).
  window.harbor.show = function (ids) {
    cfg.layers.forEach(function (l) {
      var on = ids.indexOf(l.id) >= 0;
      if (on && !map.hasLayer(layers[l.id])) map.addLayer(layers[l.id]);
      if (!on && map.hasLayer(layers[l.id])) map.removeLayer(layers[l.id]);
    });
    changed();
  };
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
