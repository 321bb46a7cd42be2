"""Settings for every mode. Everything that differs between machines comes from
the environment (see the configuration table in README.md).

Embedded default: no DATABASE_URL -> SQLite file, no REDIS_URL -> Celery tasks
run in-process and the cache lives in the database.
"""

from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from smartcity.environment import DEVELOPMENT_SECRET_KEY, Env, read_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# django-environ's, with DATABASE_URL, EMAIL_URL and REDIS_URL checked: they hold passwords (smartcity/environment.py).
env = Env()
read_dotenv()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "smartcity.views.csrf_failure"
# Demo mode: email verification optional, demo accounts allowed. Never in production.
DEMO_MODE = env.bool("DEMO_MODE", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "accounts",
    "services",
    "complaints",
    "planning",
    "open311",
    "dashboards",
]
# `make bench` only: a bare insert view (/_bench/insert) as the machine's ceiling.
BENCHMARK_CEILING = env.bool("BENCHMARK_CEILING", default=False)
if BENCHMARK_CEILING:
    INSTALLED_APPS.append("benchmarks")

MIDDLEWARE = [
    # First, so it compresses what every other middleware wrote (smartcity/compression.py: text types only).
    "smartcity.compression.TextGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "smartcity.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A body that did not fully arrive: refused in the request's language, around the CSRF check that reads the form.
    "smartcity.uploads.CompleteBodyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "smartcity.urls"
# Select boxes rendered in Python, the same HTML as Django's templates (smartcity/form_renderer.py).
FORM_RENDERER = "smartcity.form_renderer.FormRenderer"
WSGI_APPLICATION = "smartcity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "smartcity.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process task runner and the web thread share the file.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env("TEST_DATABASE_NAME", default=""):
        DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
USING_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
REDIS_URL = env.service_url("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open: a Redis restart must never turn a citizen's request into an error page.
            "BACKEND": "smartcity.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # allauth's rate limits need a cache shared by every process: the database is one.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEMO_MODE else "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "accounts.adapter.PortalAccountAdapter"
# The same forms with their labels in the portal's sentence case ("Remember me", "Current password").
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
}
# Sign-in limits ("count/period", period s, m, h or d: "5/5m"). A mobile network puts thousands of phones behind one
# internet address (CGNAT): the address's limits only stop a flood, for a whole carrier's citizens mistype passwords
# too; guessing one account's password is stopped by the account's limit, from however many addresses it comes.
LOGIN_IP_RATE_LIMIT = env("LOGIN_IP_RATE_LIMIT", default="300/m")
LOGIN_FAILED_IP_RATE_LIMIT = env("LOGIN_FAILED_IP_RATE_LIMIT", default="100/m")
LOGIN_FAILED_ACCOUNT_RATE_LIMIT = env("LOGIN_FAILED_ACCOUNT_RATE_LIMIT", default="5/5m")
# The other account pages alike. allauth counts sign-ups and the reset link's page per internet address only: their
# limits stop a flood, far above a kelurahan's outreach event signing up a room of citizens on one carrier. A
# password reset and a confirmation email are counted per email address too, strictly: they write to that inbox.
SIGNUP_IP_RATE_LIMIT = env("SIGNUP_IP_RATE_LIMIT", default="300/h")
PASSWORD_RESET_EMAIL_RATE_LIMIT = env("PASSWORD_RESET_EMAIL_RATE_LIMIT", default="5/h")
PASSWORD_RESET_IP_RATE_LIMIT = env("PASSWORD_RESET_IP_RATE_LIMIT", default="60/m")
PASSWORD_RESET_LINK_IP_RATE_LIMIT = env("PASSWORD_RESET_LINK_IP_RATE_LIMIT", default="60/m")
EMAIL_CONFIRMATION_RATE_LIMIT = env("EMAIL_CONFIRMATION_RATE_LIMIT", default="1/3m")
ACCOUNT_RATE_LIMITS = {
    "login": f"{LOGIN_IP_RATE_LIMIT}/ip",
    # The account's first: allauth stops at the first limit reached, so tries on an account already locked do not use
    # up the allowance the address's other people share.
    "login_failed": f"{LOGIN_FAILED_ACCOUNT_RATE_LIMIT}/key,{LOGIN_FAILED_IP_RATE_LIMIT}/ip",
    "signup": f"{SIGNUP_IP_RATE_LIMIT}/ip",
    # The email address's first, as for sign-ins: requests refused for one address do not use up the internet
    # address's allowance.
    "reset_password": f"{PASSWORD_RESET_EMAIL_RATE_LIMIT}/key,{PASSWORD_RESET_IP_RATE_LIMIT}/ip",
    "reset_password_from_key": f"{PASSWORD_RESET_LINK_IP_RATE_LIMIT}/ip",
    "confirm_email": f"{EMAIL_CONFIRMATION_RATE_LIMIT}/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Lapor Banjarmasin] "
# Behind a reverse proxy the client address is in X-Forwarded-For: allauth's per-IP rate
# limits need the number of proxies in front of gunicorn (0 = use REMOTE_ADDR).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)

# --- I18n / time ------------------------------------------------------------
LANGUAGE_CODE = "id"
# Dates and times written alike in both languages (smartcity/formats).
FORMAT_MODULE_PATH = ["smartcity.formats"]
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A language chosen with the ID/EN switch outlives the browser session (Django's cookie ends with it): a guest who
# picked English found Indonesian again the next day. Emails follow the account's own "Language of our emails".
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

# --- Static / media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Ticket photos (MEDIA_ROOT/tickets/) go only to who may see them (complaints.photo_views). Behind nginx, the
# internal location that sends them, e.g. "/_protected/" (``internal; alias MEDIA_ROOT/;``), answered with an
# X-Accel-Redirect there; empty: Django streams the file itself.
PROTECTED_MEDIA_REDIRECT = env("PROTECTED_MEDIA_REDIRECT", default="")
# Uploaded originals wait here (never served) until a task re-encodes them.
PRIVATE_UPLOAD_ROOT = Path(env("PRIVATE_UPLOAD_ROOT", default=str(BASE_DIR / "private_uploads")))
# A photo whose original a worker cannot read stays pending (the sweep retries it) for this long, then is rejected.
PHOTO_PROCESSING_GIVE_UP_HOURS = env.int("PHOTO_PROCESSING_GIVE_UP_HOURS", default=48)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env("STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 40 * 1024 * 1024
# A multipart body that ended before its Content-Length (a phone's connection dropped mid-upload) is refused, not
# read as the fields that arrived without the cut-off photo (smartcity/uploads.py); then Django's own handlers.
FILE_UPLOAD_HANDLERS = [
    "smartcity.uploads.CompleteBodyUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Email ----------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Lapor Banjarmasin <noreply@banjarmasinkota.go.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds the SMTP backend waits for the mail server at each step (connecting, each answer): a server that accepts
# and never answers fails the send after this instead of holding a web or worker process for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Celery ---------------------------------------------------------------
# Without Redis, tasks run in the process (ALWAYS_EAGER below); the broker is named with a host all the same, as
# kombu logs "No hostname was supplied" each time it describes a connection without one (make run's log).
IN_PROCESS_BROKER_URL = "memory://localhost/"
CELERY_BROKER_URL = REDIS_URL or IN_PROCESS_BROKER_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Routing and the ticket's clocks keep the default queue ("celery") to themselves; emails, photos, exports,
# imports and roll-ups wait in "deferred". Workers (started without -Q they consume both) poll the queues in
# sorted order (queue_order_strategy "sorted" below: "celery" < "deferred"), so a free worker process always
# takes routing first: a backlog of emails or photos holds a new ticket back by at most the tasks already in
# hand (a 3,000-ticket burst leaves ~10 s of notification tasks behind it, scripts/bench_routing.py), and the
# emails go out as soon as routing has nothing waiting.
CELERY_TASK_DEFAULT_QUEUE = "celery"
DEFERRED_QUEUE = "deferred"
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(DEFERRED_QUEUE))
CELERY_TASK_ROUTES = {
    name: {"queue": DEFERRED_QUEUE}
    for name in (
        "complaints.tasks.send_notification",
        "complaints.tasks.send_notifications",
        "complaints.tasks.sweep_notifications",
        "complaints.tasks.process_attachment",
        "complaints.tasks.sweep_attachments",
        "complaints.tasks.purge_stale_uploads",
        "complaints.tasks.build_export",
        "complaints.tasks.refresh_dashboard_rollups",
        "complaints.tasks.retrain_classifier",
        "complaints.tasks.apply_retention",
        "accounts.tasks.send_account_email",
        "planning.tasks.run_import_job",
        "planning.tasks.sweep_import_jobs",
    )
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Longer than any countdown or ETA we use, so Redis never redelivers a task that
# is merely waiting (retries back off at most 10 minutes).
# Publishing must fail fast when the broker is down (the sweep catches up): kombu's connect loop
# (``max_retries``/``interval_*`` below, bounded by CELERY_BROKER_CONNECTION_TIMEOUT) gives up after one
# quick retry, so a web request waits well under 2 s. Measured by tests/routing/test_reliability.py.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "queue_order_strategy": "sorted",  # routing's queue before the deferred one (see CELERY_TASK_QUEUES)
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker and beat (not publishers) keep reconnecting for as long as the broker is away
# (None = forever; 0 would make kombu give up at once).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A starting worker waits this long for the database before it gives up (smartcity/celery.py).
WORKER_DATABASE_WAIT_SECONDS = env.int("WORKER_DATABASE_WAIT_SECONDS", default=30)
# The Django fixup otherwise closes and reopens the DB connection around every task.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
DB_REUSE_MAX = CELERY_DB_REUSE_MAX
# Periodic work for the one beat process; DatabaseScheduler copies these entries into django-celery-beat's
# tables at start-up (times in CELERY_TIMEZONE, WITA).
CELERY_BEAT_SCHEDULE = {
    "route-sweep": {"task": "complaints.tasks.sweep_submitted", "schedule": 60.0},
    "notification-sweep": {"task": "complaints.tasks.sweep_notifications", "schedule": 60.0},
    "photo-sweep": {"task": "complaints.tasks.sweep_attachments", "schedule": 5 * 60.0},
    "escalate-overdue": {"task": "complaints.tasks.escalate_overdue_tickets", "schedule": 15 * 60.0},
    "close-expired": {"task": "complaints.tasks.close_expired_tickets", "schedule": 60 * 60.0},
    "planning-import-sweep": {"task": "planning.tasks.sweep_import_jobs", "schedule": 120.0},
    "purge-stale-uploads": {"task": "complaints.tasks.purge_stale_uploads", "schedule": 6 * 60 * 60.0},
    # Personal data past its retention period (RETENTION_*_DAYS); each run is bounded, the next one goes on.
    "apply-retention": {"task": "complaints.tasks.apply_retention", "schedule": 60 * 60.0},
    # Dashboards read their counts from these roll-ups (fresh to within this period; see docs/dashboards.md).
    "refresh-dashboard-rollups": {"task": "complaints.tasks.refresh_dashboard_rollups", "schedule": 5 * 60.0},
    "retrain-classifier": {
        "task": "complaints.tasks.retrain_classifier",
        "schedule": crontab(hour=2, minute=30),
    },
}
# Routing tunables (complaints/routing.py, complaints/classifier.py).
ROUTING_CLASSIFIER_THRESHOLD = env.float("ROUTING_CLASSIFIER_THRESHOLD", default=0.45)
ROUTING_CLUSTER_SIZE = env.int("ROUTING_CLUSTER_SIZE", default=5)
# A route_ticket task on a worker also routes up to this many other waiting tickets (1 = one ticket per task).
ROUTING_BATCH_SIZE = env.int("ROUTING_BATCH_SIZE", default=50)
ESCALATION_LEVEL2_WORKING_DAYS = env.int("ESCALATION_LEVEL2_WORKING_DAYS", default=2)
# An urgent ticket is due for verification this many hours after it is routed (or raised to urgent), nights, weekends
# and holidays included, and escalated to the head when that passes; 0: working days, as any other ticket.
URGENT_RESPONSE_HOURS = env.int("URGENT_RESPONSE_HOURS", default=24)
# At most this many working days of a wait for the citizen's answer pause a ticket's due dates (then they run again).
INFO_WAIT_WORKING_DAYS = env.int("INFO_WAIT_WORKING_DAYS", default=10)
# Where the nightly retrain writes the classifier; empty = only the shipped baseline is used.
CLASSIFIER_MODEL_PATH = env("CLASSIFIER_MODEL_PATH", default=str(BASE_DIR / "var" / "classifier.joblib"))

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: DRF answers a missing or refused credential with the first class's challenge, so integrations
    # get 401 and "WWW-Authenticate: Token" (session authentication has no challenge: that would be 403). The
    # browser's session still signs in, and a session write without its CSRF token is still 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "smartcity.pagination.RememberedCountPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON and form bodies up to API_MAX_BODY_BYTES (413 beyond); multipart (photos) has Django's and photos' limits.
    "DEFAULT_PARSER_CLASSES": [
        "smartcity.api_errors.LimitedJSONParser",
        "smartcity.api_errors.LimitedFormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # drf-spectacular plus the framework's own error answers (400 filter, 404 page, 415 body): smartcity/api_schema.py
    "DEFAULT_SCHEMA_CLASS": "smartcity.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "smartcity.api_errors.exception_handler",
    # Reads per account or per client address (API_ACCOUNT_READ_RATE, API_ANONYMOUS_READ_RATE below): 429 beyond.
    "DEFAULT_THROTTLE_CLASSES": ["smartcity.api_throttling.ReadThrottle"],
    # Filing through the API counts against the account's FILING_RATE_LIMIT in file_ticket (429 when used up), or
    # against the account's own REST API filing limit (accounts.User.api_filing_limit) when the administrator set one.
}
# REST API reads (GET) one client may make, as "count/period" (s, m, h, d; "5/10m"): an account (token or session)
# per account, anyone else per client address. Far above a citizen's, a docs page's or a polling integration's use.
API_ANONYMOUS_READ_RATE = env("API_ANONYMOUS_READ_RATE", default="120/m")
API_ACCOUNT_READ_RATE = env("API_ACCOUNT_READ_RATE", default="600/m")
# Hours the answer to a REST API write (and an Open311 POST) sent with an Idempotency-Key is given again to a retry
# with that key (smartcity/api_idempotency.py); the hourly retention job deletes it after this. A day covers a
# system's retries after a night's outage; at least an hour, or a retry after a timeout would act twice.
API_IDEMPOTENCY_HOURS = max(1, env.int("API_IDEMPOTENCY_HOURS", default=24))
# The largest JSON or form body the REST API reads (a filing is a few kilobytes; photos come as multipart).
API_MAX_BODY_BYTES = 1024 * 1024
SPECTACULAR_SETTINGS = {
    "TITLE": "Lapor Banjarmasin API",
    "DESCRIPTION": """\
The REST API of Lapor Banjarmasin, the city of Banjarmasin's civic service portal: file reports (service requests
and complaints) and follow them, work them as city staff, read the service catalogue, and read the plan, budget,
execution and evaluation of the city's activities. It follows the same rules as the portal's pages, through the same
actions: what a page refuses, the API refuses with the same message.

## Signing in

Reading public tickets, their events, the service catalogue, departments and areas needs no account. Everything else
needs one: integrations send a token, `Authorization: Token <key>`. Tokens are issued by the portal's administrator
(Diskominfotik) in the admin, *Accounts › API tokens*, one per account; the key is shown once, when it is created
(keep it secret: the portal keeps only a digest). An operation that needs an account answers `401` (with
`WWW-Authenticate: Token`) without a token, with an unknown one or with one of an account switched off; a role that
may not do something is `403`. A browser signed in to the portal uses its session (writes need the CSRF token).

## Errors

Every error has one body, whatever the status:
`{"errors": [{"field": "lat", "message": "…"}]}`. `field` names the body field or query parameter
(`attributes.<code>` for a service's extra question) and is null for the request as a whole. Messages are in
Indonesian, in English with `Accept-Language: en`. `400` invalid input (an unknown query parameter or body field
too, named), `401`, `403`, `404` (not found, or not yours to see), `405`, `413` (a JSON or form body over 1 MB), `415`
(not JSON, form or multipart), `429` (see rate limits).

## Times

ISO 8601 with the offset, in WITA (Waktu Indonesia Tengah, UTC+08:00, Asia/Makassar), to the second:
`2026-11-27T09:30:00+08:00`. Time parameters (`created_after`, `updated_after`, `since`…) take any offset; write
the `+` as `%2B` in a query string (a `+` sent as such arrives as a space, which is read back as `+`); a time
without an offset is WITA. Planning dates are calendar days in WITA.

## Lists

Lists are paged: `page` (from 1) and `page_size` (50 unless given, at most 200); the answer has `count`, `next`,
`previous` and `results`. A page past the end is `404`. A count of 10,000 or more may be a minute old. A list
refuses query parameters it does not take (`400`, naming them and the ones it takes). `ordering` sorts tickets by
`created_at`, `updated_at` or `priority` and events by `created_at` (`-` for descending; ties by id).

## Following changes

Page numbers move while reports come in; do not follow changes by paging. Instead:

- **Events** (every step of every ticket you may see): `GET /api/v1/events/?after_id=0`, then again with
  `after_id=<id of the last event received>`. Oldest first, by id; an event is listed 10 seconds after it is
  written, so none is skipped while it is still being saved.
- **Tickets**: `GET /api/v1/tickets/?updated_after=<time>&ordering=updated_at`, then again from the last
  `updated_at` received, a minute earlier to be safe (a ticket received twice is its later state).

## Filing

`POST /api/v1/tickets/` files a report for the signed-in account, as JSON or as multipart/form-data with up to 3
photos (files named `photos`). The answer is the ticket as filed (`submitted`); routing to a department follows in
seconds and shows on `GET /api/v1/tickets/{reference}/` and in its events. Where: `lat` and `lng` (the pin), or
`area` (a kelurahan's code), or only an `address`; with a pin, its kelurahan is kept whatever `area` says. Send an
`Idempotency-Key` header (one per report) and a retry of the same report answers `200` with the ticket already filed
(`Idempotent-Replayed: true`) instead of filing it again; the key with another report is `422`, as below. When the
department asks the reporter a question (`ask-info`), the reporter's account answers it with
`POST /api/v1/tickets/{reference}/add-info/` (also to add information or photos while the report is open).

## Retrying writes

Every other write (a staff action on a ticket: acknowledge, start, reply, ask-info, note, assign, priority, resolve,
reject, reopen, merge, forward; the reporter's add-info; a planning write) also takes an `Idempotency-Key` header:
any text up to 200 characters, new for each action, sent again unchanged with a retry. The first successful answer
(status and body) is kept with the key for your account, with the method, the address and the body, for 24 hours
unless the city set otherwise: a retry with the same key, address and body gets that answer again, with
`Idempotent-Replayed: true`, and the action is not done twice (no second reply, no second email, no `400` "already
resolved"). The same key with another body or address is `422`. While the first request is still being processed,
a second one with its key waits for it (up to 10 seconds, then `409`: retry). Only successes are kept: a refused
request (`400`, `401`, `403`, `404`, `409`…) changed nothing and keeps no answer, so a corrected retry with the same
key is done.

## Rate limits

An account files at most `FILING_RATE_LIMIT` reports (10 an hour unless the city set otherwise), like a citizen on
the web. An agency's system filing for many citizens asks the administrator for a REST API filing limit of its own
on its account. A refused filing is `429` with `Retry-After` (seconds until the account may file again) and a
message saying when.

Reads (`GET`) are limited too, unless the city set otherwise: 120 a minute per client address without an account,
600 a minute per account (token or session), whatever the address. Polling every minute and paging through to catch
up stay far below; past the limit a read is `429` with `Retry-After` (seconds until it may read again). Writes do not
count against it.
""",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Service and ticket priorities share one choice set: one enum name in the schema.
    # One name for the privacy choices, which complaints defines and services mirrors (Service.default_privacy).
    "ENUM_NAME_OVERRIDES": {
        "PriorityEnum": "services.models.Service.Priority",
        "PrivacyEnum": "complaints.models.Privacy",
    },
}

# --- Portal ---------------------------------------------------------------
PORTAL_NAME = "Lapor Banjarmasin"
REFERENCE_PREFIX = "BJM"
# Where citizens exercise their rights over their personal data (UU 27/2022 PDP): named on the privacy notice
# (/privasi/), the "Your data" page and the account deletion page. Diskominfotik runs the portal for the city.
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default="diskominfotik@banjarmasinkota.go.id")
# Whom to call when someone is in danger now: the filing form, the "received" page and the guest's "check your
# email" page show these as tap-to-call links (complaints/emergency.py), because the portal is read by the
# departments in working hours, not watched around the clock. (number, label); a city changes or adds numbers here.
EMERGENCY_NUMBERS = [
    ("112", _("Emergencies (police, fire, ambulance, disasters)")),
    ("123", _("PLN: fallen or sparking power lines")),
]
# Storage limitation (UU 27/2022): days before the hourly retention job (complaints/actions/retention.py) removes
# personal data the portal no longer needs; 0 keeps that kind for good. The privacy notice and the confirmation email
# state these values.
# A web report filed without an account and never confirmed by email: deleted with its photos. Never accepted, so
# it is no record of the city's service; a month leaves a citizen who was away time to open the link, while an
# unconfirmed pothole report is of no use to anyone long before then.
RETENTION_UNCONFIRMED_DAYS = env.int("RETENTION_UNCONFIRMED_DAYS", default=30)
# The email log's recipient, content and deduplication key: blanked, the row kept (which kind of email went out
# about which report, when, delivered or not). Half a year covers a report's life (verification, up to 30 working
# days of work, the 10-working-day closing window) and the questions after it ("did you email me?").
RETENTION_EMAIL_LOG_DAYS = env.int("RETENTION_EMAIL_LOG_DAYS", default=180)
# Staff export files under PRIVATE_UPLOAD_ROOT/exports: deleted, the export's row kept. Staff download them within
# minutes; a week covers a weekend or a leave, and the queue can be exported again at any time.
RETENTION_EXPORT_DAYS = env.int("RETENTION_EXPORT_DAYS", default=7)
# Map tiles are optional: without a tile server the kelurahan boundaries still draw.
MAP_TILE_URL = env("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="")
MAP_CENTER = (-3.3186, 114.5944)
OPEN311_JURISDICTION_ID = env("OPEN311_JURISDICTION_ID", default="banjarmasin.go.id")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
FILING_RATE_LIMIT = env("FILING_RATE_LIMIT", default="10/h")
# Web filings from one internet address: wider than a person's, as a mobile network puts many phones behind one.
FILING_IP_RATE_LIMIT = env("FILING_IP_RATE_LIMIT", default="60/h")
# Photos checked as they are picked (before the form is sent), by an account, and by guests of one internet address:
# at least the photos of the reports that address may file (FILING_IP_RATE_LIMIT, 3 photos each), and photos picked
# again; the 60 an hour the guests shared refused a neighbour's photo while their report would still be taken.
PHOTO_UPLOAD_RATE_LIMIT = env("PHOTO_UPLOAD_RATE_LIMIT", default="60/h")
PHOTO_UPLOAD_IP_RATE_LIMIT = env("PHOTO_UPLOAD_IP_RATE_LIMIT", default="300/h")
# "Me too"s from one internet address: far more than the people behind one give in an hour, far fewer than a script
# emailing a list of addresses.
SUPPORT_IP_RATE_LIMIT = env("SUPPORT_IP_RATE_LIMIT", default="30/h")
MAX_PENDING_UNCONFIRMED_PER_EMAIL = env.int("MAX_PENDING_UNCONFIRMED_PER_EMAIL", default=3)
# Filing reads services, their questions and kelurahan from per-process copies this many seconds old at most
# (services/lookups.py); 0 reads the database every time.
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Time, level and logger on every line: an operator reading a journal or a log shipper needs all three.
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s"}},
    "filters": {
        "without_task_success": {"()": "smartcity.worker_logging.WithoutTaskSuccess"},
        "redacted": {"()": "smartcity.log_filters.Redacted"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["redacted"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # A request for a host name not in ALLOWED_HOSTS (scanners trying the IP address) is refused with 400, a
        # visitor's 4xx like those below, but Django logs it at ERROR, with a traceback, for every probe. Not logged
        # (Django's documentation suggests dropping them); gunicorn's access log still shows each 400.
        "django.security.DisallowedHost": {"level": "CRITICAL"},
        # "Bad Request: /lapor/", "Not Found: …": a 4xx is the visitor's (a refused form, a mistyped address), not
        # the operator's. A 5xx ("Internal Server Error", with its traceback) is logged at ERROR and stays.
        "django.request": {"level": "ERROR"},
        # A worker at -l warning still logs each retry (celery logs them at INFO), not each success
        # (smartcity/worker_logging.py).
        "celery.app.trace": {"level": "INFO", "filters": ["without_task_success"]},
    },
}
