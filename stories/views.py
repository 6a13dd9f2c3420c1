from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from knowaml.public_views import TranslatedPageView, page_context, public_page, video_context
from knowaml.rendering import render_markdown

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


@public_page
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
    return render(request, "stories/story_list.html", context)


class StoryView(TranslatedPageView):
    template_name = "stories/story_detail.html"
    context_object_name = "story"

    def get_queryset(self):
        return Story.objects.published()

    def gone_link(self, obj):
        return {"url": reverse("stories:list"), "text": _("Read other stories")}

    def get_content_context(self):
        context = super().get_content_context()
        story, shown = self.object, context["story"]
        context.update(
            body_html=render_markdown(shown.body).html,
            portrait=story.portrait_image(),
            share_image=story.share_image(shown.requested_language),
            **video_context(shown),
        )
        return context


@public_page
def feed(request):
    return LatestStoriesFeed()(request)
