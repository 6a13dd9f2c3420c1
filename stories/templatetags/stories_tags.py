from django import template
from django.urls import reverse

from ..models import Role
from ..teaser import THUMBNAIL_WIDTH, latest_story

register = template.Library()


@register.inclusion_tag("stories/includes/latest_story.html")
def latest_story_teaser(exclude=None):
    """The newest story; a story's own page passes ``exclude=story.pk`` to show another."""
    story = latest_story(exclude=exclude)
    if story:
        story = {**story, "role_label": Role(story["role"]).label}
    return {
        "story": story,
        "excluded": exclude is not None,
        "stories_url": reverse("stories:list"),
        "thumbnail_sizes": f"{THUMBNAIL_WIDTH}px",
    }


@register.inclusion_tag("stories/includes/feed_link.html")
def stories_feed_link():
    return {"feed_url": reverse("stories:feed")}
