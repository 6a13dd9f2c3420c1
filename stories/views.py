from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from knowaml.languages import SOURCE_LANGUAGE
from knowaml.pages import make_public, page_context
from knowaml.rendering import render_markdown
from knowaml.translated import find_by_slug
from knowaml.translations.status import status_for
from knowaml.video import embed_url, host_name

from .feeds import LatestStoriesFeed
from .models import Role, Story

STORIES_PER_PAGE = 12


def _role_links(current):
    base = reverse("stories:list")
    links = [{"label": None, "value": "", "url": base, "is_current": not current}]
    for role in Role:
        url = f"{base}?{urlencode({'role': role.value})}"
        links.append(
            {"label": role.label, "value": role.value, "url": url, "is_current": role == current}
        )
    return links


def share_image(story, shown):
    """The largest copy of the portrait, for link previews; None without a portrait."""
    if not story.renditions:
        return None
    largest = story.renditions[-1]
    return {
        "url": default_storage.url(largest["name"]),
        "width": largest["width"],
        "height": largest["height"],
        "alt": shown.portrait_alt or shown.title,
    }


def story_list(request):
    language = translation.get_language()
    role = request.GET.get("role")
    role = role if role in Role.values else ""
    stories = Story.objects.published().newest_first()
    if role:
        stories = stories.filter(role=role)
    page = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    query = {"role": role} if role else {}
    context = {
        "page_obj": page,
        "stories": [story.localized(language) for story in page.object_list],
        "role": Role(role) if role else None,
        "role_links": _role_links(role),
        "previous_query": urlencode({**query, "page": page.number - 1}),
        "next_query": urlencode({**query, "page": page.number + 1}),
        # Switching language keeps the visitor's filter; canonical links stay unfiltered.
        **page_context(lambda: reverse("stories:list")),
    }
    if role:
        for link in context["language_links"]:
            link["url"] += f"?{urlencode({'role': role})}"
    return make_public(render(request, "stories/story_list.html", context))


def story_detail(request, slug):
    language = translation.get_language()
    story, canonical = find_by_slug(language, slug, Story.objects.published())
    if not canonical:
        return redirect(story, permanent=True)
    shown = story.localized(language)
    context = {
        "story": shown,
        "body_html": render_markdown(shown.body).html,
        "transcript_html": render_markdown(shown.transcript).html if shown.transcript else "",
        "portrait": story.portrait_image(),
        "share_image": share_image(story, shown),
        **page_context(story.get_absolute_url, story.translated_languages()),
        "share_title": shown.title,
        "meta_description": shown.summary,
    }
    if shown.video_url:
        context["video_embed_url"] = embed_url(shown.video_url, shown.language)
        context["video_host"] = host_name(shown.video_url)
    if not shown.is_fallback and language != SOURCE_LANGUAGE:
        context["translation_status"] = status_for(story, language)
    return make_public(render(request, "stories/story_detail.html", context))


def feed(request):
    return make_public(LatestStoriesFeed()(request))
