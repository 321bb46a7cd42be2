// Small staff map: kelurahan boundaries, this ticket's pin, possible duplicates and nearby tickets.
// Works without a tile server (tiles only when MAP_TILE_URL is set).
(function () {
  "use strict";
  var element = document.getElementById("ticket-map");
  var source = document.getElementById("ticket-map-data");
  if (!element || !source || typeof L === "undefined") return;
  var data = JSON.parse(source.textContent);
  var map = L.map(element, { scrollWheelZoom: false, attributionControl: true });
  if (data.tile_url) {
    L.tileLayer(data.tile_url, { attribution: data.tile_attribution || "", maxZoom: 19 }).addTo(map);
  }
  var here = data.ticket;
  var bounds = [];
  if (here.lat !== null && here.lng !== null) bounds.push([here.lat, here.lng]);
  // A possible duplicate is a diamond, another ticket nearby a small dot, this ticket a large circle: told apart by
  // shape and size as well as colour (the legend under the map names them; portal.css draws the diamond).
  data.points.forEach(function (point) {
    var marker = point.kind === "candidate"
      ? L.marker([point.lat, point.lng], {
          keyboard: false,
          icon: L.divIcon({ className: "map-symbol-icon", html: '<span class="map-symbol map-symbol-duplicate"></span>', iconSize: [18, 18] }),
        })
      : L.circleMarker([point.lat, point.lng], { radius: 6, color: "#0d6efd", weight: 2, fillOpacity: 0.7 });
    marker.addTo(map);
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.reference + " · " + point.title;
    marker.bindPopup(link);
    bounds.push([point.lat, point.lng]);
  });
  if (here.lat !== null && here.lng !== null) {
    L.circleMarker([here.lat, here.lng], { radius: 9, color: "#dc3545", weight: 3, fillOpacity: 0.9 })
      .addTo(map).bindPopup(window.PortalMap.escapeText(here.reference));
  }
  if (bounds.length) {
    map.fitBounds(L.latLngBounds(bounds).pad(0.5), { maxZoom: 16 });
  } else {
    map.setView([-3.3186, 114.5944], 12);
  }
  fetch(data.boundaries_url, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (geojson) {
      var layer = L.geoJSON(geojson, {
        style: { color: "#6c757d", weight: 1, fillOpacity: 0.05 },
        onEachFeature: function (feature, lyr) { lyr.bindTooltip(window.PortalMap.escapeText(feature.properties.name)); },
      }).addTo(map);
      window.PortalMap.untabbable(layer);
      layer.bringToBack();
    })
    .catch(function () { /* the pins still show */ });
})();
