"""gzip for text: the pages, JSON, GeoJSON, CSV and XML the portal writes, and CSS/JS where no compressed copy exists.

On a phone on 3G the public map's data (/laporan/peta.json, ~160 KB) and the kelurahan boundaries (~100 KB) are
most of the filing page's weight, and as text they shrink to a fifth. Photos are JPEG: compressing them again costs
CPU and saves nothing, so only text types go through Django's GZipMiddleware, which also pads each answer against
BREACH (Django 4.2+) and leaves alone what whitenoise already serves compressed (production's static files).
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = (
    "text/html",
    "text/csv",
    "text/plain",
    "text/xml",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "application/xml",
    "application/vnd.oai.openapi",
)


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
