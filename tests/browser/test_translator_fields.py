import pytest

from ..conftest import make_article, page_text
from .conftest import log_in

SUMMARY = (
    "Relapse means that acute myeloid leukaemia has come back after a period of remission, "
    "sometimes months or years after treatment ended; your team will talk with you about "
    "what this means and which treatments may help now."
)
BODY = (
    "Relapse means AML has come back after treatment.\n\n## Why it happens\n\n"
    + "Some leukaemia cells can survive treatment and grow again over time. " * 12
    + "\n\nRead more: https://www.example.org/a-very-long-address-without-any-spaces-"
    + "that-should-wrap-instead-of-pushing-the-text-sideways-out-of-view\n\n"
    "## Refractory AML\n\nMore."
)
TRANSLATED = {
    "es": ("Recaída", "La recaída significa que la leucemia ha vuelto.", "Texto breve."),
    "ar": ("الانتكاس", "الانتكاس يعني عودة المرض.", "نص قصير."),
}


@pytest.fixture
def long_article(section):
    return make_article(
        section,
        order=3,
        en=page_text("relapse-long", "Relapse", BODY) | {"summary": SUMMARY},
        **{
            code: page_text(f"relapse-{code}", title, body) | {"summary": summary}
            for code, (title, summary, body) in TRANSLATED.items()
        },
    )


def boxes(page, code, field):
    source = page.locator(f".field-{field}_en .readonly")
    target = page.locator(f"#id_{field}_{code}")
    return source, target


def size(locator):
    return locator.evaluate(
        "el => ({width: el.getBoundingClientRect().width, height: el.getBoundingClientRect()"
        ".height, left: el.getBoundingClientRect().left, right: el.getBoundingClientRect().right,"
        " scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,"
        " scrollHeight: el.scrollHeight, clientHeight: el.clientHeight, tag: el.tagName})"
    )


@pytest.mark.parametrize("code", ["es", "ar"])
def test_translation_boxes_match_the_english_beside_them_and_grow(
    request, context, page, live_server, client, long_article, code
):
    translator = request.getfixturevalue(f"translator_{code}")
    log_in(context, live_server, client, translator)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/admin/education/article/{long_article.pk}/change/")
    for field in ("summary", "body"):
        source, target = boxes(page, code, field)
        english, translation = size(source), size(target)
        assert translation["tag"] == "TEXTAREA", f"{field} wraps like the English"
        assert abs(translation["width"] - english["width"]) <= 1, (field, english, translation)
        assert translation["height"] >= english["height"] - 1, (field, english, translation)
        assert translation["scrollWidth"] <= translation["clientWidth"], (field, translation)
        assert abs(translation["left"] - english["left"]) > 100, "beside, not below"

    _, summary = boxes(page, code, "summary")
    summary.fill(SUMMARY + " " + SUMMARY)
    grown = size(summary)
    assert grown["scrollHeight"] <= grown["clientHeight"] + 1, "the box grows with its text"
    assert grown["scrollWidth"] <= grown["clientWidth"]

    _, body = boxes(page, code, "body")
    before = size(body)["height"]
    body.fill(BODY + "\n\n" + BODY)
    grown = size(body)
    assert grown["height"] > before, "the body box grows with its text"
    assert grown["scrollHeight"] <= grown["clientHeight"] + 1
    assert grown["scrollWidth"] <= grown["clientWidth"]

    page.set_viewport_size({"width": 390, "height": 844})
    for field in ("title", "summary", "body"):
        for locator in boxes(page, code, field):
            box = size(locator)
            assert box["left"] >= 0 and box["right"] <= 390, (field, box)
            assert box["scrollWidth"] <= box["clientWidth"], (field, box)
