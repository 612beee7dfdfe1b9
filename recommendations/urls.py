from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("recommendations/export.json", views.export_json, name="export-json"),
    path("recommendations/export.csv", views.export_csv, name="export-csv"),
    path("recommendations/<slug:code>/<int:number>/", views.paragraph_detail, name="paragraph"),
    path("", views.home, name="home"),
]
