/* Choropleth maps on the kelurahan/kecamatan boundaries (Leaflet, vendored; tiles only when configured).
   A map element names its data: data-boundaries (GeoJSON URL), data-values (json_script id: area id -> count),
   optional data-points (public report markers) and data-bubbles (a second figure drawn as circles). */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var COLOURS = ["#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"];

  function readJson(id) {
    var el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function colour(value, max) {
    if (!value) { return COLOURS[0]; }
    var step = Math.min(COLOURS.length - 1, 1 + Math.floor((value / max) * (COLOURS.length - 2) + 0.0001));
    return COLOURS[step];
  }

  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }

  function legend(map, max, label) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      var html = "<strong>" + escapeText(label) + "</strong><br>";
      html += '<i style="background:' + COLOURS[0] + '"></i>0<br>';
      for (var i = 1; i < COLOURS.length; i++) {
        var low = Math.ceil(((i - 1) / (COLOURS.length - 1)) * max) || 1;
        html += '<i style="background:' + COLOURS[i] + '"></i>' + low + "+<br>";
      }
      div.innerHTML = html;
      return div;
    };
    control.addTo(map);
  }

  function setup(el) {
    var values = readJson(el.dataset.values) || {};
    var points = readJson(el.dataset.points) || [];
    var bubbles = readJson(el.dataset.bubbles);
    var label = el.dataset.valueLabel || "";
    var map = L.map(el, { scrollWheelZoom: false, attributionControl: true });
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
    }
    var max = 0;
    Object.keys(values).forEach(function (k) { max = Math.max(max, values[k]); });
    fetch(el.dataset.boundaries, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geojson) {
        var bubbleMax = 0;
        if (bubbles) { Object.keys(bubbles).forEach(function (k) { bubbleMax = Math.max(bubbleMax, bubbles[k]); }); }
        var layer = L.geoJSON(geojson, {
          style: function (f) {
            return { color: "#555", weight: 1, fillOpacity: 0.75, fillColor: colour(values[f.properties.id] || 0, max || 1) };
          },
          onEachFeature: function (f, l) {
            var text = "<strong>" + escapeText(f.properties.name) + "</strong>";
            if (f.properties.kecamatan) { text += "<br>" + escapeText(f.properties.kecamatan); }
            text += "<br>" + escapeText(label) + ": " + (values[f.properties.id] || 0);
            if (bubbles) {
              text += "<br>" + escapeText(el.dataset.bubbleLabel) + ": Rp " +
                Math.round(bubbles[f.properties.id] || 0).toLocaleString("id-ID");
            }
            l.bindPopup(text);
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds());
        if (bubbles && bubbleMax > 0) {
          layer.eachLayer(function (l) {
            var amount = bubbles[l.feature.properties.id] || 0;
            if (!amount) { return; }
            L.circleMarker(l.getBounds().getCenter(), {
              radius: 4 + 16 * Math.sqrt(amount / bubbleMax), color: "#0d6efd", weight: 1, fillOpacity: 0.5
            }).addTo(map);
          });
        }
        points.forEach(function (p) {
          L.circleMarker([p.lat, p.lng], { radius: 4, color: "#0d6efd", weight: 1, fillOpacity: 0.8 })
            .bindPopup("<strong>" + escapeText(p.reference) + "</strong><br>" + escapeText(p.service) + "<br>" +
              escapeText(p.status_label) + " · " + escapeText(p.kelurahan) + "<br>" + escapeText(p.filed))
            .addTo(map);
        });
        legend(map, max, label);
        el.dataset.ready = "1";
      });
  }

  document.querySelectorAll("[data-map='choropleth']").forEach(setup);
})();
