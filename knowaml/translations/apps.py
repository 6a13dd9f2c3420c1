from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "knowaml.translations"
    label = "translations"
    verbose_name = _("Translations")

    def ready(self):
        from .. import invalidation
        from . import signals

        signals.connect()
        invalidation.connect()
