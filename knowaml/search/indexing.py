"""Keeps the search index equal to what visitors can read: published objects, in each language
they are translated into, rewritten whenever the live row is saved (an approved revision, a
scheduled publication, a translation) and dropped when it is deleted or taken down."""

import collections
import functools
import html
import math
import secrets

from django.apps import apps
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.html import strip_tags

from ..content import Status, missing_translation
from ..languages import language_codes
from ..rendering import render_markdown
from . import text
from .models import Entry, Posting, Synonym, Word

# kind: (model, {field: weight of a word found there}).
PAGE_FIELDS = {"title": 10.0, "summary": 4.0, "body": 1.0}
SOURCES = {
    "article": ("education.Article", PAGE_FIELDS),
    "page": ("education.Page", PAGE_FIELDS),
    "story": ("stories.Story", PAGE_FIELDS),
    "glossary": ("education.GlossaryTerm", {"term": 10.0, "also_matches": 6.0, "definition": 2.0}),
}
MARKDOWN_FIELDS = {"body", "definition"}
VERSION_KEY = "search:index-version"
WRITER_LOCK = 7_361_254_001  # a PostgreSQL advisory lock: the search index's writers


def model_of(kind):
    return apps.get_model(SOURCES[kind][0])


def kind_of(model):
    label = model._meta.label
    return next((kind for kind, (name, _) in SOURCES.items() if name == label), None)


@functools.lru_cache(maxsize=128)  # by the text itself: results pages show the same pages
def plain_text(markdown_text):
    # strip_tags keeps entities ("&amp;"); unescape them so that words stay words.
    return html.unescape(strip_tags(str(render_markdown(markdown_text or "").html)))


def field_text(obj, field, language):
    value = getattr(obj, f"{field}_{language}", "") or ""
    return plain_text(value) if field in MARKDOWN_FIELDS else value


def is_public(obj):
    return getattr(obj, "status", Status.PUBLISHED) == Status.PUBLISHED


def weights(obj, fields, language):
    """{term: (weight, word)}; two neighbouring words (not both common ones) also count as one
    term, to rank phrases ("what is AML" above every page that says "AML")."""
    found = collections.defaultdict(float)
    spelt = {}
    for field, weight in fields.items():
        counts = collections.Counter()
        previous, previous_common = None, True
        for word in text.words(field_text(obj, field, language)):
            term = text.stem(word, language)
            common = len(word) < 2 or text.is_stop_word(word, language)
            if previous and not (common and previous_common):
                counts[f"{previous} {term}"] += 1
            previous, previous_common = term, common
            if not common:
                spelt.setdefault(term, word)
                counts[term] += 1
        for term, count in counts.items():
            # A word said twenty times is not twenty times as relevant.
            found[term] += weight * (1 + math.log(count))
    return {
        term: (weight, spelt.get(term, term.split()[0])[:100]) for term, weight in found.items()
    }


def index_object(obj, kind=None):
    kind = kind or kind_of(type(obj))
    with transaction.atomic():
        _one_writer_at_a_time()
        before = _words_of(kind, obj.pk)
        Entry.objects.filter(kind=kind, object_id=obj.pk).delete()
        if is_public(obj):
            fields = SOURCES[kind][1]
            for language in language_codes():
                if not missing_translation(obj, language):
                    entry = Entry.objects.create(kind=kind, object_id=obj.pk, language=language)
                    found = weights(obj, fields, language)
                    _insert_postings(entry, found)
                    before[language] -= found.keys()  # still used: not candidates
        _forget_unused_words(before)
    changed()


def _one_writer_at_a_time():
    """Until this transaction ends, no other one changes the index: otherwise, on PostgreSQL,
    a save could forget a word (no committed page uses it) that a concurrent save is adding
    a page for. SQLite lets one transaction write at a time anyway."""
    connection = connections[Entry.objects.db]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])


