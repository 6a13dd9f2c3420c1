"""knowaml.outbound: what this site requests from other sites, and what it refuses to."""

import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from knowaml import outbound


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        routes = {
            "/chain": (301, "/chain-2"),
            "/chain-2": (302, "/ok"),
            "/to-file": (302, "file:///etc/passwd"),
            "/to-other-port": (302, f"http://127.0.0.1:{self.server.other_port}/secret"),
            "/to-localhost": (302, f"http://localhost:{self.server.server_port}/ok"),
            "/loop": (302, "/loop"),
        }
        self.server.hits.append((self.path, self.headers.get("Host")))
        if self.path == "/slow":
            self.send_response(200)
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
            return
        status, location = routes.get(self.path, (200, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        body = b"x" * 1_000_000 if self.path == "/big" else b"ok"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(wrap=None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.hits, server.other_port = [], 9
    if wrap:
        server.socket = wrap(server.socket)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def servers():
    site, other = serve(), serve()
    site.other_port = other.server_port
    yield site, other
    for server in (site, other):
        server.shutdown()
        server.server_close()


@pytest.fixture
def site(servers):
    server = servers[0]
    return f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def no_connections(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("connected to a refused address")

    monkeypatch.setattr(socket, "create_connection", refuse)


def fake_dns(monkeypatch, answers):
    """Host names resolve to the given addresses; counts the lookups."""
    real = socket.getaddrinfo
    lookups = []

    def getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        if host not in answers:
            return real(host, port, *args, **kwargs)
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port),
            )
            for address in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


def test_a_page_that_answers_is_fetched(site):
    response = outbound.fetch(site + "/ok")
    assert (response.status, response.body) == (200, b"ok")


def test_redirects_on_the_allowed_local_server_are_followed(servers, site):
    response = outbound.fetch(site + "/chain")
    assert (response.status, response.url) == (200, site + "/ok")
    assert [path for path, _host in servers[0].hits] == ["/chain", "/chain-2", "/ok"]


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/to-file", "only http and https"),
        ("/to-other-port", "127.0.0.1 is not a public internet address (loopback"),
        ("/to-localhost", "localhost leads to"),
    ],
)
def test_a_redirect_to_a_refused_address_is_never_followed(servers, site, path, reason):
    with pytest.raises(outbound.Refused, match=reason.replace("(", r"\(")):
        outbound.fetch(site + path)
    assert servers[1].hits == [], "the other local server was never asked"
    assert [hit for hit, _host in servers[0].hits] == [path]


def test_redirects_stop_after_a_few_hops(servers, site):
    with pytest.raises(outbound.Refused, match="too many redirects"):
        outbound.fetch(site + "/loop")
    assert len(servers[0].hits) == outbound.MAX_HOPS + 1


@pytest.mark.parametrize(
    "url, kind",
    [
        ("http://10.0.0.1/", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata service"),
        ("http://[fd00:ec2::254]/", "cloud metadata service"),
        ("http://[::1]:8000/", "loopback"),
        ("http://127.0.0.1:8000/", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[::ffff:192.168.1.1]/", "private network"),
        ("http://[64:ff9b::a00:1]/", "private network"),  # NAT64 for 10.0.0.1
        ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 for 127.0.0.1
        ("http://100.64.0.1/", "reserved"),
    ],
)
def test_addresses_off_the_public_internet_are_refused_without_connecting(
    settings, no_connections, url, kind
):
    settings.OUTBOUND_ALLOW_LOOPBACK_FIRST_HOP = False
    with pytest.raises(outbound.Refused, match=kind):
        outbound.request(url)


def test_localhost_is_refused_without_connecting(settings, no_connections):
    settings.OUTBOUND_ALLOW_LOOPBACK_FIRST_HOP = False
    with pytest.raises(outbound.Refused, match="localhost leads to"):
        outbound.request("http://localhost/")


def test_a_name_with_any_private_address_is_refused(monkeypatch, no_connections):
    fake_dns(monkeypatch, {"intranet.example": ["93.184.215.14", "10.1.2.3"]})
    with pytest.raises(outbound.Refused, match=r"intranet.example leads to 10\.1\.2\.3"):
        outbound.request("https://intranet.example/")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/", "gopher://example.org/", "http:///x"]
)
def test_only_http_and_https_are_requested(monkeypatch, no_connections, url):
    lookups = fake_dns(monkeypatch, {})
    with pytest.raises(outbound.Refused):
        outbound.request(url)
    assert lookups == []


def test_the_checked_address_is_the_one_connected_to(monkeypatch, servers):
    """Resolve once, connect to that address, and still name the host the address named."""
    port = servers[0].server_port
    lookups = fake_dns(monkeypatch, {"docs.example": ["127.0.0.1"]})
    response = outbound.request(f"http://docs.example:{port}/ok")
    assert response.status == 200
    names = [host for host in lookups if not host.replace(".", "").isdigit()]
    assert names == ["docs.example"], "one lookup, no second one to rebind"
    assert servers[0].hits == [("/ok", f"docs.example:{port}")]


def test_public_addresses_are_allowed(monkeypatch):
    fake_dns(monkeypatch, {"www.who.int": ["93.184.215.14", "2606:2800:21f:cb07::1"]})
    assert outbound.check_destination("https://www.who.int/news") == [
        "93.184.215.14",
        "2606:2800:21f:cb07::1",
    ]


def test_bodies_are_read_only_up_to_the_limit(site):
    response = outbound.request(site + "/big")
    assert len(response.body) == outbound.MAX_BODY


def test_a_slow_answer_is_abandoned_at_the_time_limit(site):
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        outbound.request(site + "/slow", timeout=1)
    assert time.monotonic() - started < 2


@pytest.fixture
def tls_server(tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            key,
            "-out",
            cert,
            "-days",
            "1",
            "-subj",
            "/CN=docs.example",
            "-addext",
            "subjectAltName=DNS:docs.example",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = serve(lambda sock: context.wrap_socket(sock, server_side=True))
    yield server, cert
    server.shutdown()
    server.server_close()


def test_https_verifies_the_certificate_for_the_original_host_name(monkeypatch, tls_server):
    server, cert = tls_server
    trusting = ssl.create_default_context(cafile=str(cert))
    monkeypatch.setattr(outbound, "TLS", trusting)
    fake_dns(monkeypatch, {"docs.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
    port = server.server_port
    assert outbound.request(f"https://docs.example:{port}/ok").status == 200
    with pytest.raises(ssl.SSLCertVerificationError):
        outbound.request(f"https://other.example:{port}/ok")


def test_deprecated_ipv6_site_local_addresses_are_refused():
    from knowaml.outbound import address_kind

    assert address_kind("fec0::1") is not None
