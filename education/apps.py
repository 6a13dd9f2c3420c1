from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "education"
    verbose_name = _("Education")

    def ready(self):
        from . import glossary, navigation  # noqa: F401  (their caches forget on save)
