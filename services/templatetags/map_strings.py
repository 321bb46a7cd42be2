"""The maps' words in the page's language for static/js/map-common.js, which has no message catalogue of its own:
Leaflet's zoom buttons said "Zoom in" / "Zoom out" on Indonesian pages, and the boundaries' attribution came from the
GeoJSON, cached in whichever language asked first."""

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext

from services.areas import BOUNDARY_ATTRIBUTION

register = template.Library()


@register.simple_tag
def map_strings():
    """``<script type="application/json" id="map-strings">``; put it before map-common.js."""
    return json_script(
        {
            "zoomIn": gettext("Zoom in"),
            "zoomOut": gettext("Zoom out"),
            "attribution": str(BOUNDARY_ATTRIBUTION),
            # Said on a phone's map when one finger tries to move it (one finger scrolls the page).
            "twoFingers": gettext("Use two fingers to move the map"),
        },
        "map-strings",
    )
