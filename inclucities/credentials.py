"""The sign-in credentials this server is configured with (the admin's and the presenters')."""

from __future__ import annotations

from inclucities import signin
from inclucities.settings import get_settings


def configured_credentials() -> signin.Credentials:
    """The passwords set for this server, by role."""
    settings = get_settings()
    passwords: dict[signin.Role, str] = {}
    if settings.admin_password is not None:
        passwords[signin.Role.ADMIN] = settings.admin_password.get_secret_value()
    if settings.presenter_password is not None:
        passwords[signin.Role.PRESENTER] = settings.presenter_password.get_secret_value()
    return signin.Credentials(passwords)
