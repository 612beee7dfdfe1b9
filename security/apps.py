from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig


class SecretariatAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site that asks the secretariat for a second factor."""

    default = False
    default_site = "security.admin_site.SecretariatAdminSite"


class AuthenticatorAppsConfig(TOTPDefaultConfig):
    """django-otp's authenticator app devices, under a name the admin's index shows in words.

    Without it the admin names the section after the app's label, "OTP_TOTP".
    """

    default = False
    verbose_name = "Second factor: authenticator apps"


class SecurityConfig(AppConfig):
    default = True
    name = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (registers the deployment check, connects the sign-in audit)
