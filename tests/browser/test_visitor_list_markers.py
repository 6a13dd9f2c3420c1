import pytest
from django.core.management import call_command
from django.utils import translation

from education.models import Article

# For each wrapped entry: where the list item's first line is (a zero-width character put
# before the link shares the marker's line) and where the link's first line of text is.
FIRST_LINES = """(selector) => [...document.querySelectorAll(selector)].map(link => {
  const text = document.createRange();
  text.selectNodeContents(link);
  const lines = [...text.getClientRects()];
  const probe = document.createTextNode("\\u200b");
  link.parentElement.insertBefore(probe, link);
  const start = document.createRange();
  start.selectNodeContents(probe);
  const item = start.getClientRects()[0];
  probe.remove();
  const tops = new Set(lines.map(r => Math.round(r.top)));
  return {name: link.textContent.trim(), wraps: tops.size > 1,
          link: lines[0].top, item: item.top};
})"""


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        call_command("load_demo", verbosity=0)


@pytest.mark.parametrize("language", ["es", "ar"])
def test_list_markers_sit_beside_the_first_line_of_a_wrapped_entry(context, demo, language):
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    entries = []
    for article in Article.objects.all():
        with translation.override(language):
            if not article.is_translated_into(language):
                continue
            page.goto(article.get_absolute_url())
        entries += page.evaluate(FIRST_LINES, ".toc li > a, .in-section li > a")
    wrapped = [entry for entry in entries if entry["wraps"]]
    assert wrapped, "some entries wrap at 390 px"
    misplaced = [e for e in wrapped if abs(e["link"] - e["item"]) > 2]
    assert not misplaced, misplaced
