"""The health check a load balancer or monitor polls."""

import logging

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .cache import cache_state

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app can query its database, 503 when it cannot; the cache's state beside it.

    A cache that does not answer leaves the status at 200 ("degraded"): the server still serves
    every page, uncached, so the load balancer keeps it.
    """
    cache_is = cache_state(caches["default"])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "unavailable", "database": "down", "cache": cache_is}, status=503)
    return JsonResponse({"status": "degraded" if cache_is == "down" else "ok", "database": "up", "cache": cache_is})
