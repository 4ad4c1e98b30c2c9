/* IncluCities Live: the partner map's offline background and its label layout.
 *
 * Loaded by the map component after Leaflet (see inclucities/mapping.py). It
 * - draws the country outlines shipped in static/geo (no tiles, nothing fetched from outside);
 * - keeps every city marker tappable: markers that crowd each other (the Brussels area at the
 *   opening zoom) step aside in a set direction, joined to their true place by a leader line;
 * - places each city's name beside its marker, the pair labels along their lines and the
 *   partner countries' names on their country where they cover no marker, leader or label;
 * - shows a metric scale only.
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
  var HUB_RADIUS = 12; // crowded markers whose true places lie this close share one hub
  var RINGS = [14, 26, 40, 56, 72, 90, 110, 130]; // where a country name may sit around its centre, px
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
    // Markers stepped aside from (nearly) the same place draw their leaders from one shared
    // hub, so the leaders fan out like spokes and never cross one another.
    var aside = cities.filter(function (c) { return c.pos.x !== c.home.x || c.pos.y !== c.home.y; });
    cities.forEach(function (c) {
      var near = aside.filter(function (o) {
        return Math.abs(o.home.x - c.home.x) <= HUB_RADIUS && Math.abs(o.home.y - c.home.y) <= HUB_RADIUS;
      });
      if (aside.indexOf(c) < 0 || near.length < 2) {
        c.hub = { x: c.home.x, y: c.home.y };
        return;
      }
      c.hub = {
        x: near.reduce(function (sum, o) { return sum + o.home.x; }, 0) / near.length,
        y: near.reduce(function (sum, o) { return sum + o.home.y; }, 0) / near.length,
      };
    });
    cities.forEach(function (c) {
      var dx = Math.round(c.pos.x - c.home.x), dy = Math.round(c.pos.y - c.home.y);
      c.shift = { x: dx, y: dy };
      c.box = rect(c.pos.x, c.pos.y, c.size, c.size);
      c.node.style.transform = dx || dy ? "translate(" + dx + "px," + dy + "px)" : "";
      drawLeader(c, dx, dy, c.hub.x - c.home.x, c.hub.y - c.home.y);
      var iconOptions = c.layer.options.icon.options;
      iconOptions.popupAnchor = [dx, dy - c.size / 2];
      iconOptions.tooltipAnchor = [dx + c.size / 2, dy];
    });
  }

  /* From the true place (or the hub it shares) to the marker, in the marker's own frame. */
  function drawLeader(c, dx, dy, hx, hy) {
    while (c.leader.firstChild) c.leader.removeChild(c.leader.firstChild);
    c.leaderEnds = null;
    if (Math.sqrt((dx - hx) * (dx - hx) + (dy - hy) * (dy - hy)) <= c.size / 2) return; // under the marker
    var half = c.size / 2;
    hx = Math.round(hx);
    hy = Math.round(hy);
    c.leaderEnds = [{ x: c.home.x + hx, y: c.home.y + hy }, { x: c.pos.x, y: c.pos.y }];
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", half + hx);
    line.setAttribute("y1", half + hy);
    line.setAttribute("x2", half + dx);
    line.setAttribute("y2", half + dy);
    var dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("cx", half + hx);
    dot.setAttribute("cy", half + hy);
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

  /* A name on `lines` lines (1 to 3), each break at the space nearest its even share. */
  function setWrapped(c, lines) {
    if (c.text === undefined) c.text = c.label.textContent;
    if (c.wrapped === lines) return;
    c.wrapped = lines;
    var text = c.text, cuts = [];
    for (var k = 1; k < lines; k++) {
      var goal = (text.length * k) / lines, cut = -1;
      for (var i = 0; i < text.length; i++) {
        if (text[i] !== " " || (cuts.length && i <= cuts[cuts.length - 1])) continue;
        if (cut < 0 || Math.abs(i - goal) < Math.abs(cut - goal)) cut = i;
      }
      if (cut >= 0) cuts.push(cut);
    }
    while (c.label.firstChild) c.label.removeChild(c.label.firstChild);
    if (!cuts.length) {
      c.label.textContent = text;
      return;
    }
    var from = 0;
    cuts.concat([text.length]).forEach(function (cut) {
      var part = document.createElement("span");
      part.className = "line";
      part.textContent = text.slice(from, cut);
      c.label.appendChild(part);
      from = cut + 1;
    });
  }

  function labelLength(c) {
    return c.label ? (c.text !== undefined ? c.text : c.label.textContent).length : 0;
  }

  function placeCityLabels(cities, size) {
    var markers = cities.map(function (c) { return grow(c.box, 1); });
    var taken = [];
    var problems = 0;
    var overflow = { left: 0, right: 0, top: 0, bottom: 0 };
    var order = cities.slice().sort(function (a, b) {
      var crowdedA = a.shift.x || a.shift.y ? 1 : 0, crowdedB = b.shift.x || b.shift.y ? 1 : 0;
      // crowded markers first, and among them the longest names, which are hardest to place
      return crowdedB - crowdedA || (crowdedA ? labelLength(b) - labelLength(a) : 0) || b.size - a.size;
    });
    order.forEach(function (c) {
      if (!c.label) return;
      var others = markers.filter(function (_, i) { return cities[i] !== c; });
      var best = null, fallback = null;
      // One line first, then two, then three; the first spot that is free and in view wins.
      [1, 2, 3].forEach(function (wrapped) {
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

  /* Is a container point inside a country's outline? Ray casting on longitude and latitude. */
  function inRing(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function inShape(shape, lon, lat) {
    if (lon < shape.box[0] || lon > shape.box[2] || lat < shape.box[1] || lat > shape.box[3]) return false;
    return shape.polygons.some(function (polygon) {
      if (!inRing(polygon[0], lon, lat)) return false;
      for (var h = 1; h < polygon.length; h++) if (inRing(polygon[h], lon, lat)) return false;
      return true;
    });
  }

  function shapeOf(feature) {
    var g = feature.geometry;
    var polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    polygons.forEach(function (polygon) {
      polygon[0].forEach(function (pt) {
        box = [Math.min(box[0], pt[0]), Math.min(box[1], pt[1]), Math.max(box[2], pt[0]), Math.max(box[3], pt[1])];
      });
    });
    return { code: feature.properties.iso2, polygons: polygons, box: box };
  }

  /* Which country (code) lies under a container point, or "" for the sea. */
  function countryAt(state, point) {
    var ll = state.map.containerPointToLatLng(L.point(point.x, point.y));
    for (var i = 0; i < state.shapes.length; i++) {
      if (inShape(state.shapes[i], ll.lng, ll.lat)) return state.shapes[i].code;
    }
    return "";
  }

  /* The country under a point and all around it (2 px each way), else null: a name's middle
     is placed at whole pixels, so a spot on a border could land on the neighbour. */
  function firmlyAt(state, point) {
    var code = countryAt(state, point);
    var around = [[2, 0], [-2, 0], [0, 2], [0, -2], [2, 2], [-2, -2], [2, -2], [-2, 2]];
    for (var i = 0; i < around.length; i++) {
      if (countryAt(state, { x: point.x + around[i][0], y: point.y + around[i][1] }) !== code) return null;
    }
    return code;
  }

  /* A country's name: on the country and clear of every marker, leader and label; failing
     that, with its middle on the country; failing that, on the sea beside it (data-fit says
     which); else hidden. */
  function placeCountry(state, country, blocked, size) {
    var map = state.map, el = country.item.el;
    el.setAttribute("data-variant", 0);
    var m = measure(el), w = m.w, h = m.h;
    var centre = map.latLngToContainerPoint(country.latlng);
    var spots = [{ x: centre.x, y: centre.y }];
    RINGS.forEach(function (radius) {
      for (var k = 0; k < 16; k++) {
        var angle = (k * Math.PI) / 8;
        spots.push({ x: centre.x + Math.cos(angle) * radius, y: centre.y + Math.sin(angle) * radius * 0.7 });
      }
    });
    var free = spots.filter(function (s) {
      var box = rect(s.x, s.y, w, h);
      return inside(box, size) && !overlapsAny(grow(box, 2), blocked);
    });
    var own = country.code;
    // Covers no other country: every corner of the name on the country itself or on the sea.
    var clear = function (s) {
      var box = rect(s.x, s.y, w, h);
      var corners = [[box.x, box.y], [box.x + box.w, box.y], [box.x, box.y + box.h], [box.x + box.w, box.y + box.h]];
      return corners.every(function (p) {
        var at = countryAt(state, { x: p[0], y: p[1] });
        return at === own || at === "";
      });
    };
    var tests = [
      function (s) { return firmlyAt(state, s) === own && clear(s); },
      function (s) { return firmlyAt(state, s) === own; },
      function (s) { return firmlyAt(state, s) === "" && clear(s); },
      function (s) { return firmlyAt(state, s) === ""; },
    ];
    for (var t = 0; t < tests.length; t++) {
      var spot = free.filter(tests[t])[0];
      if (spot) {
        el.classList.remove("is-hidden");
        el.setAttribute("data-fit", String(t));
        country.item.marker.setLatLng(map.containerPointToLatLng(L.point(spot.x, spot.y)));
        blocked.push(rect(spot.x, spot.y, w, h));
        return true;
      }
    }
    el.classList.add("is-hidden");
    return false;
  }

  /* Small boxes along each leader line, so no free text lands on one. */
  function leaderBoxes(cities) {
    var boxes = [];
    cities.forEach(function (c) {
      if (!c.leaderEnds) return;
      var a = c.leaderEnds[0], b = c.leaderEnds[1];
      var steps = Math.ceil(Math.sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)) / 4);
      for (var i = 0; i <= steps; i++) {
        boxes.push(rect(a.x + ((b.x - a.x) * i) / steps, a.y + ((b.y - a.y) * i) / steps, 6, 6));
      }
    });
    return boxes;
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
    blocked = blocked.concat(labels.boxes, leaderBoxes(state.cities));
    state.pairs.forEach(function (pair) {
      var a = byId[pair.mentor], b = byId[pair.mentee];
      if (!a || !b) return;
      var ends = [map.containerPointToLatLng(L.point(a.pos.x, a.pos.y)), map.containerPointToLatLng(L.point(b.pos.x, b.pos.y))];
      if (state.lines[pair.id]) state.lines[pair.id].setLatLngs(ends);
      // On the line near its middle first, then beside it, a little further out each time.
      var dx = b.pos.x - a.pos.x, dy = b.pos.y - a.pos.y, length = Math.sqrt(dx * dx + dy * dy) || 1;
      var spots = [];
      [0, 14, -14, 20, -20, 28, -28, 36, -36, 46, -46, 56, -56].forEach(function (off) {
        [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82].forEach(function (t) {
          spots.push({ x: a.pos.x + dx * t - (dy / length) * off, y: a.pos.y + dy * t + (dx / length) * off });
        });
      });
      placeText(map, pair.item, spots, blocked, size);
    });
    state.countries.forEach(function (country) {
      placeCountry(state, country, blocked, size);
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
    if (state.touched || !state.problems) return; // a later layout may have settled it already
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
        state.shapes = data.features.map(shapeOf);
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
          item.el.setAttribute("data-country", code);
          state.countries.push({ code: code, item: item, latlng: L.latLng(point[1], point[0]) });
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
    // A metric scale only, in the page's number format (Leaflet writes "km" and "m").
    L.control.scale({ imperial: false, maxWidth: 110 }).addTo(map);
    var state = { map: map, cities: findCities(map, cfg), lines: findLines(map), pairs: [], countries: [], shapes: [], runs: 0, fitTries: 6, touched: false };
    (cfg.pairs || []).forEach(function (pair) {
      state.pairs.push({
        id: String(pair.id),
        mentor: pair.mentor,
        mentee: pair.mentee,
        item: textMarker(map, "pairLabels", "pair-label", [pair.label]),
      });
    });
    var run = function () { layout(state); };
    map.on("zoomend moveend resize", run);
    // Labels are placed for a still view: while it moves or zooms, the map is not settled.
    map.on("movestart zoomstart", function () {
      map.getContainer().setAttribute("data-settled", "no");
    });
    ["pointerdown", "wheel", "keydown", "touchstart"].forEach(function (type) {
      map.getContainer().addEventListener(type, function () { state.touched = true; }, { passive: true });
    });
    map.whenReady(run);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(run);
    drawBoundaries(state, cfg);
    window.IncluMapState = state; // for tests and debugging
    return state;
  }

  window.IncluMap = { init: init, countryAt: countryAt }; // countryAt: for tests
})();
