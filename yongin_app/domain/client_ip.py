"""Which address a request came from, behind zero or more reverse proxies.

``X-Forwarded-For`` is written by whoever sent the request, so only the hops that a trusted proxy
appended can be believed: the list is read from the right (the entry the nearest proxy added),
skipping the configured trusted proxies, and the first address that is not one of them is the
client. When the socket's peer is not a trusted proxy, the header is ignored entirely.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# The key when the server reports no usable peer (such clients then share one set of counters).
UNKNOWN = "unknown"


def parse_address(text: str) -> IPAddress | None:
    """An address as proxies and servers write it: ``1.2.3.4``, ``1.2.3.4:5678``, ``::1``,
    ``[::1]:443``; an IPv4-mapped IPv6 address is the IPv4 address. None when it is not one."""
    text = (text or "").strip()
    if not text or len(text) > 100:
        return None
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            return None
        text = text[1:end]
    elif text.count(":") == 1:  # IPv4 with a port (an IPv6 address has at least two colons)
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def parse_trusted_proxies(text: str) -> tuple[IPNetwork, ...]:
    """``YONGIN_TRUSTED_PROXIES``: comma-separated addresses or CIDR blocks; ValueError on a bad entry."""
    networks: list[IPNetwork] = []
    for entry in (text or "").split(","):
        entry = entry.strip()
        if entry:
            networks.append(ipaddress.ip_network(entry, strict=False))
    return tuple(networks)


def _trusted(address: IPAddress, trusted: Iterable[IPNetwork]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_ip(peer: str, forwarded_for: str, trusted: Sequence[IPNetwork]) -> str:
    """The client's address: the peer itself unless the peer is a trusted proxy; then the rightmost
    ``X-Forwarded-For`` entry that is not a trusted proxy (the leftmost one if all of them are). An
    entry that is no address stops the walk at the last trusted hop: nothing left of it can be
    believed."""
    peer_address = parse_address(peer)
    if peer_address is None:
        return UNKNOWN
    if not _trusted(peer_address, trusted):
        return str(peer_address)
    last = peer_address
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            return str(last)
        if not _trusted(address, trusted):
            return str(address)
        last = address
    return str(last)
