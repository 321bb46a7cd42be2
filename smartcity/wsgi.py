from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from smartcity.environment import use_settings

use_settings()
application = get_wsgi_application()

from accounts.checks import refuse_mistyped_rates  # noqa: E402 - once Django is set up

refuse_mistyped_rates()

# Import now what the first request would import: the URLconf (every view module, DRF and drf-spectacular with
# it) and the Celery tasks that views publish. That is over a second of CPU a worker would spend on its first
# request; with gunicorn's preload_app it is spent once, in the master, and every worker (one recycled at the
# peak too) is forked with it. Nothing here opens a database, Redis or broker connection.
get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf

from smartcity.celery import app as celery_app  # noqa: E402

celery_app.autodiscover_tasks(force=True)  # every app's tasks module
celery_app.finalize()
celery_app.amqp  # noqa: B018 - kombu's message classes, built on first use
