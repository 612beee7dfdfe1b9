from django.contrib import admin
from django.urls import include, path

from security.forms import AdminSignInForm

from .health import healthz

admin.site.login_form = AdminSignInForm
admin.site.site_header = "APC Tracker — secretariat"
admin.site.site_title = "APC Tracker"
admin.site.index_title = "Outcome documents, actors and follow-up"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("recommendations.urls")),
]
