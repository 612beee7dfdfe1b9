from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from security.forms import SignInForm
from security.views import PasswordResetView

from .health import healthz

handler403 = "security.audit.permission_denied"
handler404 = "apc_tracker.errors.page_not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("recommendations.urls")),
]
