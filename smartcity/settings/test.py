"""Settings for pytest: the same as base, with fast hashing and a test email outbox."""

import os
from urllib.parse import urlsplit

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_MODE = False
# Independent of a DEMO_MODE left in the shell: the suite tests the real (mandatory) flow.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
MEDIA_ROOT = BASE_DIR / "test_media"  # noqa: F405
PRIVATE_UPLOAD_ROOT = BASE_DIR / "test_private_uploads"  # noqa: F405

# pytest-xdist (``make test`` runs the suite in two processes, "gw0" and "gw1") gives each process its own test
# database; each also gets its own Redis database, the URL's + N, because the cache, the broker's queues and the
# routing mark are shared by everything on one Redis database. (A Celery worker a test starts is given this URL
# and no PYTEST_XDIST_WORKER: tests/worker.py worker_env.)
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _XDIST_WORKER.startswith("gw"):  # noqa: F405
    _url = urlsplit(REDIS_URL)  # noqa: F405
    REDIS_URL = _url._replace(path=f"/{int(_url.path.strip('/') or 0) + int(_XDIST_WORKER[2:])}").geturl()
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    CELERY_BROKER_URL = REDIS_URL
