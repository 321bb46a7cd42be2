/* The public map: pins of public reports for the current filters (no names, no contact details), coloured by their
   state as the legend under the map says. */
(function () {
  "use strict";
  var element = document.getElementById("public-map");
  if (!element || !window.L) { return; }
  var map = window.PortalMap.create(element);
  fetch(element.dataset.pointsUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      data.features.forEach(function (feature) {
        var c = feature.geometry.coordinates, p = feature.properties;
        // Colours come from the stylesheet (public-map.css), as do the legend's: one place for both.
        var marker = L.circleMarker([c[1], c[0]], { radius: 7, className: "map-pin map-pin-" + (p.state || "other") });
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
