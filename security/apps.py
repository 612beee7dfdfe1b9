from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SecretariatAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site that asks the secretariat for a second factor."""

    default = False
    default_site = "security.admin_site.SecretariatAdminSite"


class SecurityConfig(AppConfig):
    default = True
    name = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (registers the deployment check, connects the sign-in audit)
