"""The ASGI application, for servers that speak ASGI; debug is off unless DJANGO_DEBUG=1."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apc_tracker.settings")

application = get_asgi_application()
