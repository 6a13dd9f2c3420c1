import datetime

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from knowaml import fragments
from knowaml.public_views import TranslatedPageView, named_page_context, public_page, video_context
from knowaml.rendering import render_markdown
from knowaml.video import caption_tracks

from .glossary import render_with_glossary
from .models import Article, Page, Section
from .structured_data import page_data

LATEST_ARTICLES = 5


def _localize(items, language):
    return [item.localized(language) for item in items]


def _home_context():
    language = translation.get_language()
    latest = Article.objects.published().recently_updated()[:LATEST_ARTICLES]
    return {
        "sections": [
            {
                "section": s.localized(language),
                "articles": _localize(s.published_articles, language),
            }
            for s in Section.objects.with_published_articles()
        ],
        "latest_articles": _localize(latest, language),
        **named_page_context("education:home"),
    }


@public_page
def home(request):
    # Kept until an edit forgets home's address (any article or section shown) or the menu.
    depends = ("education:navigation", fragments.THIS_PAGE)
    context = fragments.kept(("home",), depends, _home_context, request.path)
    return render(request, "education/home.html", dict(context))


def is_being_reviewed(page, today=None):
    """Past its next review by more than the grace period: visitors are told (worked out on
    every render, never kept, because it changes with the date)."""
    if page.next_review is None:
        return False
    grace = datetime.timedelta(days=settings.REVIEW_GRACE_DAYS)
    return page.next_review + grace < (today or timezone.localdate())


class HealthPageView(TranslatedPageView):
    """Articles and stand-alone pages: reviewed text with its glossary words explained."""

    template_name = "education/article.html"

    def get_content_context(self):
        context = super().get_content_context()
        page = context["page"]
        body, explained = render_with_glossary(page.body, page.language)
        context.update(body_html=body.html, toc=body.toc, explained_terms=explained)
        return context

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structured_data"] = page_data(context["page"], context.get("references"))
        context["being_reviewed"] = is_being_reviewed(self.object)
        return context


class PageView(HealthPageView):
    def get_queryset(self):
        return Page.objects.published()


class ArticleView(HealthPageView):
    slug_url_kwarg = "article"
    depends = (
        fragments.THIS_PAGE,
        "education:references",
        "education:glossary",
        "translations:records",
    )

    def get_queryset(self):
        return Article.objects.published().select_related("section")

    def gone_link(self, obj):
        section = obj.section.localized()
        text = _("See the other pages in “%(section)s”") % {"section": section.title}
        return {"url": obj.section.get_absolute_url(), "text": text}

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if article.section.effective_slug() != self.kwargs["section"]:
            self.at_canonical_address = False
        return article

    def get_content_context(self):
        context = super().get_content_context()
        article, page = self.object, context["page"]
        tracks = caption_tracks(article, page.language) if page.video_file else None
        context.update(video_context(page, tracks))
        context.update(
            references=list(article.references.all()),
            section=article.section.localized(),
            siblings=_localize(article.siblings(), translation.get_language()),
        )
        return context


class SectionView(TranslatedPageView):
    """A section's articles. Stand-alone pages share the sections' addresses /<lang>/<slug>/."""

    template_name = "education/section.html"
    context_object_name = "section"
    slug_url_kwarg = "section"

    def get_querysets(self):
        return [Section.objects.all(), Page.objects.published()]

    def respond(self):
        if isinstance(self.object, Page):
            return PageView.for_object(self.request, self.object).respond()
        return super().respond()

    def get_content_context(self):
        context = super().get_content_context()
        shown = context["section"]
        articles = self.object.articles.published().in_section_order()
        context.update(
            section_intro=render_markdown(shown.intro).html if shown.intro else "",
            articles=_localize(articles, shown.requested_language),
        )
        return context

    def get_share_context(self, shown):
        return {"share_title": shown.title}
