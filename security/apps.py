from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in audit to django.contrib.auth)
