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


class LanguageTaggedAtomFeed(Atom1Feed):
    """Atom whose entries name their own language when it is not the feed's."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language") and item["language"] != self.feed["language"]:
            attributes["xml:lang"] = item["language"]
        return attributes


class LatestStoriesFeed(Feed):
    """Stories in the active language; a story not yet translated appears in English."""

    feed_type = LanguageTaggedAtomFeed

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

    # A story records only the day it was published; Atom requires a last-updated time.
    def item_updateddate(self, item):
        return self.item_pubdate(item)

    def item_extra_kwargs(self, item):
        return {"language": item.localized().language}

    def item_author_name(self, item):
        return item.first_name
