/* Complaint clusters on the kelurahan map (planning evidence page). Data comes from a json_script block. */
(function () {
  "use strict";
  var holder = document.getElementById("evidence-map");
  var source = document.getElementById("evidence-map-data");
  if (!holder || !source || typeof L === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var escapeText = window.PortalMap.escapeText;
  var map = L.map(holder, { scrollWheelZoom: false });
  if (data.tiles && data.tiles.url) {
    L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution || "", maxZoom: 19 }).addTo(map);
  }
  var boundaries = L.geoJSON(data.boundaries, {
    style: { color: "#1f5f8b", weight: 1, fillColor: "#cfe2f3", fillOpacity: 0.45 },
    onEachFeature: function (feature, layer) { layer.bindTooltip(escapeText(feature.properties.name)); }
  });
  // The view must exist before vector layers are added.
  var bounds = boundaries.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds); } else { map.setView([-3.3186, 114.5944], 12); }
  boundaries.addTo(map);
  window.PortalMap.untabbable(boundaries);
  var biggest = Math.max.apply(null, data.points.map(function (p) { return p.count; }).concat([1]));
  data.points.forEach(function (p) {
    L.circleMarker([p.lat, p.lng], {
      radius: 6 + 18 * Math.sqrt(p.count / biggest),
      color: "#b02a37", weight: 1, fillColor: "#dc3545", fillOpacity: 0.6
    }).bindPopup(escapeText(p.label)).addTo(map);
  });
})();
