from knowaml.environment import configure

configure(server=True)

from django.core.wsgi import get_wsgi_application  # noqa: E402

from knowaml.startup import prepare_server  # noqa: E402

application = get_wsgi_application()
prepare_server()
