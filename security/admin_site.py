"""The admin site the secretariat works in: password and a one-time code from an authenticator app."""

from django_otp.admin import OTPAdminSite

from .forms import AdminSignInForm


class SecretariatAdminSite(OTPAdminSite):
    """Only staff verified by a TOTP device get in; signing in checks the lockout first."""

    name = "admin"
    login_form = AdminSignInForm
    login_template = "admin/sign_in.html"
    site_header = "APC Tracker — secretariat"
    site_title = "APC Tracker"
    index_title = "Outcome documents, actors and follow-up"

    def __init__(self, name: str = "admin"):
        super().__init__(name)
