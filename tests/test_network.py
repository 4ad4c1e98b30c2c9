"""Join links phones can open: never a loopback address while the machine has a network one."""

from __future__ import annotations

import pytest

from inclucities.network import find_network_address, is_loopback, join_base
from inclucities.presenter import join_notices

PAGES = ("presenter", "survey", "results")


@pytest.mark.parametrize(
    "host", ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "app.localhost", "LOCALHOST."]
)
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["192.0.2.2", "10.0.0.7", "live.example.org", "", None])
def test_other_hosts_are_not_loopback(host):
    assert not is_loopback(host)


def test_a_presenter_on_localhost_gets_the_network_address_and_is_told():
    base = join_base(None, "http://localhost:8611/presenter", PAGES, network="192.0.2.2", port=8611)
    assert base.url == "http://192.0.2.2:8611" and base.source == "network"
    notices = join_notices(base)
    assert [(n.key, n.warning) for n in notices] == [("presenter.join.network", False)]
    assert dict(notices[0].values) == {"address": "192.0.2.2"}


def test_the_configured_public_url_wins_and_needs_no_notice():
    base = join_base(
        "https://live.example.org/", "http://127.0.0.1:8611/presenter", PAGES, network="192.0.2.2"
    )
    assert base.url == "https://live.example.org" and join_notices(base) == []


def test_a_page_opened_at_a_network_address_keeps_it():
    base = join_base(None, "http://10.1.2.3:8501/app/presenter", PAGES, network="192.0.2.2")
    assert base.url == "http://10.1.2.3:8501/app" and base.source == "request"


def test_only_loopback_warns_with_the_fix():
    base = join_base(None, "http://127.0.0.1:8611/presenter", PAGES, network=None)
    assert base.url == "http://127.0.0.1:8611" and base.source == "loopback"
    assert [(n.key, n.warning) for n in join_notices(base)] == [("presenter.join.loopback", True)]


def test_a_server_listening_on_loopback_only_warns_with_the_command():
    base = join_base(
        None,
        "http://127.0.0.1:8611/presenter",
        PAGES,
        network="192.0.2.2",
        listen_address="127.0.0.1",
    )
    assert base.url == "http://192.0.2.2:8611"  # still never a loopback link
    keys = [(n.key, n.warning, n.command) for n in join_notices(base)]
    assert (
        "presenter.join.listens_locally",
        True,
        "streamlit run app.py --server.address 0.0.0.0",
    ) in keys


def test_without_any_request_the_network_address_and_port_are_used():
    base = join_base(None, None, PAGES, network="192.0.2.2", port=8501)
    assert base.url == "http://192.0.2.2:8501"


def test_the_address_finder_never_returns_loopback():
    found = find_network_address()
    assert found is None or not is_loopback(found)
    assert find_network_address(probes=()) is None or not is_loopback(find_network_address(()))
