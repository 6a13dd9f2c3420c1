from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import SearchCount, Synonym


class SynonymForm(admin.options.forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ["language", "forms"]

    def clean_forms(self):
        forms = Synonym(forms=self.cleaned_data["forms"]).form_list()
        if len(set(forms)) < 2:
            raise ValidationError(_("Write at least two words or phrases, one per line."))
        return "\n".join(dict.fromkeys(forms))


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    form = SynonymForm
    list_display = ("__str__", "language")
    list_filter = ("language",)
    search_fields = ("forms",)

    def get_changeform_initial_data(self, request):
        """A new synonym is in the language the editor works in, unless they choose another."""
        initial = super().get_changeform_initial_data(request)
        if get_language() in dict(Synonym._meta.get_field("language").choices):
            initial.setdefault("language", get_language())
        return initial


class ResultsFilter(admin.SimpleListFilter):
    title = _("results")
    parameter_name = "found"

    def lookups(self, request, model_admin):
        return [("none", _("No results")), ("some", _("Some results"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(results=0)
        if self.value() == "some":
            return queryset.filter(~Q(results=0))
        return queryset


@admin.register(SearchCount)
class SearchCountAdmin(admin.ModelAdmin):
    """Read-only: what visitors looked for, most frequent first, to find missing pages or
    synonyms. Editors may delete a search (someone may have typed a name)."""

    list_display = ("query", "language", "searches", "results", "last_searched")
    list_filter = (ResultsFilter, "language", "last_searched")
    search_fields = ("query",)
    ordering = ("-searches", "query")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
