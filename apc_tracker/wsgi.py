"""The WSGI application that production servers (gunicorn) run; debug is off unless DJANGO_DEBUG=1."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apc_tracker.settings")

application = get_wsgi_application()
