from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFiles(StaticFilesConfig):
    """Django's static files, without the Redoc bundle drf-spectacular-sidecar ships: the API's
    documentation is Swagger UI's, and the unused bundle (5 MB with its source map) would only
    lengthen every collectstatic."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "drf_spectacular_sidecar/redoc/*"]
