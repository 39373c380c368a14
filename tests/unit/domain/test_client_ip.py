"""The client IP behind trusted proxies (domain/client_ip.py): X-Forwarded-For only through them."""

from __future__ import annotations

import ipaddress
from types import SimpleNamespace

import pytest
from hypothesis import given, strategies as st

from yongin_app.domain.client_ip import UNKNOWN, client_ip, parse_address, parse_trusted_proxies
from yongin_app.settings import get_settings
from yongin_app.states import client as client_state

PROXIES = parse_trusted_proxies("10.0.0.0/8, 2001:db8:ffff::/48, 192.0.2.1")

ipv4 = st.ip_addresses(v=4)
ipv6 = st.ip_addresses(v=6).filter(lambda a: a.ipv4_mapped is None)
addresses = st.one_of(ipv4, ipv6)
trusted_addresses = st.one_of(
    st.integers(0, 2**24 - 1).map(lambda n: ipaddress.IPv4Address(0x0A000000 + n)),
    st.integers(0, 2**80 - 1).map(lambda n: ipaddress.IPv6Address((0x20010DB8FFFF << 80) + n)),
    st.just(ipaddress.IPv4Address("192.0.2.1")),
)
untrusted_addresses = addresses.filter(lambda a: not any(a.version == n.version and a in n for n in PROXIES))
# What a client may put in the header itself: anything, addresses or not.
spoofed = st.lists(st.one_of(addresses.map(str), st.text(max_size=20).filter(lambda t: "," not in t)), max_size=5)


def _header(*hops) -> str:
    return ", ".join(str(hop) for hop in hops)


@given(peer=untrusted_addresses, header=spoofed)
def test_a_peer_that_is_no_trusted_proxy_is_the_client_whatever_the_header(peer, header):
    assert client_ip(str(peer), _header(*header), PROXIES) == str(peer)


@given(peer=addresses, header=spoofed)
def test_without_trusted_proxies_the_header_is_ignored(peer, header):
    assert client_ip(str(peer), _header(*header), ()) == str(peer)


@given(spoof=spoofed, client=untrusted_addresses, proxies=st.lists(trusted_addresses, max_size=3),
       peer=trusted_addresses)
def test_through_trusted_proxies_the_rightmost_untrusted_hop_is_the_client(spoof, client, proxies, peer):
    """Whatever the client wrote on the left, the proxies' own entries decide."""
    assert client_ip(str(peer), _header(*spoof, client, *proxies), PROXIES) == str(client)


@given(peer=addresses, header=spoofed)
def test_the_answer_is_the_peer_or_one_of_the_hops(peer, header):
    answer = client_ip(str(peer), _header(*header), PROXIES)
    hops = {str(parse_address(hop)) for hop in header if parse_address(hop) is not None}
    assert answer == str(peer) or answer in hops


@given(proxies=st.lists(trusted_addresses, min_size=1, max_size=4), peer=trusted_addresses)
def test_when_every_hop_is_trusted_the_leftmost_is_the_client(proxies, peer):
    assert client_ip(str(peer), _header(*proxies), PROXIES) == str(proxies[0])


def test_garbage_written_behind_a_trusted_proxy_stops_at_that_proxy():
    assert client_ip("10.0.0.1", "1.2.3.4, not-an-ip", PROXIES) == "10.0.0.1"
    assert client_ip("10.0.0.1", "1.2.3.4, not-an-ip, 10.0.0.2", PROXIES) == "10.0.0.2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.2.3.4", "1.2.3.4"), (" 1.2.3.4:5678 ", "1.2.3.4"), ("[2001:db8::1]:443", "2001:db8::1"),
     ("::ffff:1.2.3.4", "1.2.3.4"), ("2001:DB8::1", "2001:db8::1"), ("", None), ("unknown", None),
     ("[::1", None), ("1.2.3.4.5", None)],
)
def test_addresses_as_proxies_write_them(text, expected):
    parsed = parse_address(text)
    assert (str(parsed) if parsed else None) == expected


def test_no_usable_peer_is_one_shared_key():
    assert client_ip("", "1.2.3.4", PROXIES) == UNKNOWN


def test_a_bad_trusted_proxy_setting_stops_the_start(monkeypatch):
    monkeypatch.setenv("YONGIN_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal")
    get_settings.cache_clear()
    try:
        with pytest.raises(ValueError):
            get_settings()
    finally:
        monkeypatch.delenv("YONGIN_TRUSTED_PROXIES")
        get_settings.cache_clear()


def _state(peer_header: str | None, session_ip: str, forwarded: str = "") -> SimpleNamespace:
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    if peer_header is not None:
        headers[client_state.PEER_HEADER] = peer_header
    return SimpleNamespace(router=SimpleNamespace(
        headers=SimpleNamespace(raw_headers=headers), session=SimpleNamespace(client_ip=session_ip)))


def test_the_states_read_the_peer_and_trust_the_header_only_through_configured_proxies(monkeypatch):
    monkeypatch.setenv("YONGIN_TRUSTED_PROXIES", "127.0.0.1")
    get_settings.cache_clear()
    try:
        assert client_state.client_ip(_state("127.0.0.1", "127.0.0.1", "198.51.100.9")) == "198.51.100.9"
        assert client_state.client_ip(_state("203.0.113.5", "203.0.113.5", "198.51.100.9")) == "203.0.113.5"
        # A header of the peer's name sent by the client itself (the server reported no peer).
        assert client_state.client_ip(_state("127.0.0.1", "0.0.0.0", "198.51.100.9")) == "0.0.0.0"
    finally:
        monkeypatch.delenv("YONGIN_TRUSTED_PROXIES")
        get_settings.cache_clear()
