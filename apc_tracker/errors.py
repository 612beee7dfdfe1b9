"""Error pages: the 404 saying why when the app gave a reason meant for people, the 503 while the
database cannot be reached; 4xx lines in the log."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader

# Seconds after which a client, or a crawler, may try again.
RETRY_AFTER_SECONDS = 30


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponseNotFound:
    # Django's own 404s carry a resolver's dictionary or nothing; the app's carry a sentence.
    reason = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    return HttpResponseNotFound(loader.render_to_string("404.html", {"reason": reason}, request))


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with Retry-After when the database could not be reached or could not serve in time.

    Django calls it while handling the exception, which is how it is known. Neither page reads
    the request (its session and user are in the database): both are rendered without it.
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answers the client's mistake, not the app's: its line in the log needs no traceback.

    Django logs a request refused with BadRequest (a malformed ?page=), PermissionDenied or an
    unreadable upload on django.request, with the exception's traceback; 5xx keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info = record.exc_text = None
        return True
