from django.test import RequestFactory
from django.utils import translation

from knowaml.errors import server_error

from .conftest import html


def test_server_error_page_is_translated_and_needs_no_database(db, django_assert_num_queries):
    request = RequestFactory().get("/es/")
    with translation.override("es"), django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    page = html(response)
    assert page.html["lang"] == "es"
    assert len(page.find_all("h1")) == 1
