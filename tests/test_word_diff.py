from django.urls import reverse
from django.utils import translation

from knowaml.worddiff import (
    ADDED,
    DELETE,
    EQUAL,
    GAP,
    INSERT,
    REMOVED,
    REPLACE,
    SAME,
    has_changes,
    sides,
    word_diff,
)

from .conftest import html


def changes(old, new):
    """The changes, without the spaces around them (which side keeps a space is arbitrary)."""
    return [(op.op, op.old.strip(), op.new.strip()) for op in word_diff(old, new) if op.op != EQUAL]


def test_each_side_joins_back_into_its_text():
    old = "Relapse means AML has come back.\n\n## Why\n\nText."
    new = "Relapse means AML has returned.\n\n## Why it happens\n\nMore text."
    opcodes = word_diff(old, new)
    assert "".join(op.old for op in opcodes) == old
    assert "".join(op.new for op in opcodes) == new


def test_inserted_words():
    assert changes("Treatment works.", "Treatment often works.") == [(INSERT, "", "often")]


def test_deleted_words():
    assert changes("Treatment often works.", "Treatment works.") == [(DELETE, "often", "")]


def test_replaced_words_are_one_change_not_one_per_word():
    assert changes("AML has come back.", "AML has returned.") == [
        (REPLACE, "come back", "returned")
    ]
    assert changes("one two three four", "one five six four") == [
        (REPLACE, "two three", "five six")
    ]


def test_unchanged_text_has_no_changes():
    opcodes = word_diff("Same text.\n\nTwo paragraphs.", "Same text.\n\nTwo paragraphs.")
    assert not has_changes(opcodes)
    assert sides(opcodes) == ([(SAME, "Same text.\n\nTwo paragraphs.")],) * 2


def test_empty_old_text_is_all_added():
    opcodes = word_diff("", "A new summary.")
    assert changes("", "A new summary.") == [(INSERT, "", "A new summary.")]
    assert sides(opcodes) == ([], [(ADDED, "A new summary.")])


def test_markdown_markers_and_addresses_stay_whole():
    assert changes("The **old** word", "The **new** word") == [(REPLACE, "old", "new")]
    old, new = "See [NHS](https://www.nhs.uk/a) now", "See [NHS](https://www.nhs.uk/b) now"
    assert changes(old, new) == [(REPLACE, "https://www.nhs.uk/a", "https://www.nhs.uk/b")]
    assert changes("## Why", "### Why") == [(REPLACE, "##", "###")]


def test_line_endings_and_spacing_alone_are_not_changes():
    assert not has_changes(word_diff("One.\n\nTwo.", "One.\r\n\r\nTwo.  "[:-2]))
    assert not has_changes(word_diff("One two", "One  two"))


def test_far_unchanged_text_is_shortened_around_the_change():
    words = [f"w{i}" for i in range(100)]
    old = " ".join(words)
    new = " ".join(words[:50] + ["new"] + words[50:])
    before, now = sides(word_diff(old, new), context=3)
    assert before[0] == (GAP, "") and before[-1] == (GAP, "")
    assert [text.strip() for kind, text in now if kind == ADDED] == ["new"]
    assert "w49" in "".join(text for kind, text in now if kind == SAME)
    assert "w10" not in "".join(text for _, text in now)
    assert not any(kind == REMOVED for kind, _ in before)


def edit_english(article, **values):
    with translation.override("en"):
        for name, value in values.items():
            setattr(article, f"{name}_en", value)
        article.save()


def test_change_page_shows_the_english_change_word_by_word_once(admin_client, relapse):
    edit_english(
        relapse, body="Relapse means AML has returned.\n\n## Why it happens\n\nText.\n\nMore."
    )
    response = admin_client.get(reverse("admin:education_article_change", args=[relapse.pk]))
    page = html(response)
    assert "@@" not in response.content.decode()
    deleted = [tag.get_text() for tag in page.select(".translation-status del")]
    inserted = [tag.get_text() for tag in page.select(".translation-status ins")]
    assert any("come back" in text for text in deleted), deleted
    assert any("returned" in text for text in inserted), inserted
    assert any("deletion start" in tag.get_text() for tag in page.select("del .visually-hidden"))
    labels = [p.get_text() for p in page.select(".word-diff-label")]
    assert labels == ["Before", "Now"], "Spanish and French share one English change: shown once"
    changed = page.select_one(".source-diff")
    assert "Spanish" in changed.get_text() and "French" in changed.get_text()
    rows = {row.th.get_text(): row for row in page.select(".translation-status tbody tr")}
    assert "Needs update" in rows["Spanish"].get_text()
    assert "Body" in rows["Spanish"].get_text()
    assert "Needs update" in rows["French"].get_text()
