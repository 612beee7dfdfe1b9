"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (see README.md)."""

import multiprocessing
import os

wsgi_app = "apc_tracker.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The usual rule for synchronous workers: two per core, plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# The app is loaded once, before the workers are forked: a worker that is recycled starts in
# milliseconds instead of importing the app again (about a second of CPU each), and a new release
# needs a restart of gunicorn, not a HUP. Nothing connects to the database or the cache on import.
preload_app = True
# Recycle workers now and then so that a slow leak never grows without bound: under a crowd of
# a thousand requests a second, each of five workers about every hundred seconds. Each new worker
# starts with its own copy of recent pages and of compiled templates empty.
max_requests = 20000
max_requests_jitter = 2000
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
