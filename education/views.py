from django.shortcuts import redirect, render
from django.utils import translation

from knowaml.languages import SOURCE_LANGUAGE
from knowaml.pages import make_public, named_page_context, page_context
from knowaml.rendering import render_markdown
from knowaml.translated import find_by_slug
from knowaml.translations.status import status_for
from knowaml.video import caption_tracks, embed_url, host_name

from .glossary import render_with_glossary
from .models import Article, Page, Section
from .structured_data import medical_web_page


def _localize(items, language):
    return [item.localized(language) for item in items]


def home(request):
    language = translation.get_language()
    sections = list(Section.objects.with_published_articles())
    context = {
        "sections": [
            {
                "section": s.localized(language),
                "articles": _localize(s.published_articles, language),
            }
            for s in sections
        ],
        "latest_articles": _localize(Article.objects.published().recently_updated()[:5], language),
        **named_page_context("education:home"),
    }
    return make_public(render(request, "education/home.html", context))


def section_or_page(request, section):
    language = translation.get_language()
    obj, canonical = find_by_slug(
        language, section, Section.objects.all(), Page.objects.published()
    )
    if not canonical:
        return redirect(obj, permanent=True)
    if isinstance(obj, Page):
        return page_response(request, obj)
    articles = obj.articles.published().order_by("order", "pk")
    shown = obj.localized(language)
    context = {
        "section": shown,
        "share_title": shown.title,
        "translation_status": (
            status_for(obj, language)
            if not shown.is_fallback and language != SOURCE_LANGUAGE
            else None
        ),
        "section_intro": render_markdown(shown.intro).html if shown.intro else "",
        "articles": _localize(articles, language),
        **page_context(obj.get_absolute_url, obj.translated_languages()),
    }
    return make_public(render(request, "education/section.html", context))


def article(request, section, article):
    language = translation.get_language()
    published = Article.objects.published().select_related("section")
    obj, canonical = find_by_slug(language, article, published)
    if not canonical or obj.section.effective_slug(language) != section:
        return redirect(obj, permanent=True)
    return page_response(request, obj)


def article_context(obj):
    language = translation.get_language()
    page = obj.localized(language)
    body, explained = render_with_glossary(page.body, page.language)
    context = {"page": page, "body_html": body.html, "toc": body.toc, "explained_terms": explained}
    if not page.is_fallback and language != SOURCE_LANGUAGE:
        context["translation_status"] = status_for(obj, language)
    if isinstance(obj, Article) and page.video_file:
        context["video_tracks"] = caption_tracks(obj, page.language)
    elif getattr(obj, "video_url", ""):
        context["video_embed_url"] = embed_url(page.video_url, page.language)
        context["video_host"] = host_name(page.video_url)
    if getattr(obj, "transcript", ""):
        context["transcript_html"] = render_markdown(page.transcript).html
    if isinstance(obj, Article):
        context["references"] = list(obj.references.all())
        siblings = obj.section.articles.published()
        context["section"] = obj.section.localized(language)
        context["siblings"] = _localize(siblings.order_by("order", "pk"), language)
    return context


def page_response(request, obj):
    context = {
        **article_context(obj),
        **page_context(obj.get_absolute_url, obj.translated_languages()),
    }
    context.update(
        share_title=context["page"].title,
        meta_description=context["page"].summary,
        structured_data=medical_web_page(context["page"], context.get("references")),
    )
    return make_public(render(request, "education/article.html", context))
