"""gunicorn settings for production; every value can be overridden by the environment."""

import gc
import multiprocessing
import os

from smartcity.environment import read_dotenv

# The environment the portal reads: ENV_FILE (or .env) under the process's own variables, which win. Run by hand
# (``ENV_FILE=/etc/lapor/portal.env gunicorn -c gunicorn.conf.py smartcity.wsgi``), gunicorn read only the process's
# and ignored the PORT and GUNICORN_* of the file, listening on 0.0.0.0:8000 while the portal read the file.
read_dotenv()

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A sync worker still busy with one request after this long is killed, reading its body included. Phones upload
# through nginx, which buffers the whole body first (proxy_request_buffering, README Deployment) and hands it over
# at once; gunicorn reached straight by a phone on a slow link would kill the worker mid-upload (a 500). Keep the
# proxy rather than raise the timeout, which also lets a stuck request hold a worker longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never takes the portal down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Import Django once in the master and fork workers from it: a recycled worker serves at once instead of spending
# a second or two of CPU re-importing the project while the others carry its share (at the peak, all five recycle
# within the same minute). Nothing connects at import time (database and Redis connections open on first use, in
# the worker), so no socket is shared across the fork (tests/smartcity/test_gunicorn.py). New code needs a
# restart of the master: a HUP forks new workers from the old code.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() not in ("0", "false", "no")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
# Links that act without logging in (a guest's follow link, confirmation, "stop these emails", password reset, an
# Open311 api_key in the query string) are logged with "…" in place of the secret, in the Referer too.
logger_class = "smartcity.gunicorn_logging.RedactingLogger"
# Behind the proxy the peer is always the proxy: log the client's address it forwards, then the peer, and the
# time taken in milliseconds.
access_log_format = '%({x-forwarded-for}i)s via %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
errorlog = "-"
# gunicorn 25.1+ opens a control socket for `gunicornc` in $XDG_RUNTIME_DIR or $HOME/.gunicorn/: a service user
# without a home directory got a warning at every start. Off unless GUNICORN_CONTROL_SOCKET names a path (e.g.
# /run/lapor/gunicorn.ctl with RuntimeDirectory=lapor in the unit).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    # With preload_app the master holds the imported project. Move its objects out of the garbage collector's
    # reach, so a worker's first collections do not write to (and so copy) every page it shares with the master.
    if preload_app:
        gc.freeze()
