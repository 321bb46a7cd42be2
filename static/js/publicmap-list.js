/* The public map: pins of public reports for the current filters (no names, no contact details), told apart by their
   state as the legend under the map says: by shape as well as colour (WCAG 1.4.1), so that a colour-blind or
   low-vision reader can still tell a waiting report from one being handled or done. */
(function () {
  "use strict";
  var element = document.getElementById("public-map");
  if (!element || !window.L) { return; }

  /* One shape per state (complaints.queries.MAP_STATES), as polygons in a box from -1 to 1 (y downwards) or a circle:
     a circle waits, a square is being handled, a check mark is done, a diamond is a duplicate (as on the staff
     ticket map). The legend's swatches are drawn by the same function, so map and legend cannot drift apart. */
  var SHAPES = {
    waiting: "circle",
    handled: [[-0.8, -0.8], [0.8, -0.8], [0.8, 0.8], [-0.8, 0.8]],
    done: [[-0.7, -0.27], [-0.25, 0.18], [0.7, -0.77], [1, -0.47], [-0.25, 0.78], [-1, 0.03]],
    duplicate: [[0, -1], [1, 0], [0, 1], [-1, 0]]
  };
  SHAPES.other = SHAPES.duplicate;

  function pinPath(state, x, y, radius) {
    var shape = SHAPES[state] || SHAPES.other;
    if (shape === "circle") {
      var arc = "a" + radius + "," + radius + " 0 1,0 ";
      return "M" + (x - radius) + "," + y + arc + 2 * radius + ",0 " + arc + -2 * radius + ",0 Z";
    }
    var corners = shape.map(function (corner) { return (x + corner[0] * radius) + "," + (y + corner[1] * radius); });
    return "M" + corners.join("L") + "Z";
  }

  /* A circle marker drawn as its state's shape: still one SVG path per pin, as cheap as the plain circles were (a
     thousand pins; a divIcon would be a DOM element each). Leaflet has no public hook for a marker's outline, so the
     path is handed to the SVG renderer's _setPath; any other renderer (canvas) draws the plain circle. */
  var PinMarker = L.CircleMarker.extend({
    _updatePath: function () {
      var renderer = this._renderer;
      if (typeof renderer._setPath !== "function" || this._empty()) {
        L.CircleMarker.prototype._updatePath.call(this);
        return;
      }
      renderer._setPath(this, pinPath(this.options.state, this._point.x, this._point.y, this._radius));
    }
  });

  document.querySelectorAll("#public-map-legend [data-pin-state]").forEach(function (swatch) {
    swatch.setAttribute("d", pinPath(swatch.dataset.pinState, 8, 8, 6));
  });

  var map = window.PortalMap.create(element);
  // The kelurahan outlines and the pins share one SVG: outlines that arrive after the pins were drawn over them and
  // took their clicks (a pin's popup would not open). Outlines go under the pins whichever arrives first.
  map.ready.then(function (outlines) { outlines.bringToBack(); });
  fetch(element.dataset.pointsUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      data.features.forEach(function (feature) {
        var c = feature.geometry.coordinates, p = feature.properties, state = p.state || "other";
        // Colours come from the stylesheet (public-map.css), as do the legend's: one place for both.
        var marker = new PinMarker([c[1], c[0]], { radius: 8, state: state, className: "map-pin map-pin-" + state });
        var box = document.createElement("div");
        var link = document.createElement("a");
        link.href = p.url; link.textContent = p.reference;
        box.appendChild(link);
        [p.title, p.service + " · " + p.kelurahan, p.status].forEach(function (text) {
          var line = document.createElement("div"); line.textContent = text; box.appendChild(line);
        });
        marker.bindPopup(box).addTo(map);
      });
    });
})();
