"""Presenter screen for a projector: join QR, live counter and charts, ideas wall, slides.

The stage is in the language of the survey on screen (its direction follows that language, not
the interface's). Live figures are pushed to the browser (components.results.live): the page never
reruns on a timer. `?view=projector` shows only the stage, as its link names it. The controls
are for a signed-in presenter (or the admin), on the presenter page only.
"""

from __future__ import annotations

import streamlit as st

from components import access, markup
from components.navigation import PAGES
from components.presenter.controls import (
    Controls,
    is_projector_view,
    linked_controls,
    render_controls,
    set_revealed,
)
from components.presenter.sessions import compare_view
from components.results.live import live_screen
from components.store_access import survey_registry
from inclucities.i18n import Translator, is_rtl, translator
from inclucities.network import JoinBase, join_base, network_address
from inclucities.presenter import build_slides, join_notices
from inclucities.sessions import session_join_code, session_label
from inclucities.settings import get_settings
from inclucities.share import JoinCode, link_parts, short_join_code
from inclucities.store import LiveSession
from inclucities.survey.models import Survey

STAGE_KEY = "presenter_stage"
SLIDE_KEY = "presenter_slide"


def _direction(lang: str) -> str:
    return "rtl" if is_rtl(lang) else "ltr"


def current_join_base() -> JoinBase:
    """Where phones can reach this app: the configured URL, the page's address, or the
    machine's network address (never a loopback address while there is a network one)."""
    try:
        request_url = st.context.url
    except Exception:  # no browser request (e.g. under AppTest)
        request_url = None
    return join_base(
        get_settings().public_url,
        request_url,
        [spec.url_path for spec in PAGES],
        network=network_address(),
        listen_address=st.get_option("server.address"),
        port=st.get_option("server.port"),
    )


def current_join_code(
    t: Translator, survey: Survey, lang: str, session: LiveSession | None = None
) -> tuple[JoinCode, JoinBase]:
    """The survey's code in one language, or the live session's own code when one is shown."""
    base = current_join_base()
    url = base.url or f"http://localhost:{st.get_option('server.port')}"
    title = t("presenter.join.qr_title")
    if session is not None:
        return session_join_code(url, session, title=title), base
    return short_join_code(url, survey.id, lang, title=title), base


def _join_block(
    t: Translator,
    survey: Survey,
    lang: str,
    small: bool = False,
    session: LiveSession | None = None,
    operator: bool = False,
) -> None:
    """The QR code, link and short code; where the address comes from, and how to fix it when
    phones cannot reach it, only for the presenter (`operator`), never on the audience's screen."""
    code, base = current_join_code(t, survey, lang, session)
    notices = [
        {"text": t(n.key, **dict(n.values)), "warning": n.warning, "command": n.command}
        for n in join_notices(base)
        if operator
    ]
    markup.show(
        "presenter_join.html",
        code=code,
        parts=link_parts(code.link),
        lead=t("presenter.join.latecomers" if small else "presenter.join.scan"),
        qr_alt=t("presenter.join.qr_alt", link=code.link),
        code_label=t("presenter.join.code_label"),
        notices=notices,
        small=small,
    )


def _title(title: str, lang: str, intro: str | None = None, intro_lang: str = "en") -> None:
    markup.show(
        "presenter_title.html",
        title=title,
        lang=lang,
        dir=_direction(lang),
        intro=intro,
        intro_lang=intro_lang,
        intro_dir=_direction(intro_lang),
    )


def _reveal(survey_id: str, session_id: str | None, actor: str) -> None:
    set_revealed(survey_id, True, session_id, actor=actor)


def _live(t: Translator, controls: Controls, actor: str | None) -> None:
    survey, lang = controls.survey, controls.lang
    session_id = controls.session.id if controls.session is not None else None
    # while people join, the code is big; once results show, they get the room
    left, right = st.columns([1, 4] if controls.revealed else [1, 1.6], gap="large")
    with left:
        _join_block(
            t,
            survey,
            lang,
            small=controls.revealed,
            session=controls.session,
            operator=actor is not None,
        )
    with right:
        _title(translator(lang).text(survey.title), lang, _session_line(controls), lang)
        live_screen(
            survey.id,
            lang,
            "stage",
            key=f"presenter_live_{survey.id}_{lang}_{session_id or 'all'}",
            revealed=controls.revealed,
            session_id=session_id,
        )
        if not controls.revealed and actor is not None:
            st.button(
                t("presenter.live.reveal"),
                key="presenter_reveal",
                type="primary",
                icon=":material/visibility:",
                on_click=_reveal,
                args=(survey.id, session_id, actor),
            )


