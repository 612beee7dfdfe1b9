from django.urls import path

from .views import public

app_name = "recommendations"

urlpatterns = [
    path("recommendations/export.json", public.export_json, name="export-json"),
    path("recommendations/export.csv", public.export_csv, name="export-csv"),
    path("recommendations/<slug:code>/<int:number>/", public.paragraph_detail, name="paragraph"),
    path("", public.home, name="home"),
]
