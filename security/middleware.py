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
