"""The search index (kept by knowaml/search/indexing.py), editors' synonyms and search counts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class Entry(models.Model):
    """One published object's text in one language."""

    kind = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()
    language = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="search_entry_unique"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} ({self.language})"


class Posting(models.Model):
    """A term of an entry, weighted by where it appears (title above summary above body)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="postings")
    term = models.CharField(max_length=100)
    weight = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["term", "entry"], name="search_posting_term")]

    def __str__(self):
        return self.term


class Word(models.Model):
    """A word the index knows in a language, as stemmed and as visitors write it (folded):
    what typos are corrected to and "Did you mean" offers."""

    language = models.CharField(max_length=10)
    term = models.CharField(max_length=100)
    word = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="search_word_unique")
        ]

    def __str__(self):
        return self.word


class Synonym(models.Model):
    """Words or phrases a search treats as one, in one language: spellings, short forms."""

    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    forms = models.TextField(
        _("words that mean the same"),
        help_text=_(
            "One word or phrase per line, e.g. “leukaemia” and “leukemia”, or “chemo” and "
            "“chemotherapy”. A search for any of them finds pages with the others. This does "
            "not add glossary links."
        ),
    )

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["language", "forms"]

    def __str__(self):
        return ", ".join(self.form_list())

    def form_list(self):
        return [" ".join(line.split()) for line in self.forms.splitlines() if line.strip()]


class SearchCount(models.Model):
    """How often a query was searched in a language: counts only, nothing about who."""

    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    query = models.CharField(_("search"), max_length=100)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    results = models.PositiveIntegerField(_("results the last time"), default=0)
    last_searched = models.DateField(_("last searched"))

    class Meta:
        verbose_name = _("search people made")
        verbose_name_plural = _("searches people made")
        ordering = ["-searches", "query"]
        constraints = [
            models.UniqueConstraint(fields=["language", "query"], name="search_count_unique")
        ]

    def __str__(self):
        return self.query
