/* Shared Leaflet set-up: Banjarmasin's kelurahan boundaries always, a tile layer only when configured. */
(function () {
  "use strict";
  var CENTER = [-3.3186, 114.5944];
  var boundaryCache = {};

  /* The maps' words in the page's language ({% map_strings %}, services/templatetags/map_strings.py): Leaflet's zoom
     buttons said "Zoom in" on Indonesian pages. Set before any map is made, so that every map of the page takes them,
     those of the scripts loaded after this one too (staff-map.js, dashboards-maps.js). */
  var wordsNode = document.getElementById("map-strings");
  var words = wordsNode ? JSON.parse(wordsNode.textContent) : {};
  if (words.zoomIn && words.zoomOut) {
    L.Control.Zoom.mergeOptions({ zoomInTitle: words.zoomIn, zoomOutTitle: words.zoomOut });
  }

  /* The page scrolls past a map. On a phone (coarse pointer) one finger scrolls the page and two fingers move and
     zoom the map: a 360 px map is 43% of the screen, and a swipe over it moved the map instead of the page. A
     one-finger drag says so on the map for a moment. The mouse wheel zooms a map only once it has been clicked
     (focused); until then it scrolls the page. A tap is still a click (the filing form's pin), and a draggable
     marker still follows one finger (portal.css). Every map of the page, those of the scripts loaded later too. */
  var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  L.Map.addInitHook(function () {
    var map = this;
    var container = map.getContainer();
    if (map.options.scrollWheelZoom) {
      map.scrollWheelZoom.disable();
      // focusin/focusout: a click on a kelurahan's outline focuses the outline (untabbable), inside the map.
      container.addEventListener("focusin", function () { map.scrollWheelZoom.enable(); });
      container.addEventListener("focusout", function (e) {
        if (!e.relatedTarget || !container.contains(e.relatedTarget)) { map.scrollWheelZoom.disable(); }
      });
    }
    if (!coarse || !map.options.dragging) { return; }
    map.dragging.disable();  // Leaflet's touch-action then lets the browser scroll on one finger
    var hint = null, hintTimer = null;
    function sayTwoFingers() {
      if (!words.twoFingers) { return; }
      if (!hint) {
        hint = L.DomUtil.create("div", "map-gesture-hint", container);
        hint.setAttribute("role", "status");
        hint.textContent = words.twoFingers;
      }
      hint.classList.add("show");
      window.clearTimeout(hintTimer);
      hintTimer = window.setTimeout(function () { hint.classList.remove("show"); }, 1500);
    }
    var start = null;
    container.addEventListener("touchstart", function (e) {
      start = e.touches.length === 1 ? { x: e.touches[0].clientX, y: e.touches[0].clientY } : null;
      if (e.touches.length > 1 && hint) { hint.classList.remove("show"); }
    }, { passive: true });
    container.addEventListener("touchmove", function (e) {
      // Two fingers are the map's: the browser must not scroll (or zoom) the page with them.
      if (e.touches.length > 1) { if (e.cancelable) { e.preventDefault(); } return; }
      var onMarker = e.target.closest && e.target.closest(".leaflet-marker-draggable");
      if (start && !onMarker && Math.abs(e.touches[0].clientY - start.y) + Math.abs(e.touches[0].clientX - start.x) > 10) {
        start = null;
        sayTwoFingers();
      }
    }, { passive: false });
  });

  function loadBoundaries(url) {
    if (!boundaryCache[url]) {
      boundaryCache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
    }
    return boundaryCache[url];
  }

  /* Chromium puts every interactive SVG shape into the Tab order: 52 nameless, invisible stops between the map and
     the rest of the page. The outlines are for the eye and the mouse; the forms' selects are the keyboard's way. */
  function untabbable(layer) {
    layer.eachLayer(function (outline) { outline.getElement().setAttribute("tabindex", "-1"); });
  }

  /* Text for Leaflet's tooltips and popups, which take a string as HTML: a name an administrator typed (a kelurahan,
     a service) must show as typed, never become page elements. */
  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }

  window.PortalMap = {
    untabbable: untabbable,
    escapeText: escapeText,
    create: function (element, options) {
      options = options || {};
      if (element.dataset.markerIcon) {
        // Leaflet guesses its marker images' folder from leaflet.css's URL, which fails once the static files
        // carry hashed names (production): the template hands over the real URLs instead.
        L.Icon.Default.imagePath = "";
        L.Icon.Default.mergeOptions({
          iconUrl: element.dataset.markerIcon,
          iconRetinaUrl: element.dataset.markerIcon2x,
          shadowUrl: element.dataset.markerShadow
        });
      }
      var map = L.map(element, { zoomControl: true, attributionControl: true }).setView(options.center || CENTER, options.zoom || 12);
      var tileUrl = element.dataset.tileUrl;
      if (!tileUrl) { element.style.background = "#eaf2f8"; }  // water-blue sea instead of Leaflet grey
      if (tileUrl) {
        L.tileLayer(tileUrl, { maxZoom: 19, attribution: element.dataset.tileAttribution || "" }).addTo(map);
      }
      map.ready = loadBoundaries(element.dataset.boundariesUrl).then(function (geojson) {
        var layer = L.geoJSON(geojson, {
          style: { color: "#1f5f8b", weight: 1, fillColor: "#cfe3f1", fillOpacity: tileUrl ? 0.08 : 0.55 },
          onEachFeature: function (feature, lyr) {
            lyr.bindTooltip(escapeText(feature.properties.name), { sticky: true, direction: "top" });
          }
        }).addTo(map);
        untabbable(layer);
        // The page's words ("Boundaries: …" in its language); the GeoJSON, cached for every language, names the source only.
        var attribution = words.attribution || geojson.attribution;
        if (attribution) { map.attributionControl.addAttribution(attribution); }
        // Not animated: a zoom animation still running when a page's script moves the map (the pin of a form sent
        // back with errors, 16 levels in) ends by putting its own view back, and the pin is lost in the whole city.
        if (!options.center) { map.fitBounds(layer.getBounds(), { animate: false }); }
        map.boundaryLayer = layer;
        return layer;
      });
      element.portalMap = map;  // lets browser tests turn a place into a tap position
      return map;
    }
  };
})();
