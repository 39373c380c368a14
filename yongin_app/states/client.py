"""The client's address as the services' limits see it (domain/client_ip.py)."""

from __future__ import annotations

import reflex as rx

from yongin_app.domain.client_ip import client_ip as _client_ip
from yongin_app.settings import get_settings

# Reflex puts the socket's peer (the ASGI scope's client) among the connection's headers.
PEER_HEADER = "asgi-scope-client"


def client_ip(state: rx.State) -> str:
    """The client IP of the connection that sent this event: X-Forwarded-For only through the proxies
    of YONGIN_TRUSTED_PROXIES (never Reflex's trusted_proxy_hops)."""
    router = state.router
    headers = router.headers.raw_headers
    peer = headers.get(PEER_HEADER, "")
    # Reflex overwrites a client-sent header of that name only when the server reports a peer, and it
    # then also keeps the peer as session.client_ip: a header the two disagree on is the client's own.
    if peer != router.session.client_ip:
        peer = router.session.client_ip
    return _client_ip(peer, headers.get("x-forwarded-for", ""), get_settings().trusted_proxy_networks)
