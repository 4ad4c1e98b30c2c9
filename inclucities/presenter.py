"""Presenter mode without Streamlit: the slides, and the state of the join link on screen."""

from __future__ import annotations

from dataclasses import dataclass

from inclucities.i18n import DEFAULT_LANGUAGE, Translator, is_rtl
from inclucities.network import JoinBase
from inclucities.process import default_stages
from inclucities.recommendations import default_recommendations

MODES: tuple[str, ...] = ("live", "wall", "compare", "slides")


@dataclass(frozen=True)
class Slide:
    """One slide: a stage of the method or one of the recommendations."""

    kind: str  # "stage" | "recommendation"
    number: int
    icon: str
    title: str
    body: str
    details: tuple[tuple[str, str], ...] = ()
    lang: str = DEFAULT_LANGUAGE  # the language the slide's text is really in

    @property
    def direction(self) -> str:
        return "rtl" if is_rtl(self.lang) else "ltr"


def content_language(t: Translator, available: tuple[str, ...] = ("en", "fr")) -> str:
    """The language content in `available` languages is shown in for this translator."""
    return t.lang if t.lang in available else DEFAULT_LANGUAGE


def build_slides(t: Translator) -> list[Slide]:
    """The 7 stages, then the 7 recommendations, in the presenter's language (en or fr)."""
    lang = content_language(t)
    slides: list[Slide] = []
    for stage in sorted(default_stages(), key=lambda s: s.number):
        slides.append(
            Slide(
                "stage",
                stage.number,
                stage.icon,
                t.text(stage.title.as_dict()),
                t.text(stage.what.as_dict()),
                (
                    (t("presenter.slides.who"), t.text(stage.who.as_dict())),
                    (t("presenter.slides.output"), t.text(stage.output.as_dict())),
                    (t("presenter.slides.period"), t.text(stage.period.as_dict())),
                ),
                lang,
            )
        )
    for rec in sorted(default_recommendations(), key=lambda r: r.number):
        slides.append(
            Slide(
                "recommendation",
                rec.number,
                rec.icon,
                t.text(rec.title.as_dict()),
                t.text(rec.explanation.as_dict()),
                lang=lang,
            )
        )
    return slides


@dataclass(frozen=True)
class JoinNotice:
    """What the presenter screen says under the join code: a note, or a warning with the fix."""

    key: str  # message key
    warning: bool
    values: tuple[tuple[str, str], ...] = ()
    command: str | None = None  # shown as typed, under the message


LISTEN_ON_NETWORK = "streamlit run app.py --server.address 0.0.0.0"


def join_notices(base: JoinBase) -> list[JoinNotice]:
    """Say where the link comes from when it is not the configured URL; warn when phones in
    the room cannot open it, with the fix."""
    notices: list[JoinNotice] = []
    if base.source == "network" and base.address:
        notices.append(JoinNotice("presenter.join.network", False, (("address", base.address),)))
    if base.source in {"loopback", "none"}:
        notices.append(JoinNotice("presenter.join.loopback", True))
    elif base.listens_locally and base.source != "configured":
        notices.append(
            JoinNotice("presenter.join.listens_locally", True, command=LISTEN_ON_NETWORK)
        )
    return notices
