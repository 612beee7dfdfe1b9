"""The 404 page, saying why when the app gave a reason meant for people; 4xx lines in the log."""

import logging

from django.http import HttpRequest, HttpResponseNotFound
from django.template import loader


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponseNotFound:
    # Django's own 404s carry a resolver's dictionary or nothing; the app's carry a sentence.
    reason = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    return HttpResponseNotFound(loader.render_to_string("404.html", {"reason": reason}, request))


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answers the client's mistake, not the app's: its line in the log needs no traceback.

    Django logs a request refused with BadRequest (a malformed ?page=), PermissionDenied or an
    unreadable upload on django.request, with the exception's traceback; 5xx keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info = record.exc_text = None
        return True
