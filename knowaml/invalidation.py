"""Which public pages show a content object, so that an edit forgets only those pages.

A saved or deleted object forgets its own page in every language (at its current address
and the one it had before the save), and the pages that list or mention it: its section,
home, the stories list and feeds, search, the sitemap, the glossary. Fields no visitor sees
(link-check results, consent dates, who translated or reviewed) forget nothing. What every
page shows (the menu and footer: sections' and pages' titles; the latest-story teaser)
forgets every page, and so does a translation import, once, when it commits.

Paths are forgotten when the transaction commits, after their new pages are rendered
(knowaml/pagerefresh.py); the admin's transaction commits before its response leaves, so
the editor never sees old pages. Every page is forgotten at once and again on commit.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator

from education.models import Article, GlossaryTerm, Page, Reference, Section
from stories.models import Story

from . import pagecache, pagerefresh
from .languages import SOURCE_LANGUAGE, is_blank, language_codes
from .translations.models import TranslationRecord
from .translations.registry import column, required_fields
from .translations.status import records as translation_records

EVERY_PAGE = "every page"
TEASER_SIZE = 2

INVISIBLE = {
    Reference: {"link_status", "link_checked", "link_note"},
    Story: {"consent_on_file"},
    TranslationRecord: {"source_text", "translated_by", "reviewed_by"},
}
# What the menu and footer on every page show of sections and stand-alone pages.
IN_NAVIGATION = {
    Section: {"title", "slug", "order"},
    Page: {"title", "slug", "order", "status"},
}
IN_SIBLINGS = {"title", "slug", "order", "status", "section"}
IN_TEASER = {"title", "slug", "summary", "first_name", "role", "portrait", "renditions"}


def forget(paths):
    """Forget ``paths`` (or EVERY_PAGE) now and once more when the transaction commits.

    Paths are rendered anew when the save commits, before any process is told
    (pagerefresh). Other processes cannot read the save's rows before it commits, so
    forgetting earlier would only send visitors to renders of the old rows; tests, whose
    transactions never commit, set PAGE_CACHE_FORGET_BEFORE_COMMIT.
    """
    if not paths:
        return
    if paths == EVERY_PAGE:
        pagecache.forget_all_pages()
        transaction.on_commit(pagecache.forget_all_pages)
        return
    paths = frozenset(paths)
    if settings.PAGE_CACHE_FORGET_BEFORE_COMMIT:
        pagecache.forget_paths(paths)
    refresh_on_commit(paths)


class Refresh:
    """The pages a transaction changed, refreshed once when it commits."""

    def __init__(self):
        self.paths = set()

    def __call__(self):
        pagerefresh.refresh(self.paths)


def refresh_on_commit(paths):
    for entry in transaction.get_connection().run_on_commit:
        if isinstance(entry[1], Refresh):
            entry[1].paths |= paths
            return
    refresh = Refresh()
    refresh.paths |= paths
    transaction.on_commit(refresh)


def path_in(code, name, **kwargs):
    with translation.override(code):
        return reverse(name, kwargs=kwargs or None)


def every_language(*names):
    return {path_in(code, name) for code in language_codes() for name in names}


def sitemap():
    return {reverse("sitemap")}


# Addresses.


def _previous_slug(before, code):
    if before:
        return before.get(f"slug_{code}") or before.get(f"slug_{SOURCE_LANGUAGE}")
    return None


def slugs(obj, code, before=None):
    """The object's slugs in ``code``, now and before this save."""
    return {slug for slug in (obj.effective_slug(code), _previous_slug(before, code)) if slug}


def article_addresses(articles, codes=None, before=None, section=None):
    """Their pages, under ``section`` if given (the one an article was moved from)."""
    paths = set()
    for article in articles:
        for code in codes or language_codes():
            for section_slug in slugs(section or article.section, code):
                for slug in slugs(article, code, before):
                    paths.add(
                        path_in(code, "education:article", section=section_slug, article=slug)
                    )
    return paths


def own_addresses(obj, codes=None, before=None):
    """The object's own page in ``codes`` (every language by default)."""
    codes = codes or language_codes()
    if isinstance(obj, Article):
        return article_addresses([obj], codes, before)
    if isinstance(obj, Section | Page):
        name, key = "education:section", "section"
    elif isinstance(obj, Story):
        name, key = "stories:detail", "slug"
    else:
        return set()
    return {
        path_in(code, name, **{key: slug}) for code in codes for slug in slugs(obj, code, before)
    }


# What each kind of object shows on.


def translated_languages(model, values):
    return {
        code
        for code in language_codes()
        if all(not is_blank(values.get(column(name, code))) for name in required_fields(model))
    }


def translation_changed(obj, before):
    if before is None:
        return True
    return translated_languages(type(obj), before) != set(obj.translated_languages())


def article_pages(article, before, changed, deleted=False):
    sections = {article.section_id, (before or {}).get("section_id")} - {None}
    paths = every_language("education:home", "search") | sitemap()
    # Every article of the section lists its siblings: their titles and addresses, in order.
    listed = (
        deleted or before is None or changed & IN_SIBLINGS or translation_changed(article, before)
    )
    for section in Section._base_manager.filter(pk__in=sections):
        paths |= own_addresses(section)
        if listed:
            paths |= article_addresses(Article._base_manager.filter(section=section))
        paths |= article_addresses([article], before=before, section=section)
    return paths | own_addresses(article, before=before)


