// A sequence of scenes over one web map of geo/webmap.py, loaded after geo/webmap.js:
//   harborDeck(harbor, deck)
// with window.harbor (from harborMap) and a data object: {scenes: [{title, layers: [ids],
// bounds: [[s, w], [n, e]], lead, sections: [{title, items: [text]}]}], texts, param}.
// Each scene shows only its layers (and so only their names and legend rows) and flies to its
// bounds, without reloading the page. Next: arrow right or down, Page Down, space, Enter;
// previous: arrow left or up, Page Up, Backspace; Home and End; F for full screen — what a
// presenter's clicker sends. The scene's number is kept in the URL (?scene=N; #scene=N for a
// file opened from disk). Every text from data is set with textContent, never as HTML.
window.harborDeck = function (harbor, deck) {
  var map = harbor.map, T = deck.texts, scenes = deck.scenes, param = deck.param || "scene";
  var host = window.parent && window.parent !== window ? window.parent : window;
  var current = -1;
  document.documentElement.classList.add("hm-deck");
  map.invalidateSize();  // the deck's map fills the window
  if (map.keyboard) map.keyboard.disable();  // the arrow keys change scene, not pan

  function el(tag, cls, text) {
    var e = L.DomUtil.create(tag, cls);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ---- the panel: the scene's title, lead and lists in type sized for the screen -----------
  var parts = {};
  var Panel = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var box = parts.box = el("div", "hm-deck-panel");
      box.setAttribute("data-testid", "deck-panel");
      parts.title = el("h1", "hm-deck-title");
      parts.title.setAttribute("data-testid", "deck-title");
      parts.lead = el("p", "hm-deck-lead");
      parts.body = el("div", "hm-deck-body");
      box.appendChild(parts.title);
      box.appendChild(parts.lead);
      box.appendChild(parts.body);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });
  new Panel().addTo(map);

  var Nav = L.Control.extend({
    options: {position: "bottomright"},
    onAdd: function () {
      var bar = el("div", "hm-deck-nav");
      function button(text, title, testid, onClick) {
        var b = el("button", "hm-deck-button", text);
        b.type = "button"; b.title = title; b.setAttribute("aria-label", title);
        b.setAttribute("data-testid", testid);
        L.DomEvent.on(b, "click", function (e) { L.DomEvent.stop(e); onClick(); b.blur(); });
        bar.appendChild(b);
        return b;
      }
      button("◀", T.previous, "deck-prev", function () { go(current - 1); });
      parts.counter = el("span", "hm-deck-counter");
      parts.counter.setAttribute("data-testid", "deck-counter");
      bar.appendChild(parts.counter);
      button("▶", T.next, "deck-next", function () { go(current + 1); });
      button("", T.fullscreen, "deck-fullscreen", fullscreen).innerHTML =  // constant markup
        '<svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="#222" stroke-width="2.4" ' +
        'stroke-linecap="round" aria-hidden="true"><path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"/></svg>';
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    }
  });
  new Nav().addTo(map);

  function fullscreen() {
    var doc = host.document, target = window.frameElement || document.documentElement;
    if (doc.fullscreenElement) { doc.exitFullscreen(); return; }
    var request = target.requestFullscreen || target.webkitRequestFullscreen;
    if (request) request.call(target);
  }

  // ---- the scene number in the URL --------------------------------------------------------
  function fromUrl() {
    var loc = host.location, match = null;
    try { match = new URL(loc.href).searchParams.get(param); } catch (e) {}
    if (!match) {
      var hash = /(?:^#|&)scene=(\d+)/.exec(loc.hash || "");
      match = hash && hash[1];
    }
    var n = parseInt(match, 10);
    return n >= 1 && n <= scenes.length ? n - 1 : 0;
  }
  function toUrl(i) {
    var loc = host.location;
    try {
      if (loc.protocol === "file:") {
        host.history.replaceState(host.history.state, "", "#" + param + "=" + (i + 1));
      } else {
        var url = new URL(loc.href);
        url.searchParams.set(param, String(i + 1));
        host.history.replaceState(host.history.state, "", url.toString());
      }
    } catch (e) {}
  }

  // ---- moving between scenes -----------------------------------------------------------------
  function padding() {
    var panel = map.getContainer().querySelector(".hm-deck-panel");
    var legend = map.getContainer().querySelector(".hm-panel");
    var left = panel ? panel.offsetWidth + 30 : 40, right = legend ? legend.offsetWidth + 30 : 40;
    var size = map.getSize();
    if (left + right > size.x * 0.7) { left = 40; right = 40; }  // a narrow window: the map first
    return {paddingTopLeft: [left, 30], paddingBottomRight: [right, 60]};
  }
  function hideEmptyGroups() {  // a legend heading with none of its layers shown
    var heads = map.getContainer().querySelectorAll(".hm-group");
    Array.prototype.forEach.call(heads, function (head) {
      var shown = false;
      for (var n = head.nextElementSibling; n && !n.classList.contains("hm-group"); n = n.nextElementSibling) {
        if (n.classList.contains("hm-item") && !n.classList.contains("hm-off")) shown = true;
      }
      head.classList.toggle("hm-empty", !shown);
    });
  }
  // The panel ends above the scale bar: where a scene's text is longer than the room, its type
  // is made smaller (to 60 % at most, then it scrolls) - a presenter cannot scroll a slide.
  var BELOW = 70;  // px kept free at the bottom: the scale bar and the attribution
  function fitPanel() {
    var box = parts.box, frame = map.getContainer().getBoundingClientRect();
    box.style.fontSize = "";
    box.style.maxHeight = Math.max(120, frame.bottom - box.getBoundingClientRect().top - BELOW) + "px";
    var size = parseFloat(window.getComputedStyle(box).fontSize), least = size * 0.6;
    while (box.scrollHeight > box.clientHeight + 1 && size > least) {
      size = Math.max(least, size * 0.93);
      box.style.fontSize = size + "px";
    }
  }
  function go(i, animate) {
    i = Math.max(0, Math.min(scenes.length - 1, i));
    if (i === current) return;
    current = i;
    var s = scenes[i];
    harbor.show(s.layers);
    hideEmptyGroups();
    parts.title.textContent = s.title;
    parts.lead.textContent = s.lead || "";
    parts.lead.style.display = s.lead ? "" : "none";
    parts.body.textContent = "";
    (s.sections || []).forEach(function (section) {
      parts.body.appendChild(el("h2", "hm-deck-section", section.title));
      var list = el("ul", "hm-deck-list");
      section.items.forEach(function (text) { list.appendChild(el("li", "", text)); });
      parts.body.appendChild(list);
    });
    parts.counter.textContent = (i + 1) + " / " + scenes.length;
    harbor.scene = i + 1;
    document.documentElement.setAttribute("data-scene", String(i + 1));
    toUrl(i);
    fitPanel();
    var options = padding();
    if (animate === false) map.fitBounds(s.bounds, L.extend(options, {animate: false}));
    else map.flyToBounds(s.bounds, L.extend(options, {duration: 1.2}));
  }
  harbor.go = function (n) { go(n - 1); };
  // Full screen, or a window resized: the panel and the scene fitted to the new size.
  map.on("resize", function () {
    if (current < 0) return;
    fitPanel();
    map.fitBounds(scenes[current].bounds, L.extend(padding(), {animate: false}));
  });

  var TYPING = ["text", "search", "number", "email", "password", "url", "tel", "date"];
  var NEXT = ["ArrowRight", "ArrowDown", "PageDown", " ", "Spacebar", "Enter"];
  var PREVIOUS = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace"];
  function onKey(e) {
    var t = e.target, tag = t && t.tagName ? t.tagName.toLowerCase() : "";
    var typing = (tag === "input" && TYPING.indexOf((t.type || "text").toLowerCase()) >= 0) ||
      tag === "textarea" || tag === "select" || (t && t.isContentEditable);
    if (typing) return;  // a radio does not keep the keys: the clicker turns scenes
    var pressing = (tag === "button" || (t && t.getAttribute && t.getAttribute("role") === "button")) &&
      (e.key === " " || e.key === "Enter");
    if (pressing) return;  // a button's own keys
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var to = null;
    if (NEXT.indexOf(e.key) >= 0) to = current + 1;
    else if (PREVIOUS.indexOf(e.key) >= 0) to = current - 1;
    else if (e.key === "Home") to = 0;
    else if (e.key === "End") to = scenes.length - 1;
    else if (e.key === "f" || e.key === "F") { fullscreen(); e.preventDefault(); return; }
    if (to === null) return;
    e.preventDefault();
    e.stopPropagation();  // the page's own controls (the sidebar's list of pages) do not get it
    go(to);
  }
  window.addEventListener("keydown", onKey);
  function onHostKey(e) {  // a key pressed on the page around the map (Streamlit)
    var frame = window.frameElement;
    if (frame && !frame.isConnected) {  // this map was replaced: let go of the page
      host.document.removeEventListener("keydown", onHostKey, true);
      return;
    }
    onKey(e);
  }
  if (host !== window) {
    // Taken in the capture phase, before the page's own controls: a radio of the sidebar that
    // kept the focus would otherwise turn the arrow keys into another page.
    try { host.document.addEventListener("keydown", onHostKey, true); } catch (e) {}
  }
  go(fromUrl(), false);
  // The page's focus (the sidebar's list of pages, just clicked) goes to the deck, so that the
  // first key turns a scene rather than the page.
  try {
    if (host !== window && host.document.activeElement && host.document.activeElement.blur) {
      host.document.activeElement.blur();
    }
    window.focus();
  } catch (e) {}
};
