from django.apps import AppConfig


class DevConfig(AppConfig):
    """Tools for developers (demo admin, benchmarks), installed in development only.

    It may import every app; production never loads it, so its development-only
    dependencies (aiosmtpd) are never needed there.
    """

    name = "knowaml.dev"
    label = "dev"
    verbose_name = "Development tools"
