from django.contrib import admin
from django.urls import include, path

from .health import healthz

handler403 = "security.audit.permission_denied"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("recommendations.urls")),
]
