from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlugHistoryConfig(AppConfig):
    name = "knowaml.slughistory"
    label = "slughistory"
    verbose_name = _("Old addresses")
