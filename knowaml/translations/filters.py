from django.contrib import admin
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .registry import target_languages
from .status import MISSING, NEEDS_UPDATE, TRANSLATED, records_by_object, status_of


def ids_in_state(queryset, language, state):
    objects = list(queryset)
    records = records_by_object(queryset.model, [o.pk for o in objects], language)
    return [o.pk for o in objects if status_of(o, language, records.get(o.pk, {})).state == state]


class TranslationStatusFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        labels = {
            NEEDS_UPDATE: _("Needs update: %(language)s"),
            MISSING: _("Missing: %(language)s"),
            TRANSLATED: _("Translated: %(language)s"),
        }
        return [
            (f"{state}:{code}", label % {"language": get_language_info(code)["name_translated"]})
            for code in target_languages()
            for state, label in labels.items()
        ]

    def queryset(self, request, queryset):
        if not self.value() or ":" not in self.value():
            return queryset
        state, language = self.value().split(":", 1)
        if language not in target_languages() or state not in {MISSING, NEEDS_UPDATE, TRANSLATED}:
            return queryset.none()
        return queryset.filter(pk__in=ids_in_state(queryset, language, state))
