"""Django's account views, where the site's own address must replace the request's."""

from django.conf import settings
from django.contrib.auth import views as auth_views


class PasswordResetView(auth_views.PasswordResetView):
    """The reset mail links to SITE_URL, the address people use to reach the site.

    Django would link to the host the request named: behind a proxy, or with `make run` on
    another port, that is not where the reader can open the link.
    """

    @property
    def extra_email_context(self) -> dict:
        return {"site_url": settings.SITE_URL}
