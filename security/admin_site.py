"""The admin site the secretariat works in: password and a one-time code from an authenticator app."""

from django_otp.admin import OTPAdminSite

from .forms import AdminSignInForm
from .roles import is_secretariat


class SecretariatAdminSite(OTPAdminSite):
    """Only the secretariat (staff verified by a TOTP device) gets in; signing in checks the lockout first."""

    name = "admin"
    login_form = AdminSignInForm
    login_template = "admin/sign_in.html"
    site_header = "APC Tracker — secretariat"
    site_title = "APC Tracker"
    index_title = "Outcome documents, actors and follow-up"

    def has_permission(self, request) -> bool:
        return is_secretariat(request.user)
