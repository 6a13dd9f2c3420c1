from knowaml.environment import configure

configure(server=True)

from django.core.asgi import get_asgi_application  # noqa: E402

from knowaml.startup import prepare_server  # noqa: E402

application = get_asgi_application()
prepare_server()
