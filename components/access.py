"""Who is signed in on this page (the cookie `/sign-in` sets), and the links to sign in or out."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from inclucities.auth import AdminSession
from inclucities.credentials import configured_credentials
from inclucities.i18n import Translator
from inclucities.signin import COOKIE_NAME, Role, SignedIn, read
from inclucities.web.signin import SIGNIN_PATH, SIGNOUT_PATH


def request_cookie() -> str | None:
    """The sign-in cookie the browser sent when this page was opened."""
    try:
        value = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # no browser request behind this run (e.g. under AppTest)
        return None
    return value if isinstance(value, str) else None


def signed_in() -> SignedIn | None:
    """This browser's valid sign-in, if any (forged, expired or outdated cookies are ignored)."""
    return read(request_cookie(), configured_credentials())


def presenter() -> SignedIn | None:
    """A sign-in that may drive the screens: a presenter's, or the admin's."""
    found = signed_in()
    return found if found is not None and found.role in (Role.PRESENTER, Role.ADMIN) else None


def sign_in_url(t: Translator, next_page: str) -> str:
    query = {"next": f"{next_page}?lang={t.lang}", "lang": t.lang}
    return f"{SIGNIN_PATH.lstrip('/')}?{urlencode(query)}"


def sign_out_url(t: Translator, next_page: str) -> str:
    return f"{SIGNOUT_PATH.lstrip('/')}?{urlencode({'next': f'{next_page}?lang={t.lang}'})}"


def sign_in_button(t: Translator, next_page: str, label_key: str = "admin.login.submit") -> None:
    st.link_button(t(label_key), sign_in_url(t, next_page), icon=":material/login:", type="primary")


def sign_out_button(t: Translator, next_page: str) -> None:
    st.link_button(t("admin.sign_out"), sign_out_url(t, next_page), icon=":material/logout:")


def acting_session(signed: SignedIn) -> AdminSession:
    """The gate the audited actions take, opened for this sign-in and named after its credential."""
    session = AdminSession(actor=signed.actor, key=signed.nonce)
    session.grant()
    return session
