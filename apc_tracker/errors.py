"""The 404 page, saying why when the app gave a reason meant for people."""

from django.http import HttpRequest, HttpResponseNotFound
from django.template import loader


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponseNotFound:
    # Django's own 404s carry a resolver's dictionary or nothing; the app's carry a sentence.
    reason = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    return HttpResponseNotFound(loader.render_to_string("404.html", {"reason": reason}, request))
