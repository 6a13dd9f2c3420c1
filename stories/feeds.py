import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from knowaml.addresses import absolute_url
from knowaml.rendering import render_markdown

from .models import Story

FEED_LENGTH = 20


class LatestStoriesFeed(Feed):
    """Stories in the active language; a story not yet translated appears in English."""

    feed_type = Atom1Feed

    def title(self):
        return _("Know AML: stories from patients and the people who care for them")

    def subtitle(self):
        return _("Patients and caregivers tell their own story of living with AML.")

    def link(self):
        return absolute_url(reverse("stories:list"))

    def feed_url(self):
        return absolute_url(reverse("stories:feed"))

    def items(self):
        return Story.objects.published().newest_first()[:FEED_LENGTH]

    def item_title(self, item):
        return item.localized().title

    def item_description(self, item):
        shown = item.localized()
        return render_markdown(shown.body).html if shown.body else shown.summary

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.published, datetime.time()))

    def item_author_name(self, item):
        return item.first_name
