from django.urls import reverse

from knowaml.revisions import workflow
from knowaml.revisions.models import Revision

from .conftest import html
from .test_history import form_data


def history_page(client, article):
    return html(client.get(reverse("admin:education_article_history", args=[article.pk])))


def test_history_names_each_changed_field_once_with_its_language(
    admin_client, django_user_model, relapse
):
    url = reverse("admin:education_article_change", args=[relapse.pk])
    data = form_data(html(admin_client.get(url)))
    data.update(slug_en="relapse-of-aml", title_es="Recaída de la LMA")
    assert admin_client.post(url, data).status_code == 302
    # The live article changes when someone else approves the revisions (one per language).
    second = django_user_model.objects.create_superuser("second", "s@example.org", "pw")
    for revision in Revision.objects.all():
        workflow.submit(revision, revision.author, kind="minor")  # "Last reviewed" stays
        workflow.approve(revision, second)
    page = history_page(admin_client, relapse)
    changed = [item.strong.get_text(strip=True) for item in page.select("#change-history li")]
    assert sorted(changed) == ["Slug [en]:", "Title [es]:"], changed


def test_history_shows_no_reason_as_a_dash_not_none(admin_client, relapse):
    page = history_page(admin_client, relapse)
    headers = [th.get_text(strip=True) for th in page.select("#change-history thead th")]
    column = headers.index("Change reason")
    reasons = [
        row.select("td")[column].get_text(strip=True)
        for row in page.select("#change-history tbody tr")
    ]
    assert reasons and set(reasons) == {"—"}, reasons
    assert "None" not in page.select_one("#change-history").get_text()
