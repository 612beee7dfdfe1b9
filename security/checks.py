"""Deployment checks for settings that start the app fine but leave people stranded."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Mail links to SITE_URL; in production an address on the server itself opens for no reader."""
    if settings.DEBUG or urlsplit(settings.SITE_URL).hostname not in LOCAL_HOSTS:
        return []
    return [
        checks.Warning(
            f"SITE_URL is {settings.SITE_URL}, an address on this machine: the links in password-reset "
            "mail, review notices and reminders lead nowhere for the people who get them.",
            hint="Set DJANGO_SITE_URL to the address people use to reach the site, e.g. https://apc.example.org.",
            id="apc_tracker.W001",
        )
    ]
