/* Choropleth maps on the kelurahan/kecamatan boundaries (Leaflet, vendored; tiles only when configured).
   A map element names its data: data-boundaries (GeoJSON URL), data-values (json_script id: area id -> count),
   data-classes (json_script id: the legend's classes, low/high/label/colour, from dashboards/maps.py),
   optional data-points (public report markers) and data-bubbles (a second figure drawn as circles). */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var escapeText = window.PortalMap.escapeText;
  function readJson(id) {
    var el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  // Where the boundaries come from, in the page's words ({% map_strings %}), as map-common.js gives the report
  // pages' maps; the GeoJSON (cached for every language) names the source alone. The maps credited only Leaflet.
  var pageWords = readJson("map-strings") || {};

  // The first class whose upper bound is not below the value (the classes cover 0 to the largest value).
  function colour(value, classes) {
    for (var i = 0; i < classes.length; i++) {
      if (value <= classes[i].high) { return classes[i].colour; }
    }
    return classes[classes.length - 1].colour;
  }

  function legend(map, classes, label) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      var html = "<strong>" + escapeText(label) + "</strong><br>";
      classes.forEach(function (c) {
        html += '<i style="background:' + escapeText(c.colour) + '"></i>' + escapeText(c.label) + "<br>";
      });
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
    var classes = readJson(el.dataset.classes) || [{ high: 0, label: "0", colour: "#fff5eb" }];
    fetch(el.dataset.boundaries, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geojson) {
        var bubbleMax = 0;
        if (bubbles) { Object.keys(bubbles).forEach(function (k) { bubbleMax = Math.max(bubbleMax, bubbles[k]); }); }
        var layer = L.geoJSON(geojson, {
          style: function (f) {
            return { color: "#555", weight: 1, fillOpacity: 0.75, fillColor: colour(values[f.properties.id] || 0, classes) };
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
        var attribution = pageWords.attribution || geojson.attribution;
        if (attribution) { map.attributionControl.addAttribution(escapeText(attribution)); }
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
        legend(map, classes, label);
        el.dataset.ready = "1";
      });
  }

  document.querySelectorAll("[data-map='choropleth']").forEach(setup);
})();
