"""Only http(s), and never a private, loopback or link-local address unless allowed: a feed must
not be able to make the fetcher read the host's own services or a cloud metadata endpoint."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


def _allowed(address: ipaddress._BaseAddress, host: str, allow: tuple[str, ...]) -> bool:
    for entry in allow:
        if entry == host:
            return True
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:  # a host name, not a network
            continue
    return False


def refusal(url: str, allow: tuple[str, ...] = ()) -> str | None:
    """Why `url` may not be fetched ("bad_url", "private_address"), or None."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on "host:abc"
    except ValueError:
        return "bad_url"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "bad_url"
    host = parts.hostname
    try:
        infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return "dns_error"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        public = address.is_global and not address.is_multicast
        if not public and not _allowed(address, host, allow):
            return "private_address"
    return None
