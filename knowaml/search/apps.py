from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "knowaml.search"
    label = "search"
    verbose_name = _("Site search")

    def ready(self):
        from . import indexing

        indexing.connect()
