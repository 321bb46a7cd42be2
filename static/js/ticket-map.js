/* The ticket page's small map: the kelurahan boundaries and the report's pin. */
(function () {
  "use strict";
  var element = document.getElementById("ticket-map");
  if (!element || !window.L) { return; }
  var lat = parseFloat(element.dataset.lat), lng = parseFloat(element.dataset.lng);
  var map = window.PortalMap.create(element, { center: [lat, lng], zoom: 15 });
  L.circleMarker([lat, lng], { radius: 9, color: "#b02a37", fillColor: "#dc3545", fillOpacity: 0.9 }).addTo(map);
})();