def section_pages(section, before, changed, deleted=False):
    if deleted or changed & IN_NAVIGATION[Section] or translation_changed(section, before):
        return EVERY_PAGE
    articles = Article._base_manager.filter(section=section)
    return (
        own_addresses(section, before=before)
        | article_addresses(articles)
        | every_language("education:home")
        | sitemap()
    )


def page_pages(page, before, changed, deleted=False):
    shown = page.is_published or (before or {}).get("status") == Page.Status.PUBLISHED
    if shown and (deleted or changed & IN_NAVIGATION[Page] or translation_changed(page, before)):
        return EVERY_PAGE
    return own_addresses(page, before=before) | every_language("search") | sitemap()


def teaser_ids():
    published = Story.objects.published()
    return {
        code: list(published.in_language_first(code).values_list("pk", flat=True)[:TEASER_SIZE])
        for code in language_codes()
    }


def story_pages(story, before, changed, deleted=False):
    teasers_before = getattr(story, "_invalidation_teasers", None)
    teasers = teaser_ids()
    in_teaser = any(
        story.pk in ids for ids in [*teasers.values(), *(teasers_before or {}).values()]
    )
    if (
        (deleted and story.is_published)
        or (teasers_before is not None and teasers_before != teasers)
        or (in_teaser and (changed & IN_TEASER or translation_changed(story, before)))
    ):
        return EVERY_PAGE
    return (
        own_addresses(story, before=before)
        | every_language("stories:list", "stories:feed", "search")
        | sitemap()
    )


def glossary_pages(term, before, changed, deleted=False):
    """The glossary, search, and every published article and page (their text links terms)."""
    pages = Page.objects.published()
    return (
        every_language("glossary", "search")
        | article_addresses(Article.objects.published().select_related("section"))
        | {path for page in pages for path in own_addresses(page)}
    )


def reference_pages(reference, before, changed, deleted=False):
    ids = {reference.article_id, (before or {}).get("article_id")} - {None}
    articles = Article._base_manager.filter(pk__in=ids).select_related("section")
    return article_addresses(articles)


def translation_record_pages(record, before, changed, deleted=False):
    """Its object's page in its language shows the review date and whether it is stale."""
    model = record.content_type.model_class()
    obj = model and model._base_manager.filter(pk=record.object_id).first()
    return own_addresses(obj, [record.language]) if obj is not None else set()


PAGES = {
    Article: article_pages,
    Section: section_pages,
    Page: page_pages,
    Story: story_pages,
    GlossaryTerm: glossary_pages,
    Reference: reference_pages,
    TranslationRecord: translation_record_pages,
}


def forget_translation(obj, language):
    """After a bulk change of ``obj``'s translation records in ``language``."""
    translation_records.forget()
    forget(own_addresses(obj, [language]))


# Which visible fields a save changed.


def shown_name(field):
    """``title`` for ``title_es``: the name the lists above use."""
    return getattr(field, "translated_field", field).name


def _original_names(model):
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def compared_fields(model):
    """Visible stored fields, each language column apart (not modeltranslation's own)."""
    originals, invisible = _original_names(model), INVISIBLE.get(model, set())
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in originals
        and shown_name(field) not in invisible
        and not field.primary_key
    ]


def visible(model, names):
    invisible = INVISIBLE.get(model, set())
    return {name for name in names if name not in invisible}


def remember_before(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._invalidation_before = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not visible(sender, update_fields):
        return
    names = [field.attname for field in compared_fields(sender)]
    instance._invalidation_before = (
        sender._base_manager.filter(pk=instance.pk).values(*names).first()
    )
    if sender is Story:
        instance._invalidation_teasers = teaser_ids()


def changed_fields(sender, instance, created, raw, update_fields):
    fields = compared_fields(sender)
    if update_fields is not None:
        named = {sender._meta.get_field(name) for name in update_fields}
        fields = [field for field in fields if field in named or field.name in update_fields]
    before = None if created or raw else getattr(instance, "_invalidation_before", None)
    if before is None:
        return {shown_name(field) for field in fields}, None
    changed = {
        shown_name(field)
        for field in fields
        if field.attname in before and before[field.attname] != getattr(instance, field.attname)
    }
    return changed, before


def forget_every_page_on_commit():
    """Once per transaction, however many objects a bulk import changed."""
    connection = transaction.get_connection()
    if not any(entry[1] is pagecache.forget_all_pages for entry in connection.run_on_commit):
        transaction.on_commit(pagecache.forget_all_pages)


def saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if update_fields is not None and not visible(sender, update_fields):
        return
    changed, before = changed_fields(sender, instance, created, raw, update_fields)
    if not changed:
        return
    if raw:
        # A translation import: one language of many pages at once, saved in bulk.
        forget_every_page_on_commit()
        return
    try:
        forget(PAGES[sender](instance, before, changed))
    finally:
        instance._invalidation_before = None


def deleted(sender, instance, **kwargs):
    changed = {shown_name(field) for field in compared_fields(sender)}
    forget(PAGES[sender](instance, None, changed, deleted=True))


def connect():
    for model in PAGES:
        label = model._meta.label
        pre_save.connect(remember_before, sender=model, dispatch_uid=f"invalidation-pre-{label}")
        post_save.connect(saved, sender=model, dispatch_uid=f"invalidation-save-{label}")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"invalidation-delete-{label}")
