from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe

from security.forms import SignInForm
from security.views import PasswordResetView

from .health import healthz

handler403 = "security.audit.permission_denied"
handler404 = "apc_tracker.errors.page_not_found"
handler500 = "apc_tracker.errors.server_error"


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links; the icon is an SVG under its hashed name.

    The redirect is temporary, so that a browser follows the name to the next version of the icon.
    """
    return redirect(static("recommendations/favicon.svg"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("recommendations.api.urls")),
    path("", include("recommendations.urls")),
]
