"""The form, the light page around it and the join page, rendered from Jinja2 templates.

A form's markup depends only on the survey, the language, the live session and where it is
hosted, so it is rendered once per process for each; what is personal (the anti-forgery token)
is added around it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from inclucities.browser_files import browser_file
from inclucities.form.texts import markup_texts, script_texts
from inclucities.form.view import Host, form_view, language_links
from inclucities.i18n import LANGUAGES, Translator, is_rtl, translator
from inclucities.memo import Memo
from inclucities.share import FORM_PATH
from inclucities.store import LiveSession
from inclucities.survey.models import Survey

TEMPLATES = Path(__file__).resolve().parent / "templates"
ANSWERS_PATH = "api/answers"
NEW_RESPONDENT_PATH = "/respondent/new"  # served by inclucities.web.respondent
IDEAS_PATH = "api/ideas"
SUPPORT_PATH = "api/ideas/support"
TOKEN_PATH = "api/form-token"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def form_link(survey_id: str, lang: str, session_code: str | None = None) -> str:
    """The light form's path from the app's root (what QR codes and share links open); a
    session is named by its join code."""
    query = f"lang={lang}" + (f"&session={session_code}" if session_code else "")
    return f"{FORM_PATH}/{survey_id}?{query}"


def new_respondent_link(survey_id: str, lang: str, session_code: str | None = None) -> str:
    """The route that gives this browser a new respondent cookie, then this form again, empty
    (the script adds a tablet's kiosk mode)."""
    query = f"to=form&survey={survey_id}&lang={lang}" + (
        f"&session={session_code}" if session_code else ""
    )
    return f"{NEW_RESPONDENT_PATH.lstrip('/')}?{query}"


def script_config(
    survey: Survey,
    t: Translator,
    session_code: str | None,
    root: str,
    one_answer_per_device: bool = False,
) -> dict[str, object]:
    """What the script needs besides the markup: where to send, and its texts."""
    return {
        "survey": survey.id,
        "version": survey.version,
        "lang": t.lang,
        "session": session_code,
        "one_answer_per_device": one_answer_per_device,
        "urls": {
            "answers": f"{root}{ANSWERS_PATH}?lang={t.lang}",
            "ideas": f"{root}{IDEAS_PATH}?lang={t.lang}",
            "support": f"{root}{SUPPORT_PATH}?lang={t.lang}",
            "token": f"{root}{TOKEN_PATH}",
            "speech": f"{root}speech/",
            "new_respondent": f"{root}{new_respondent_link(survey.id, t.lang, session_code)}",
        },
        "texts": script_texts(survey, t),
    }


# survey versions x languages x open sessions x hosts: far fewer than 512 in practice
_forms: Memo[tuple[object, ...], str] = Memo(512)


def render_form(
    survey: Survey,
    lang: str,
    *,
    min_cell_size: int,
    session: LiveSession | None = None,
    root: str = "",
    host: Host = "page",
) -> str:
    """The form's markup (with its script settings) for one survey, language and session;
    rendered once per process for each."""
    key = (survey.id, survey.version, lang, min_cell_size, session, root, host)
    return _forms.get(key, lambda: _render_form(survey, lang, min_cell_size, session, root, host))


def _render_form(
    survey: Survey,
    lang: str,
    min_cell_size: int,
    session: LiveSession | None,
    root: str,
    host: Host,
) -> str:
    t = translator(lang)
    session_code = session.join_code if session is not None else None  # never the id
    language_href = None
    if host == "page":
        language_href = f"{root}{form_link(survey.id, '{lang}', session_code)}"
    view = form_view(
        survey,
        t,
        min_cell_size=min_cell_size,
        session=session,
        root=root,
        host=host,
        language_href=language_href,
    )
    return _render(
        "form.html.j2",
        v=view,
        texts=markup_texts(t, view.session_label),
        config=script_config(survey, t, session_code, root, view.one_answer_per_device),
    )


def render_page(
    body: str,
    *,
    lang: str,
    title: str,
    root: str,
    language_href: str | None,
) -> str:
    """A whole light page (the form or the join page): no Streamlit, two small files."""
    t = translator(lang)
    return _render(
        "page.html.j2",
        body=body,  # markup of our own autoescaped templates (marked safe in the page)
        lang=t.lang,
        direction="rtl" if is_rtl(t.lang) else "ltr",
        title=title,
        app_name=t("core.app_name"),
        root=root,
        css=browser_file("survey-form.css").url,
        js=browser_file("survey-form.js").url,
        languages=language_links(language_href, t.lang) if language_href else [],
        language_label=t("core.language_label"),
        current_language=LANGUAGES[t.lang].native_name,
    )


def join_texts(t: Translator) -> dict[str, str]:
    return {
        "title": t("join.title"),
        "label": t("join.label"),
        "help": t("join.help"),
        "button": t("join.button"),
    }


def _render_body(template: str, lang: str, **context: Any) -> str:
    """A light page's body in `lang`, laid out in that language's direction."""
    t = translator(lang)
    return _render(template, lang=t.lang, direction="rtl" if is_rtl(t.lang) else "ltr", **context)


def render_join(
    lang: str,
    *,
    root: str,
    error: str = "",
    typed: str = "",
    kiosk: Mapping[str, str] | None = None,
) -> str:
    """The join page's body: a code box, and the message about the last code typed; `kiosk`
    (a tablet's kiosk mode) is kept through the code to the form."""
    return _render_body(
        "join.html.j2",
        lang,
        texts=join_texts(translator(lang)),
        root=root,
        error=error,
        typed=typed,
        kiosk=dict(kiosk or {}),
    )


def render_notice(lang: str, *, title: str, message: str) -> str:
    """A survey's page body when it takes no answers: its title and why."""
    return _render_body(
        "notice.html.j2",
        lang,
        title=title,
        message=message,
    )


def render_signin(lang: str, *, root: str, next_page: str, token: str, error: str = "") -> str:
    """The sign-in page's body: one password field (the admin's or a presenter's)."""
    t = translator(lang)
    texts = {
        "title": t("admin.login.submit"),
        "help": t("signin.help"),
        "label": t("signin.password"),
        "button": t("admin.login.submit"),
    }
    return _render_body(
        "signin.html.j2",
        lang,
        texts=texts,
        root=root,
        next_page=next_page,
        token=token,
        error=error,
    )
