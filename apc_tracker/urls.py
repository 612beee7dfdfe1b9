from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "APC Tracker — secretariat"
admin.site.site_title = "APC Tracker"
admin.site.index_title = "Outcome documents, actors and follow-up"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("recommendations.urls")),
]
