"""Settings for pytest: the same as base, with fast hashing and a test email outbox."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_MODE = False
# Independent of a DEMO_MODE left in the shell: the suite tests the real (mandatory) flow.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
MEDIA_ROOT = BASE_DIR / "test_media"  # noqa: F405
PRIVATE_UPLOAD_ROOT = BASE_DIR / "test_private_uploads"  # noqa: F405
