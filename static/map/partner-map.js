/* IncluCities Live: the partner map's offline background and its label layout.
 *
 * Loaded by the map component after Leaflet (see inclucities/mapping.py). It
 * - draws the country outlines shipped in static/geo (no tiles, nothing fetched from outside);
 * - keeps every city marker tappable: markers that crowd each other (the Brussels area at the
 *   opening zoom) step aside in a set direction, joined to their true place by a leader line;
 * - places each city's name beside its marker, the pair labels along their lines and the
 *   partner countries' names where they cover no marker and no other label, or hides them.
 * All text comes from the page as data and is set with textContent, never as HTML.
 */
(function () {
  "use strict";

  // folium creates each marker with Leaflet's default icon before giving it ours; say where
  // those images are, or Leaflet guesses a wrong path before its stylesheet has loaded (404s)
  if (window.L && L.Icon && L.Icon.Default) {
    L.Icon.Default.imagePath = "/app/static/vendor/leaflet-1.9.3/images/";
  }

  var GAP = 4; // free pixels kept around each marker
  var STEP_ASIDE = 20; // how far beyond its own edge a crowded marker moves, in pixels
  var SVG = "http://www.w3.org/2000/svg";

  function rect(cx, cy, w, h) {
    return { x: cx - w / 2, y: cy - h / 2, w: w, h: h };
  }

  function grow(r, by) {
    return { x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by };
  }

  function overlap(a, b) {
    var x = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
    var y = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
    return x > 0 && y > 0 ? x * y : 0;
  }

  function overlapsAny(r, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      if (overlap(r, boxes[i]) > 0) return true;
    }
    return false;
  }

  var EDGE = 2; // labels keep this far from the map's edge

  function inside(r, size) {
    return r.x >= EDGE && r.y >= EDGE && r.x + r.w <= size.x - EDGE && r.y + r.h <= size.y - EDGE;
  }

  /* Rendered size, rounded up: offsetWidth rounds fractions down and a label could overhang. */
  function measure(el) {
    var r = el.getBoundingClientRect();
    return { w: Math.ceil(r.width), h: Math.ceil(r.height) };
  }

  function findCities(map, cfg) {
    var cities = [];
    map.eachLayer(function (layer) {
      var root = layer instanceof L.Marker && layer.getElement && layer.getElement();
      var node = root && root.querySelector(".city-marker");
      if (!node) return;
      var id = node.getAttribute("data-city");
      var own = cfg.cities[id] || {};
      var leader = document.createElementNS(SVG, "svg");
      leader.setAttribute("class", "city-leader");
      leader.setAttribute("aria-hidden", "true");
      root.insertBefore(leader, node);
      cities.push({
        id: id,
        layer: layer,
        node: node,
        leader: leader,
        label: node.querySelector(".city-label"),
        size: own.size || node.offsetWidth,
        dir: own.crowd || null,
      });
    });
    return cities;
  }

  function findLines(map) {
    var lines = {};
    map.eachLayer(function (layer) {
      var name = layer instanceof L.Polyline && layer.options.className;
      var match = name && /pair-(\d+)/.exec(name);
      if (match) lines[match[1]] = layer;
    });
    return lines;
  }

  function textMarker(map, pane, className, texts) {
    var holder = document.createElement("span");
    holder.className = className;
    texts.forEach(function (text, index) {
      var part = document.createElement("span");
      part.className = "variant variant-" + index;
      part.setAttribute("dir", "auto");
      part.textContent = text;
      holder.appendChild(part);
    });
    var icon = L.divIcon({ html: holder, className: "map-text-icon", iconSize: [0, 0] });
    var marker = L.marker(map.getCenter(), { icon: icon, interactive: false, keyboard: false, pane: pane });
    marker.addTo(map);
    return { marker: marker, el: holder };
  }

  /* Markers: true place, then stepped aside if crowded, then pushed apart if still touching. */
  function placeMarkers(map, cities) {
    cities.forEach(function (c) {
      c.home = map.latLngToContainerPoint(c.layer.getLatLng());
      c.pos = { x: c.home.x, y: c.home.y };
    });
    cities.forEach(function (c) {
      if (!c.dir) return;
      var mine = grow(rect(c.home.x, c.home.y, c.size, c.size), GAP);
      var crowded = cities.some(function (o) {
        return o !== c && overlap(mine, rect(o.home.x, o.home.y, o.size, o.size)) > 0;
      });
      if (!crowded) return;
      var length = Math.sqrt(c.dir[0] * c.dir[0] + c.dir[1] * c.dir[1]) || 1;
      var reach = c.size / 2 + STEP_ASIDE;
      c.pos = { x: c.home.x + (c.dir[0] / length) * reach, y: c.home.y + (c.dir[1] / length) * reach };
    });
    for (var round = 0; round < 50; round++) {
      var moved = false;
      for (var i = 0; i < cities.length; i++) {
        for (var j = i + 1; j < cities.length; j++) {
          var a = cities[i], b = cities[j];
          var need = (a.size + b.size) / 2 + GAP;
          var dx = b.pos.x - a.pos.x, dy = b.pos.y - a.pos.y;
          var gap = Math.max(Math.abs(dx), Math.abs(dy));
          if (gap >= need) continue;
          var dist = Math.sqrt(dx * dx + dy * dy);
          var ux = dist ? dx / dist : 1, uy = dist ? dy / dist : 0;
          var push = (need - gap) / 2 + 1;
          a.pos.x -= ux * push; a.pos.y -= uy * push;
          b.pos.x += ux * push; b.pos.y += uy * push;
          moved = true;
        }
      }
      if (!moved) break;
    }
    cities.forEach(function (c) {
      var dx = Math.round(c.pos.x - c.home.x), dy = Math.round(c.pos.y - c.home.y);
      c.shift = { x: dx, y: dy };
      c.box = rect(c.pos.x, c.pos.y, c.size, c.size);
      c.node.style.transform = dx || dy ? "translate(" + dx + "px," + dy + "px)" : "";
      drawLeader(c, dx, dy);
      var iconOptions = c.layer.options.icon.options;
      iconOptions.popupAnchor = [dx, dy - c.size / 2];
      iconOptions.tooltipAnchor = [dx + c.size / 2, dy];
    });
  }

  function drawLeader(c, dx, dy) {
    while (c.leader.firstChild) c.leader.removeChild(c.leader.firstChild);
    if (Math.sqrt(dx * dx + dy * dy) <= c.size / 2) return; // the true place is under the marker
    var half = c.size / 2;
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", half);
    line.setAttribute("y1", half);
    line.setAttribute("x2", half + dx);
    line.setAttribute("y2", half + dy);
    var dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("cx", half);
    dot.setAttribute("cy", half);
    dot.setAttribute("r", 3);
    c.leader.appendChild(line);
    c.leader.appendChild(dot);
  }

  /* City names: the side facing away from the crowd first, then right, left, below, above. */
  function sidesFor(c) {
    var sides = ["right", "left", "below", "above"];
    var sx = c.shift.x, sy = c.shift.y;
    if (sx || sy) {
      var first = Math.abs(sx) >= Math.abs(sy) ? (sx > 0 ? "right" : "left") : sy > 0 ? "below" : "above";
      sides.splice(sides.indexOf(first), 1);
      sides.unshift(first);
    }
    return sides;
  }

  function labelBox(c, side, w, h, size) {
    var cx = c.pos.x, cy = c.pos.y, half = c.size / 2;
    if (side === "right") return { x: cx + half + GAP, y: cy - h / 2, w: w, h: h };
    if (side === "left") return { x: cx - half - GAP - w, y: cy - h / 2, w: w, h: h };
    // Above or below: centred, but slid sideways (still touching the marker) to stay in view.
    var x = Math.max(EDGE, Math.min(cx - w / 2, size.x - w - EDGE));
    x = Math.max(cx + half - w, Math.min(x, cx - half));
    if (side === "below") return { x: x, y: cy + half + 2, w: w, h: h };
    return { x: x, y: cy - half - 2 - h, w: w, h: h };
  }

  /* A name on one line, or on two lines broken at the space nearest its middle. */
  function setWrapped(c, wrapped) {
    if (c.text === undefined) c.text = c.label.textContent;
    if (c.wrapped === wrapped) return;
    c.wrapped = wrapped;
    var text = c.text, cut = -1;
    for (var i = 0; i < text.length; i++) {
      if (text[i] === " " && (cut < 0 || Math.abs(i - text.length / 2) < Math.abs(cut - text.length / 2))) cut = i;
    }
    while (c.label.firstChild) c.label.removeChild(c.label.firstChild);
    if (!wrapped || cut < 0) {
      c.label.textContent = text;
      return;
    }
    [text.slice(0, cut), text.slice(cut + 1)].forEach(function (line) {
      var part = document.createElement("span");
      part.className = "line";
      part.textContent = line;
      c.label.appendChild(part);
    });
  }

  function placeCityLabels(cities, size) {
    var markers = cities.map(function (c) { return grow(c.box, 1); });
    var taken = [];
    var problems = 0;
    var overflow = { left: 0, right: 0, top: 0, bottom: 0 };
    var order = cities.slice().sort(function (a, b) {
      var crowdedA = a.shift.x || a.shift.y ? 1 : 0, crowdedB = b.shift.x || b.shift.y ? 1 : 0;
      return crowdedB - crowdedA || b.size - a.size;
    });
    order.forEach(function (c) {
      if (!c.label) return;
      var others = markers.filter(function (_, i) { return cities[i] !== c; });
      var best = null, fallback = null;
      // One line first, then wrapped onto two; the first spot that is free and in view wins.
      [false, true].forEach(function (wrapped) {
        if (best) return;
        setWrapped(c, wrapped);
        var m = measure(c.label), w = m.w, h = m.h;
        sidesFor(c).forEach(function (side) {
          if (best) return;
          var box = labelBox(c, side, w, h, size);
          if (overlapsAny(box, others) || overlapsAny(box, taken)) return;
          var spot = { side: side, box: box, wrapped: wrapped, out: w * h - overlap(box, { x: 0, y: 0, w: size.x, h: size.y }) };
          if (inside(box, size)) best = spot;
          else if (!fallback || spot.out < fallback.out) fallback = spot;
        });
      });
      best = best || fallback;
      if (!best) problems++;
      else if (!inside(best.box, size)) {
        problems++;
        overflow.left = Math.max(overflow.left, EDGE - best.box.x);
        overflow.right = Math.max(overflow.right, best.box.x + best.box.w - size.x + EDGE);
        overflow.top = Math.max(overflow.top, EDGE - best.box.y);
        overflow.bottom = Math.max(overflow.bottom, best.box.y + best.box.h - size.y + EDGE);
      }
      c.label.classList.toggle("is-hidden", !best);
      if (!best) return;
      setWrapped(c, best.wrapped);
      c.label.setAttribute("data-side", best.side);
      var half = c.size / 2;
      c.label.style.left = best.box.x - (c.pos.x - half) + "px";
      c.label.style.top = best.box.y - (c.pos.y - half) + "px";
      taken.push(best.box);
    });
    return { boxes: taken, problems: problems, overflow: overflow };
  }

  /* Free text (pair themes, country names): the first spot that covers nothing, else hidden. */
  function placeText(map, item, spots, blocked, size) {
    var variants = item.el.querySelectorAll(".variant");
    for (var v = 0; v < variants.length; v++) {
      item.el.setAttribute("data-variant", v);
      var m = measure(item.el), w = m.w, h = m.h;
      for (var s = 0; s < spots.length; s++) {
        var box = rect(spots[s].x, spots[s].y, w, h);
        if (inside(box, size) && !overlapsAny(grow(box, 2), blocked)) {
          item.el.classList.remove("is-hidden");
          item.marker.setLatLng(map.containerPointToLatLng(L.point(spots[s].x, spots[s].y)));
          blocked.push(box);
          return true;
        }
      }
    }
    item.el.classList.add("is-hidden");
    return false;
  }

  function layout(state) {
    var map = state.map, size = map.getSize();
    if (!size.x || !size.y) return;
    placeMarkers(map, state.cities);
    var byId = {};
    state.cities.forEach(function (c) { byId[c.id] = c; });
    var blocked = state.cities.map(function (c) { return grow(c.box, GAP); });
    var labels = placeCityLabels(state.cities, size);
    state.problems = labels.problems;
    state.overflow = labels.overflow;
    blocked = blocked.concat(labels.boxes);
    state.pairs.forEach(function (pair) {
      var a = byId[pair.mentor], b = byId[pair.mentee];
      if (!a || !b) return;
      var ends = [map.containerPointToLatLng(L.point(a.pos.x, a.pos.y)), map.containerPointToLatLng(L.point(b.pos.x, b.pos.y))];
      if (state.lines[pair.id]) state.lines[pair.id].setLatLngs(ends);
      var spots = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82].map(function (t) {
        return { x: a.pos.x + (b.pos.x - a.pos.x) * t, y: a.pos.y + (b.pos.y - a.pos.y) * t };
      });
      var dx = b.pos.x - a.pos.x, dy = b.pos.y - a.pos.y, length = Math.sqrt(dx * dx + dy * dy) || 1;
      [14, -14, 24, -24, 36, -36].forEach(function (off) {
        spots.push({ x: (a.pos.x + b.pos.x) / 2 - (dy / length) * off, y: (a.pos.y + b.pos.y) / 2 + (dx / length) * off });
      });
      placeText(map, pair.item, spots, blocked, size);
    });
    state.countries.forEach(function (country) {
      var p = map.latLngToContainerPoint(country.latlng);
      placeText(map, country.item, [{ x: p.x, y: p.y }], blocked, size);
    });
    map.getContainer().setAttribute("data-layout", String(++state.runs));
    var fitting = state.problems && state.fitTries > 0 && !state.touched;
    map.getContainer().setAttribute("data-settled", fitting ? "no" : "yes");
    if (fitting) {
      state.fitTries--;
      setTimeout(function () { fitLabels(state); }, 0);
    }
  }

  /* Opening view only (until the visitor touches the map): while a city's name would stick out
     of view, slide the map if only one side lacks room, else zoom out a step. */
  function fitLabels(state) {
    var map = state.map, o = state.overflow || {};
    if (state.touched) return;
    var dx = o.left && !o.right ? -(o.left + GAP) : o.right && !o.left ? o.right + GAP : 0;
    var dy = o.top && !o.bottom ? -(o.top + GAP) : o.bottom && !o.top ? o.bottom + GAP : 0;
    var stuck = (o.left && o.right) || (o.top && o.bottom) || (!dx && !dy);
    state.cities.forEach(function (c) {
      var moved = { x: c.box.x - dx, y: c.box.y - dy, w: c.box.w, h: c.box.h };
      if (!inside(moved, map.getSize())) stuck = true; // sliding would push a marker out of view
    });
    if (!stuck) {
      map.panBy([dx, dy], { animate: false });
      return;
    }
    var zoom = map.getZoom() - (map.options.zoomSnap || 0.25);
    if (zoom >= map.getMinZoom()) map.setZoom(zoom, { animate: false });
  }

  function drawBoundaries(state, cfg) {
    if (!cfg.boundaries || !window.fetch) return;
    fetch(cfg.boundaries)
      .then(function (response) {
        if (!response.ok) throw new Error("boundaries: HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        var partners = cfg.countries || {};
        L.geoJSON(data, {
          pane: "boundaries",
          interactive: false,
          attribution: cfg.attribution || "",
          style: function (feature) {
            var partner = Object.prototype.hasOwnProperty.call(partners, feature.properties.iso2);
            return { className: "country" + (partner ? " partner-country" : ""), weight: 1 };
          },
        }).addTo(state.map);
        data.features.forEach(function (feature) {
          var code = feature.properties.iso2;
          if (!Object.prototype.hasOwnProperty.call(partners, code)) return;
          var item = textMarker(state.map, "countryLabels", "country-label", [partners[code]]);
          var point = feature.properties.label;
          state.countries.push({ item: item, latlng: L.latLng(point[1], point[0]) });
        });
        state.map.getContainer().setAttribute("data-boundaries", "drawn");
        layout(state);
      })
      .catch(function (error) {
        state.map.getContainer().setAttribute("data-boundaries", "missing");
        if (window.console) console.warn(error);
      });
  }

  function init(map, cfg) {
    map.createPane("boundaries").style.zIndex = 250;
    map.createPane("countryLabels").style.zIndex = 450;
    map.createPane("pairLabels").style.zIndex = 550;
    var state = { map: map, cities: findCities(map, cfg), lines: findLines(map), pairs: [], countries: [], runs: 0, fitTries: 6, touched: false };
    (cfg.pairs || []).forEach(function (pair) {
      state.pairs.push({
        id: String(pair.id),
        mentor: pair.mentor,
        mentee: pair.mentee,
        item: textMarker(map, "pairLabels", "pair-label", [pair.label, pair.short]),
      });
    });
    var run = function () { layout(state); };
    map.on("zoomend moveend resize", run);
    ["pointerdown", "wheel", "keydown", "touchstart"].forEach(function (type) {
      map.getContainer().addEventListener(type, function () { state.touched = true; }, { passive: true });
    });
    map.whenReady(run);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(run);
    drawBoundaries(state, cfg);
    window.IncluMapState = state; // for tests and debugging
    return state;
  }

  window.IncluMap = { init: init };
})();
