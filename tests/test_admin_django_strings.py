"""Screens of Django's own admin speak the editor's language, even where Django 6.1's
catalogues leave a string untranslated (knowaml/django_strings.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from knowaml.search.models import SearchCount, Synonym

from .conftest import html

EXPECTED = {
    "es": ("Ejecutar", "- Elija una opción -", "¿Seguro que desea borrar"),
    "de": ("Ausführen", "- Bitte auswählen -", "wirklich löschen"),
    "ar": ("تنفيذ", "- اختر خيارًا -", "هل تريد بالتأكيد حذف"),
    "fr": ("Exécuter", "- Choisir une option -", "Voulez-vous vraiment supprimer"),
}


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("edith", "edith@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_action_bar_and_delete_question_are_translated(editor_client, language):
    run, choose, question = EXPECTED[language]
    SearchCount.objects.create(
        language="en", query="relapse", searches=3, results=2, last_searched=timezone.now()
    )
    synonym = Synonym.objects.create(language="en", forms="chemo\nchemotherapy")
    headers = {"accept-language": language}

    listing = html(editor_client.get("/admin/search/searchcount/", headers=headers))
    assert listing.html["lang"] == language
    assert listing.select_one("button[name=index]").get_text(strip=True) == run
    assert listing.select_one("select[name=action] option").get_text(strip=True) == choose

    url = f"/admin/search/synonym/{synonym.pk}/delete/"
    confirm = html(editor_client.get(url, headers=headers))
    assert question in confirm.select_one("#content").get_text(" ", strip=True)
