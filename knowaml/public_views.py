"""Public page views: what each puts in its context (language links and alternates), the
cache headers they share, and the view every translated page at a slug is built on."""

from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from . import fragments
from .content import Scheduled, Status, find_by_slug
from .languages import SOURCE_LANGUAGE, language_bidi, language_codes, language_name_local
from .rendering import render_markdown
from .translations.status import status_for
from .video import embed_url, host_name


def language_links(build_url):
    current = translation.get_language()
    links = []
    for code in language_codes():
        with translation.override(code):
            url = build_url()
        links.append(
            {
                "code": code,
                "name": language_name_local(code),
                "url": url,
                "is_current": code == current,
                "bidi": language_bidi(code),
            }
        )
    return links


def page_context(build_url, translated_languages=None):
    """Context for a page reached in the active language.

    ``translated_languages`` lists the languages that really have the page; None means all.
    """
    links = language_links(build_url)
    available = set(translated_languages) if translated_languages is not None else None
    by_code = {link["code"]: link["url"] for link in links}
    current = translation.get_language()
    alternates = [
        {"code": link["code"], "url": link["url"]}
        for link in links
        if available is None or link["code"] in available
    ]
    is_translated = available is None or current in available
    return {
        "language_links": links,
        "alternates": alternates,
        "x_default_url": by_code[SOURCE_LANGUAGE],
        "canonical_url": by_code[current] if is_translated else by_code[SOURCE_LANGUAGE],
        "share_path": by_code[current],
    }


def named_page_context(url_name, **kwargs):
    return page_context(lambda: reverse(url_name, kwargs=kwargs))


def make_public(response):
    """Public pages are the same for everyone, so shared caches may keep them."""
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    return response


def public_page(view):
    """A view whose pages are the same for every visitor."""

    @wraps(view)
    def public(request, *args, **kwargs):
        return make_public(view(request, *args, **kwargs))

    return public


def video_context(shown, caption_tracks=None):
    """What includes/video.html needs: a video file's captions, else the video address's
    player (nothing loads from its host until the visitor asks), and the transcript."""
    context = {}
    if caption_tracks is not None:
        context["video_tracks"] = caption_tracks
    elif shown.video_url:
        context["video_embed_url"] = embed_url(shown.video_url, shown.language)
        context["video_host"] = host_name(shown.video_url)
    if shown.transcript:
        context["transcript_html"] = render_markdown(shown.transcript).html
    return context


class TranslatedPageView(DetailView):
    """A translated page at its slug in the active language, the same for every visitor.

    A slug of another language, or one the page used to have, redirects permanently to the
    page's address. The page shows ``get_content_context()``; the public page adds its
    addresses in every language, the admin preview does not.
    """

    context_object_name = "page"
    # Versioned fragments covering everything the page shows: with them, the object and its
    # content are kept in this process until one of their sources changes.
    depends = ()
    content = None

    def get_querysets(self):
        """Kinds of page that share this view's addresses, searched in order."""
        return [self.get_queryset()]

    def get_object(self, queryset=None):
        language = translation.get_language()
        slug = self.kwargs[self.slug_url_kwarg]
        obj, self.at_canonical_address = find_by_slug(language, slug, *self.get_querysets())
        return obj

    @classmethod
    def for_object(cls, request, obj):
        """The view of an object found elsewhere (another view, the admin)."""
        view = cls()
        view.setup(request)
        view.object = obj
        return view

    def get(self, request, *args, **kwargs):
        try:
            return self.get_published(**kwargs)
        except Http404:
            gone = self.taken_down()
            if gone is None:
                raise
            context = {**named_page_context("education:home"), "canonical_url": None}
            context["gone_link"] = self.gone_link(gone)
            return make_public(render(request, "gone.html", context, status=410))

    def taken_down(self):
        """The page taken down at this address, if any (it answers 410 Gone)."""
        language = translation.get_language()
        slug = self.kwargs[self.slug_url_kwarg]
        for model in {queryset.model for queryset in self.get_querysets()}:
            if not issubclass(model, Scheduled):
                continue
            withdrawn = model._base_manager.filter(status=Status.TAKEN_DOWN)
            try:
                return find_by_slug(language, slug, withdrawn)[0]
            except Http404:
                continue
        return None

    def gone_link(self, obj):
        """Where a visitor to a page that was taken down can go on."""
        return {"url": reverse("education:home"), "text": _("Go to the home page")}

    def get_published(self, **kwargs):
        if self.depends:
            key = ("page-view", type(self).__qualname__, *sorted(kwargs.items()))
            found = fragments.kept(key, self.depends, self.look_up, self.request.path)
            self.object, self.at_canonical_address, self.content = found
        else:
            self.object = self.get_object()
        if not self.at_canonical_address:
            return redirect(self.object, permanent=True)
        return self.respond()

    def look_up(self):
        self.object = self.get_object()
        content = self.get_public_content() if self.at_canonical_address else None
        return self.object, self.at_canonical_address, content

    def get_public_content(self):
        """The content and the page's addresses in every language (not in a preview)."""
        obj = self.object
        return {
            **self.get_content_context(),
            **page_context(obj.get_absolute_url, obj.translated_languages()),
        }

    def respond(self):
        return make_public(self.render_to_response(self.get_context_data()))

    def preview(self):
        """The page as visitors will see it, drafts too, for editors only: never cached."""
        context = {**self.get_content_context(), "is_preview": True, "language_links": []}
        response = self.render_to_response(context)
        response.render()
        response["Cache-Control"] = "private, no-store"
        return response

    def get_content_context(self):
        language = translation.get_language()
        shown = self.object.localized(language)
        translated_here = not shown.is_fallback and language != SOURCE_LANGUAGE
        return {
            self.context_object_name: shown,
            "translation_status": status_for(self.object, language) if translated_here else None,
        }

    def get_share_context(self, shown):
        """How a link to the page previews elsewhere."""
        return {"share_title": shown.title, "meta_description": shown.summary}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.content or self.get_public_content())
        context.update(self.get_share_context(context[self.context_object_name]))
        return context