def _words_of(kind, object_id):
    """{language: the single-word terms an object's entries have now}."""
    rows = Posting.objects.filter(entry__kind=kind, entry__object_id=object_id)
    words = collections.defaultdict(set)
    for language, term in rows.values_list("entry__language", "term"):
        if " " not in term:
            words[language].add(term)
    return words


def _forget_unused_words(candidates):
    """Known words (``{language: terms}``) no entry uses any more: a typo must never be
    corrected to a word no page has."""
    used = Posting.objects.filter(term=OuterRef("term"), entry__language=OuterRef("language"))
    for language, terms in candidates.items():
        terms = sorted(terms)
        for start in range(0, len(terms), 500):
            chunk = terms[start : start + 500]
            Word.objects.filter(language=language, term__in=chunk).exclude(Exists(used)).delete()


def _insert_postings(entry, found):
    """One prepared INSERT for a few thousand rows (``bulk_create()`` spent seconds building
    the SQL for a long article), and the entry's words added to those the index knows."""
    connection = connections[Posting.objects.db]
    quote = connection.ops.quote_name
    # Only our own table and column names are formatted in; values are parameters.
    postings = (
        f"INSERT INTO {quote(Posting._meta.db_table)} "  # noqa: S608
        f"({quote('entry_id')}, {quote('term')}, {quote('weight')}) VALUES (%s, %s, %s)"
    )
    words = (
        f"INSERT INTO {quote(Word._meta.db_table)} "  # noqa: S608
        f"({quote('language')}, {quote('term')}, {quote('word')}) VALUES (%s, %s, %s) "
        f"ON CONFLICT ({quote('language')}, {quote('term')}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            postings, [(entry.pk, term[:100], weight) for term, (weight, _) in found.items()]
        )
        cursor.executemany(
            words,
            [
                (entry.language, term[:100], word)
                for term, (_, word) in found.items()
                if " " not in term
            ],
        )


def remove_object(obj):
    kind = kind_of(type(obj))
    with transaction.atomic():
        _one_writer_at_a_time()
        before = _words_of(kind, obj.pk)
        Entry.objects.filter(kind=kind, object_id=obj.pk).delete()
        _forget_unused_words(before)
    changed()


def rebuild():
    """Index every published object again; returns how many entries there are."""
    with transaction.atomic():
        Entry.objects.all().delete()
        Word.objects.all().delete()  # forgets words no page uses any more
        for kind in SOURCES:
            for obj in model_of(kind).objects.all():
                index_object(obj, kind)
    return Entry.objects.count()


def changed():
    """Every process reloads its word lists (knowaml/search/vocabulary.py) at its next search:
    now, for this transaction's own reads, and again once the change is visible to all."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version():
    cache.set(VERSION_KEY, secrets.token_hex(6), None)


def _saved(sender, instance, raw=False, **kwargs):
    # Translation imports write drafts in bulk and then send a raw post_save (live content
    # changes only through an approved revision, a plain save); a draft has no entries.
    if not raw or is_public(instance):
        index_object(instance)


def _deleted(sender, instance, **kwargs):
    remove_object(instance)


def _synonyms_changed(sender, **kwargs):
    changed()


def _build_if_empty(sender, app_config=None, using="default", **kwargs):
    # A site that had content before search had an index gets one on its next migrate.
    if not app_config or app_config.label != "search":
        return
    models = [Entry, *(model_of(kind) for kind in SOURCES)]
    tables = connections[using].introspection.table_names()
    if any(model._meta.db_table not in tables for model in models):
        return  # migrating part of the way, or back
    if not Entry.objects.using(using).exists():
        if any(model_of(kind).objects.using(using).exists() for kind in SOURCES):
            rebuild()


def connect():
    for kind, (label, _) in SOURCES.items():
        model = apps.get_model(label)
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-index-{kind}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-unindex-{kind}")
    post_save.connect(_synonyms_changed, sender=Synonym, dispatch_uid="search-synonym-saved")
    post_delete.connect(_synonyms_changed, sender=Synonym, dispatch_uid="search-synonym-deleted")
    post_migrate.connect(_build_if_empty, dispatch_uid="search-build-if-empty")
