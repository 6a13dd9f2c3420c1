"""Editors' pages work under the site's Content-Security-Policy: no violation in Chromium."""

from django.utils import translation

from .conftest import log_in


def test_admin_pages_including_history_report_no_csp_violation(
    context, page, live_server, client, admin_user, relapse, issue, subscribers
):
    with translation.override("en"):
        relapse.title_en = "Relapse of AML"
        relapse.save()
    history_id = relapse.history.latest().history_id
    log_in(context, live_server, client, admin_user)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    article = f"/admin/education/article/{relapse.pk}"
    for url in (
        "/admin/",
        "/admin/education/article/",
        f"{article}/change/",
        f"{article}/history/",
        f"{article}/history/{history_id}/",
        f"{article}/preview/",
        "/admin/translations/",
        "/admin/translations/es/import/",
        "/admin/stories/story/add/",
        "/admin/education/glossaryterm/add/",
        f"/admin/newsletter/issue/{issue.pk}/change/",
        "/admin/newsletter/subscriber/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
    assert violations == []
