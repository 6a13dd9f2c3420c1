"""Requests this site makes to other sites: the reference link checker, and any later fetcher.

Editors type the addresses, and a site may answer with a redirect to anywhere, so every hop is
checked before it is requested: http or https only, and a host name is resolved first and
refused if any of its addresses is not on the public internet (loopback, private, link-local,
multicast, reserved, unspecified, cloud metadata). The connection then goes to the address that
was checked, never to a second lookup, while the request still names the original host (the
``Host`` header, and for https the certificate and SNI). Timeouts are short and bodies are read
only up to a limit. Proxies from the environment are not used.
"""

import functools
import http.client
import io
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

CONNECT_TIMEOUT = 5
TOTAL_TIMEOUT = 10
MAX_BODY = 64 * 1024
MAX_HOPS = 5
REDIRECTS = {301, 302, 303, 307, 308}
USER_AGENT = "KnowAML/1.0"
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
NAT64 = ipaddress.ip_network("64:ff9b::/96")
TLS = ssl.create_default_context()


class Refused(Exception):
    """An address this site will not request; the message says why, in the active language."""


@dataclass
class Response:
    url: str
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def redirect_target(self):
        """The absolute address a redirect points to, or None if this is no redirect."""
        location = self.headers.get("Location")
        if self.status in REDIRECTS and location:
            return urljoin(self.url, location.strip())
        return None


def address_kind(address):
    """Why an address is not on the public internet, or None if it is."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6:  # an IPv4 address wrapped in IPv6 reaches that IPv4 address
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo or (None, None))[1]
        if embedded is None and ip in NAT64:
            embedded = ipaddress.ip_address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_kind(embedded)
    if ip in METADATA:
        return _("cloud metadata service")
    if ip.is_loopback:
        return _("loopback, this server itself")
    if ip.is_link_local:
        return _("link-local address")
    if ip.is_multicast:
        return _("multicast address")
    if ip.is_unspecified:
        return _("unspecified address")
    if ip.is_reserved:
        return _("reserved address range")
    if ip.is_private or (ip.version == 6 and ip.is_site_local):
        return _("private network")
    if not ip.is_global:
        return _("reserved address range")
    return None


def origin(url):
    parts = urlsplit(url)
    return (parts.scheme, parts.hostname, parts.port)


def loopback_allowed(url, first_url):
    """Tests only: the first hop's local server, and redirects that stay on it."""
    allowed = getattr(settings, "OUTBOUND_ALLOW_LOOPBACK_FIRST_HOP", False)
    return allowed and origin(url) == origin(first_url or url)


def destination(url):
    """(scheme, host, port) of an address this site may request; raises Refused otherwise."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise Refused(_("the address is not valid")) from None
    if parts.scheme not in {"http", "https"}:
        raise Refused(_("only http and https addresses are allowed"))
    if not host:
        raise Refused(_("the address has no host name"))
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80)


def check_destination(url, first_url=None):
    """The checked addresses ``url`` may be requested at; raises Refused or OSError (DNS).

    ``first_url`` is where a chain of redirects began (None when ``url`` is the first hop).
    """
    _scheme, host, port = destination(url)
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    for address in addresses:
        kind = address_kind(address)
        if kind is None or (
            ipaddress.ip_address(address).is_loopback and loopback_allowed(url, first_url)
        ):
            continue
        if address.split("%")[0] == host:
            message = _("%(address)s is not a public internet address (%(kind)s)")
        else:
            message = _(
                "%(host)s leads to %(address)s, which is not a public internet address (%(kind)s)"
            )
        raise Refused(message % {"host": host, "address": address, "kind": kind})
    return addresses


def request(
    url, method="GET", *, first_url=None, headers=None, timeout=TOTAL_TIMEOUT, max_body=MAX_BODY
):
    """One request, no redirect followed; ``timeout`` bounds the whole exchange.

    Raises Refused for an address this site will not request, OSError (timeouts included) or
    http.client.HTTPException when the request fails.
    """
    addresses = check_destination(url, first_url)
    scheme, host, port = destination(url)
    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    connection_class = _HTTPSConnection if scheme == "https" else _HTTPConnection
    connection = connection_class(host, port, addresses, min(CONNECT_TIMEOUT, timeout), deadline)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            method,
            path,
            headers={"User-Agent": USER_AGENT, "Connection": "close", **(headers or {})},
        )
        answer = connection.getresponse()
        body = answer.read(max_body) if max_body else b""
        return Response(url=url, status=answer.status, headers=answer.headers, body=body)
    finally:
        connection.close()


def fetch(url, method="GET", *, max_hops=MAX_HOPS, **kwargs):
    """Request ``url``, following redirects (each hop checked again) up to ``max_hops``."""
    current = url
    for _hop in range(max_hops + 1):
        response = request(current, method, first_url=url, **kwargs)
        target = response.redirect_target()
        if target is None:
            return response
        current = target
        if response.status == 303:
            method = "GET"
    raise Refused(_("too many redirects"))


def _connect(addresses, port, timeout, deadline):
    """Try each checked address in turn, all of them within the request's deadline."""
    error = OSError("no address to connect to")
    for address in addresses:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no time left to connect")
        try:
            return socket.create_connection((address, port), timeout=min(timeout, left))
        except OSError as failure:
            error = failure
    raise error


class _DeadlineReader(io.RawIOBase):
    """Reads from the socket, each read given only what is left of the whole request's time.

    It holds on to the file http.client opened, which keeps the socket open until the
    response is closed, as http.client expects.
    """

    def __init__(self, sock, held, deadline):
        self.sock = sock
        self.held = held
        self.deadline = deadline

    def readable(self):
        return True

    def close(self):
        self.held.close()
        super().close()

    def readinto(self, buffer):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        self.sock.settimeout(left)
        return self.sock.recv_into(buffer)


class _Response(http.client.HTTPResponse):
    def __init__(self, sock, *args, deadline, **kwargs):
        super().__init__(sock, *args, **kwargs)
        self.fp = io.BufferedReader(_DeadlineReader(sock, self.fp, deadline))


class _HTTPConnection(http.client.HTTPConnection):
    """Connects to addresses checked beforehand, whatever the host name resolves to by now."""

    def __init__(self, host, port, addresses, timeout, deadline):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses
        self.deadline = deadline
        self.response_class = functools.partial(_Response, deadline=deadline)

    def connect(self):
        self.sock = _connect(self.addresses, self.port, self.timeout, self.deadline)


class _HTTPSConnection(_HTTPConnection):
    default_port = 443

    def connect(self):
        super().connect()
        self.sock = TLS.wrap_socket(self.sock, server_hostname=self.host)
