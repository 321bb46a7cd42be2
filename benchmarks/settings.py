"""Production settings as the benchmark runs them.

Identical to ``smartcity.settings.production`` except, while vendored files
(chart.js, leaflet) still reference source maps that are not shipped, static
files are compressed without the hashed manifest: the manifest storage refuses
to collect them. Static files are not part of any measured figure.
"""

from smartcity.settings.production import *  # noqa: F403
from smartcity.settings.production import STORAGES

STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedStaticFilesStorage"

# Loopback has no TLS in front: the load generator's cookie jar would never send
# Secure cookies back over http. Behind the real TLS proxy these stay True.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