def _wall(t: Translator, controls: Controls, actor: str | None) -> None:
    survey, lang = controls.survey, controls.lang
    session_id = controls.session.id if controls.session is not None else None
    main, side = st.columns([3, 1], gap="large")
    with main:
        _title(translator(lang).text(survey.title), lang, t("presenter.wall.intro"), t.lang)
        live_screen(
            survey.id,
            lang,
            "wall",
            key=f"presenter_wall_{survey.id}_{lang}_{session_id or 'all'}",
            session_id=session_id,
        )
    with side:
        _join_block(
            t, survey, lang, small=True, session=controls.session, operator=actor is not None
        )


def _session_line(controls: Controls) -> str:
    """The session on screen (its name as typed), or 'all sessions' once there are sessions."""
    st_t = translator(controls.lang)
    if controls.session is not None:
        return session_label(controls.session, st_t)
    return ""


def _compare(t: Translator, controls: Controls, pick: bool) -> None:
    survey, lang = controls.survey, controls.lang
    _title(translator(lang).text(survey.title), lang)
    compare_view(t, survey, lang, pick=pick)


def _step(delta: int, total: int) -> None:
    current = st.session_state.get(SLIDE_KEY, 0)
    st.session_state[SLIDE_KEY] = min(max(current + delta, 0), total - 1)


def _slides(t: Translator) -> None:
    slides = build_slides(t)
    total = len(slides)
    index = min(max(st.session_state.get(SLIDE_KEY, 0), 0), total - 1)
    slide = slides[index]
    kicker_key = (
        "presenter.slides.stage" if slide.kind == "stage" else "presenter.slides.recommendation"
    )
    kicker = t(kicker_key, number=slide.number, total=7)
    with st.container(key=f"presenter_slides_{slide.direction}"):
        markup.show("presenter_slide.html", part="kicker", slide=slide, kicker=kicker)
        with st.container(key="presenter_slide_icon"):
            st.markdown(slide.icon)  # a :material/...: icon or an emoji, from our own content
        st.title(slide.title)
        markup.show("presenter_slide.html", part="body", slide=slide, kicker=kicker)
    nav = st.columns([1, 2, 1], vertical_alignment="center")
    nav[0].button(
        t("presenter.slides.previous"),
        key="presenter_prev",
        icon=":material/arrow_back:",
        disabled=index == 0,
        on_click=_step,
        args=(-1, total),
        width="stretch",
    )
    nav[1].progress(
        (index + 1) / total, text=t("presenter.slides.position", current=index + 1, total=total)
    )
    nav[2].button(
        t("presenter.slides.next"),
        key="presenter_next",
        icon=":material/arrow_forward:",
        type="primary",
        disabled=index == total - 1,
        on_click=_step,
        args=(1, total),
        width="stretch",
    )


def _projector_keys(t: Translator, controls: Controls, actor: str) -> None:
    """On the big screen of a signed-in presenter: Enter shows or hides the results. The
    button is out of sight (the audience sees no control), yet a screen reader finds it."""
    session_id = controls.session.id if controls.session is not None else None
    with st.container(key="presenter_keys"):
        st.button(
            t("presenter.keys.toggle"),
            key="presenter_key_toggle",
            shortcut="Enter",
            on_click=set_revealed,
            args=(controls.survey.id, not controls.revealed, session_id),
            kwargs={"actor": actor},
        )


def _sign_in_prompt(t: Translator) -> None:
    """Below the public stage: who may change it, and the way in."""
    st.divider()
    st.caption(t("presenter.read_only"))
    access.sign_in_button(t, "presenter", "signin.button_presenter")


def render(t: Translator) -> None:
    surveys = survey_registry().surveys
    if not surveys:
        st.title(t("presenter.title"))
        st.warning(t("presenter.no_surveys"))
        return
    projector = is_projector_view()
    presenter = access.presenter()
    signed = None if projector else presenter
    stage = st.container(key="presenter_projector" if projector else "presenter_page")
    if signed is None:
        controls = linked_controls(surveys, t.lang)
        if projector and presenter is not None:
            _projector_keys(t, controls, presenter.actor)
    else:
        with st.sidebar:
            controls = render_controls(t, surveys, signed)
    actor = signed.actor if signed is not None else None
    with stage, st.container(key=STAGE_KEY):
        if controls.mode == "slides":
            _slides(t)
        elif controls.mode == "wall":
            _wall(t, controls, actor)
        elif controls.mode == "compare":
            _compare(t, controls, pick=signed is not None)
        else:
            _live(t, controls, actor)
    if signed is None and not projector:
        _sign_in_prompt(t)
