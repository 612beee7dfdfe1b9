from django.conf import settings


class SessionExpiryMiddleware:
    """Keep a secretariat session alive for 30 idle minutes from its latest request.

    Other sessions keep the fixed lifetime they were given at sign-in (see signals).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.user.is_staff:
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for signed-in people are never stored: not by a shared cache on the way, nor by the
    browser for whoever uses the computer next (its disk cache, its back button).

    That is every response to a signed-in user, public pages included since they show who is
    signed in, and every response under the signed-in parts of the site and their sign-in pages
    (settings.NO_STORE_PATHS), whoever asks. Anonymous visitors' public pages keep their caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or request.path_info.startswith(settings.NO_STORE_PATHS):
            response["Cache-Control"] = "private, no-store"
        return response
