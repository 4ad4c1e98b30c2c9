"""The light form's routes (issue 21): the join page and codes, the form page and its two files,
and the one way in for answers, with its token, limits and messages in the respondent's
language; supports on the thank-you."""

from __future__ import annotations

import gzip
import html
import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware

from inclucities import respondent, runtime
from inclucities.form.limits import Limit, Limits, RateLimiter
from inclucities.i18n import translator
from inclucities.receipt import RECEIPT_SECRET, legacy_receipt_code, receipt_code, receipt_hash
from inclucities.share import join_code_for
from inclucities.store import StorageFault
from inclucities.web import form as form_routes
from inclucities.web.respondent import RespondentCookieMiddleware
from inclucities.web.routes import routes
from scripts.support.survey_helpers import ACADEMY, RESIDENT, resident_answers
from tests.asgi_client import Client

FR = "fr"


def app() -> Starlette:
    return Starlette(
        routes=routes(session_count=lambda: 0),
        middleware=[Middleware(RespondentCookieMiddleware)],
    )


@pytest.fixture
def phone(isolated_database):
    """A phone: a browser that keeps its cookies."""
    form_routes._pages.clear()
    yield Client(app(), keep_cookies=True)
    runtime.reset()


def open_form(phone: Client, path: str = "/answer/resident?lang=fr") -> str:
    reply = phone.get(path, {"accept-encoding": "gzip"})
    assert reply.status_code == 200, reply.text[:300]
    return gzip.decompress(reply.body).decode("utf-8")


def secret() -> str:
    return respondent.new_token()


def send(phone: Client, body: dict, lang: str = FR, **headers: str):
    token = phone.cookies.get(respondent.FORM_COOKIE_NAME, "")
    sent = {"content-type": "application/json", "x-form-token": token} | headers
    return phone.post(f"/api/answers?lang={lang}", body, sent)


def resident_body(lang: str = FR, **extra) -> dict:
    return {
        "survey": "resident",
        "lang": lang,
        "session": None,
        "submission": secret(),
        "answers": resident_answers(idea="Un café des langues"),
        "consent": True,
    } | extra


# -- the pages ------------------------------------------------------------------------------------


def test_the_form_page_is_light_and_gives_the_phone_its_cookies(phone):
    reply = phone.get("/answer/resident?lang=fr", {"accept-encoding": "gzip"})
    assert reply.status_code == 200
    assert reply.headers["content-encoding"] == "gzip"
    assert reply.headers["cache-control"] == "no-store"
    page = gzip.decompress(reply.body).decode("utf-8")
    assert '<html lang="fr" dir="ltr">' in page
    assert page.count('class="icf-q ') + page.count('class="icf-q"') == len(RESIDENT.questions)
    cookies = {c.split("=", 1)[0]: c for c in reply.set_cookies}
    assert "HttpOnly" in cookies[respondent.COOKIE_NAME]
    form_cookie = cookies[respondent.FORM_COOKIE_NAME]
    assert "HttpOnly" not in form_cookie and "SameSite=Strict" in form_cookie
    token = phone.cookies[respondent.COOKIE_NAME]
    assert phone.cookies[respondent.FORM_COOKIE_NAME] == respondent.form_token(token)
    files = re.findall(r'(?:href|src)="\.\./(assets/[^"]+)"', page)
    assert len(files) == 2
    total = len(reply.body)
    for path in files:
        asset = phone.get(f"/{path}", {"accept-encoding": "gzip"})
        assert asset.status_code == 200
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert phone.get(f"/{path}", {"if-none-match": asset.headers["etag"]}).status_code == 304
        total += len(asset.body)
    assert total < 150_000  # a phone's whole first visit, as sent on the wire
    assert phone.get("/assets/survey-form.0000.js").status_code == 404


def test_a_second_visit_keeps_the_phones_cookies(phone):
    open_form(phone)
    again = phone.get("/answer/resident?lang=ar")
    assert again.status_code == 200 and not again.set_cookies


def test_a_survey_code_opens_its_form_in_its_language(phone):
    code = join_code_for("academy", "uk")
    page = open_form(phone, f"/j/{code.lower()}")
    assert '<html lang="uk" dir="ltr">' in page
    assert translator("uk").text(ACADEMY.title) in page
    arabic = open_form(phone, f"/j/{code}?lang=ar")
    assert '<html lang="ar" dir="rtl">' in arabic


def test_a_session_code_opens_the_form_named_for_its_session(phone):
    live = runtime.get_store().create_session("academy", "Académie de Malines", actor="t")
    page = html.unescape(open_form(phone, f"/j/{live.join_code.lower()}?lang=fr"))
    assert "Vous répondez dans cette session" in page
    assert "Académie de Malines" in page
    assert f'"session": "{live.join_code}"' in page  # the code, never the id


def test_an_unknown_code_is_answered_on_the_join_page_in_the_visitors_language(phone):
    reply = phone.get("/j/QQQQ", {"accept-language": "fr-BE,fr;q=0.9,en;q=0.5"})
    assert reply.status_code == 404
    assert translator("fr")("join.unknown", code="QQQQ") in html.unescape(reply.text)
    assert 'name="code"' in reply.text and 'value="QQQQ"' in reply.text
    long = phone.get("/j/" + "X" * 40 + "?lang=uk")
    assert long.status_code == 404 and "X" * 13 not in long.text  # cut short
    assert "Приєднатися за кодом" in long.text


def test_the_join_page_takes_a_typed_code(phone):
    page = phone.get("/j?lang=ar")
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    typed = phone.get("/j?code=%20ab%202c%20&lang=fr")
    assert typed.status_code == 303 and typed.headers["location"] == "j/AB2C?lang=fr"
    blank = phone.get("/j?code=%20&lang=fr")
    assert blank.status_code == 404
    assert translator("fr")("join.empty") in html.unescape(blank.text)


def test_a_closed_survey_or_session_says_so_instead_of_a_form(phone):
    store = runtime.get_store()
    live = store.create_session("academy", "Room", actor="t")
    store.close_session(live.id, actor="t")
    closed_session = open_form(phone, f"/j/{live.join_code}?lang=fr")
    assert translator("fr")("survey.session_closed") in html.unescape(closed_session)
    assert "icf-form" not in closed_session
    store.set_survey_open("resident", False, actor="t")
    form_routes._pages.clear()
    closed = open_form(phone, "/answer/resident?lang=uk")
    assert translator("uk")("survey.closed") in html.unescape(closed)
    assert "icf-form" not in closed


# -- the answers --------------------------------------------------------------------------------


def test_answers_are_stored_once_and_acknowledged_with_a_receipt(phone):
    open_form(phone)
    body = resident_body()
    first = send(phone, body)
    assert first.status_code == 200, first.text
    reply = first.json()
    stored_id = respondent.submission_id(body["submission"], "resident")
    assert reply["status"] == "stored" and reply["count"] == 1
    store = runtime.get_store()
    assert reply["receipt"] == receipt_code(stored_id, store.server_secret(RECEIPT_SECRET))
    assert reply["receipt"] != legacy_receipt_code(stored_id)  # ids alone do not give it
    assert reply["count_text"] == translator(FR)("survey.count_so_far", count=1)
    assert reply["message"] == translator(FR).text(RESIDENT.thank_you)
    store = runtime.get_store()
    assert store.has_submission(stored_id) and store.count("resident") == 1
    again = send(phone, body)  # the acknowledgement was lost: the phone sends again
    assert again.json()["status"] == "duplicate"
    assert again.json()["receipt"] == reply["receipt"]
    assert again.json()["message"] == translator(FR)("survey.already_received")
    assert store.count("resident") == 1
    other = send(phone, resident_body())
    assert other.json()["count"] == 2


def test_every_refusal_comes_in_the_respondents_language(phone, monkeypatch):
    open_form(phone)
    t = translator("ar")
    no_consent = send(phone, resident_body("ar", consent=False), lang="ar")
    assert no_consent.status_code == 422
    assert no_consent.json()["errors"] == [
        {"question": "_consent", "code": "consent", "message": t("survey.error.consent")}
    ]
    wrong = send(phone, resident_body("ar", answers=resident_answers(welcome="9")), lang="ar")
    assert wrong.json()["errors"][0]["message"] == t("survey.error.unknown_option")
    assert wrong.json()["message"] == t("survey.error.summary", count=1)
    store = runtime.get_store()

    def full(*args, **kwargs):
        raise StorageFault("disk_full", "test", "no space left on device")

    monkeypatch.setattr(store, "submit", full)
    fault = send(phone, resident_body("ar"), lang="ar")
    assert fault.status_code == 503
    assert fault.json()["message"] == t("survey.unavailable.disk_full")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(store, "submit", broken)
    failed = send(phone, resident_body("uk"), lang="uk")
    assert failed.status_code == 500
    assert failed.json()["message"] == translator("uk")("survey.send_failed")
    assert "boom" not in failed.text and "Traceback" not in failed.text


def test_a_closed_session_or_survey_refuses_but_an_answer_stored_before_is_acknowledged(phone):
    store = runtime.get_store()
    live = store.create_session("resident", "Room", actor="t")
    open_form(phone)
    body = resident_body(session=live.join_code)
    assert send(phone, body).json()["status"] == "stored"
    store.close_session(live.id, actor="t")
    late = send(phone, resident_body(session=live.join_code))
    assert late.status_code == 409
    assert late.json()["message"] == translator(FR)("survey.session_closed")
    resent = send(phone, body)  # the first reply was lost; the session closed meanwhile
    assert resent.status_code == 200 and resent.json()["status"] == "duplicate"
    store.set_survey_open("resident", False, actor="t")
    closed = send(phone, resident_body())
    assert closed.status_code == 409
    assert closed.json()["message"] == translator(FR)("survey.closed")


def test_a_session_with_one_answer_per_device_refuses_a_second_from_the_same_browser(phone):
    """Issue 23: the optional room rule. A resend of the stored answer is still acknowledged, a
    second answer from the same cookie is refused in the respondent's language, another browser
    answers, and a session without the rule (or the survey outside any session) is unaffected."""
    store = runtime.get_store()
    room = store.create_session("resident", "Salle", actor="t", one_answer_per_device=True)
    assert room.one_answer_per_device and store.get_session(room.id).one_answer_per_device
    other = store.create_session("resident", "Autre salle", actor="t")
    assert not other.one_answer_per_device
    page = open_form(phone, f"/answer/resident?lang=fr&session={room.join_code}")
    assert '"one_answer_per_device": true' in page and "icf-new-respondent" not in page
    first = resident_body(session=room.join_code)
    assert send(phone, first).json()["status"] == "stored"
    assert send(phone, first).json()["status"] == "duplicate"  # its reply was lost: sent again
    second = send(phone, resident_body(session=room.join_code))
    assert second.status_code == 409
    assert second.json() == {
        "status": "device_answered",
        "message": translator(FR)("survey.form.session_device_answered"),
    }
    in_arabic = send(phone, resident_body("ar", session=room.join_code), lang="ar")
    assert in_arabic.json()["message"] == translator("ar")("survey.form.session_device_answered")
    neighbour = Client(app(), keep_cookies=True)
    open_form(neighbour, f"/answer/resident?lang=fr&session={room.join_code}")
    assert send(neighbour, resident_body(session=room.join_code)).json()["status"] == "stored"
    assert store.count("resident", room.id) == 2
    assert send(phone, resident_body(session=other.join_code)).json()["status"] == "stored"
    assert send(phone, resident_body(session=other.join_code)).json()["status"] == "stored"
    assert '"one_answer_per_device": false' in open_form(
        phone, f"/answer/resident?lang=fr&session={other.join_code}"
    )


def test_only_the_pages_own_requests_are_taken(phone):
    open_form(phone)
    body = resident_body()
    assert send(phone, body, **{"x-form-token": ""}).json()["status"] == "expired"
    assert send(phone, body, **{"x-form-token": "0" * 32}).status_code == 403
    other_site = send(phone, body, origin="https://evil.example")
    assert other_site.status_code == 403
    same_site = send(phone, body, origin="http://127.0.0.1:8501", host="127.0.0.1:8501")
    assert same_site.status_code == 200
    assert send(phone, body, **{"content-type": "text/plain"}).status_code == 415
    huge = resident_body(answers={"idea": "x" * 70_000})
    too_large = send(phone, huge)
    assert too_large.status_code == 413
    assert too_large.json()["message"] == translator(FR)("survey.form.too_large")
    token = phone.cookies[respondent.FORM_COOKIE_NAME]
    garbled = phone.post(
        "/api/answers?lang=fr",
        b"{not json",
        {"content-type": "application/json", "x-form-token": token},
    )
    assert garbled.status_code == 400
    assert runtime.get_store().count("resident") == 1  # only the same-site request


def test_a_page_whose_cookie_went_asks_for_its_token_again(isolated_database):
    phone = Client(app(), keep_cookies=True)
    reply = phone.get("/api/form-token")
    assert reply.headers["cache-control"] == "no-store"
    token = phone.cookies[respondent.COOKIE_NAME]
    assert reply.json() == {"token": respondent.form_token(token)}
    assert send(phone, resident_body()).status_code == 200


def test_a_device_then_an_address_is_slowed_down_with_a_message(phone, monkeypatch):
    limits = Limits(RateLimiter(Limit(2, 0.01)), RateLimiter(Limit(3, 0.01)))
    monkeypatch.setattr(runtime.current(), "answer_limits", limits)
    open_form(phone)
    assert [send(phone, resident_body()).status_code for _ in range(3)] == [200, 200, 429]
    slowed = send(phone, resident_body(), lang="el")
    assert slowed.headers["retry-after"].isdigit() and int(slowed.headers["retry-after"]) >= 1
    assert slowed.json()["message"] == translator("el")("survey.form.rate_limited")
    neighbour = Client(app(), keep_cookies=True)  # another phone on the same Wi-Fi
    open_form(neighbour)
    assert send(neighbour, resident_body()).status_code == 429  # the address bucket is spent
    elsewhere = Client(app(), keep_cookies=True, client="192.0.2.7")
    open_form(elsewhere)
    assert send(elsewhere, resident_body()).status_code == 200


# -- the ideas on the thank-you ------------------------------------------------------------------


def academy_body(word: str, lang: str = FR) -> dict:
    readiness = {item.id: "4" for item in ACADEMY.question("readiness").items}
    answers = {"first_recommendation": "participation", "readiness": readiness, "one_word": word}
    return {"survey": "academy", "lang": lang, "submission": secret(), "answers": answers,
            "consent": True}  # fmt: skip


def ideas(phone: Client, body: dict, idea: int | None = None, **extra: object):
    token = phone.cookies[respondent.FORM_COOKIE_NAME]
    headers = {"content-type": "application/json", "x-form-token": token}
    keep = {k: body[k] for k in ("survey", "lang", "submission")}
    if idea is None:
        return phone.post("/api/ideas?lang=fr", keep, headers)
    return phone.post("/api/ideas/support?lang=fr", keep | {"idea": idea} | extra, headers)


def test_after_sending_a_respondent_supports_up_to_three_ideas_once_each(phone):
    open_form(phone, "/answer/academy?lang=fr")
    words = ["Solidarité", "Écoute", "Respect", "Partage", "<i>Égalité</i>"]
    for word in words:
        assert send(phone, academy_body(word)).status_code == 200
    store = runtime.get_store()
    ids = [i.id for i in store.ideas("academy")]
    store.set_ideas_status(ids, "approved", actor="mod")
    me = academy_body("Confiance")
    assert ideas(phone, me).status_code == 403  # not sent yet: nothing to support from
    acknowledged = send(phone, me)
    assert acknowledged.status_code == 200
    listing = ideas(phone, me).json()
    assert acknowledged.json()["ideas"] == listing  # the thank-you needs no second request
    assert listing["intro"].startswith("Vous pouvez soutenir jusqu'à 3 idées")
    assert listing["left_text"] == translator(FR)("survey.ideas.left", count=3)
    assert {i["text"] for i in listing["ideas"]} == set(words)  # "Confiance" awaits moderation
    assert not any(i["supported"] or i["own"] for i in listing["ideas"])
    for idea_id in ids[:3]:
        supported = ideas(phone, me, idea_id).json()
        assert supported["result"] == "supported"
    fourth = ideas(phone, me, ids[3]).json()
    assert fourth["result"] == "limit_reached"
    assert fourth["message"] == translator(FR)("survey.ideas.limit")
    again = ideas(phone, me, ids[0]).json()
    assert again["result"] == "already"
    supports = {i.id: i.supports for i in store.ideas("academy")}
    assert [supports[i] for i in ids] == [1, 1, 1, 0, 0]
    listed = ideas(phone, me).json()["ideas"]
    assert [i["id"] for i in listed if i["supported"]] == sorted(ids[:3], reverse=True)


def test_no_approved_idea_yet_says_so(phone):
    open_form(phone, "/answer/academy?lang=uk")
    body = academy_body("Pending", lang="uk")
    acknowledged = send(phone, body, lang="uk")
    assert acknowledged.status_code == 200
    assert acknowledged.json()["ideas"]["ideas"] == []
    listing = ideas(phone, body).json()
    assert listing["ideas"] == []
    assert listing["none"] == translator("uk")("survey.ideas.none")


def test_the_answers_are_acknowledged_even_when_the_ideas_cannot_be_listed(phone, monkeypatch):
    from inclucities.form import submission

    def broken(*args, **kwargs):
        raise RuntimeError("ideas table unreadable")

    monkeypatch.setattr(submission, "supportable", broken)
    open_form(phone, "/answer/academy?lang=fr")
    body = academy_body("Entraide")
    reply = send(phone, body)
    assert reply.status_code == 200
    assert reply.json()["status"] == "stored"
    assert "ideas" not in reply.json()  # the phone asks /api/ideas itself
    assert runtime.get_store().has_submission(
        submission.Request(ACADEMY, translator(FR), None, body["submission"]).submission_id
    )


def test_supporting_is_slowed_per_device_with_a_message_in_the_language(phone, monkeypatch):
    """Issue 23: supports have their own budget per device and per address, on top of the
    form's, refused with a message in the respondent's language."""
    monkeypatch.setattr(runtime.current().support_limits, "device", RateLimiter(Limit(2, 0.01)))
    open_form(phone, "/answer/academy?lang=fr")
    me = academy_body("Confiance")
    assert send(phone, me).status_code == 200
    store = runtime.get_store()
    ids = [i.id for i in store.ideas("academy")]
    store.set_ideas_status(ids, "approved", actor="mod")
    assert [ideas(phone, me, ids[0]).status_code for _ in range(3)] == [200, 200, 429]
    slowed = ideas(phone, me, ids[0])
    assert slowed.headers["retry-after"].isdigit()
    assert slowed.json()["message"] == translator(FR)("limits.too_fast")
    assert ideas(phone, me).status_code == 200  # listing is not a support: not slowed


def test_a_fresh_cookie_without_its_answer_supports_nothing(phone):
    """Issue 23 (support stuffing): a new cookie and a new secret have no stored answer."""
    open_form(phone, "/answer/academy?lang=fr")
    assert send(phone, academy_body("Solidarité")).status_code == 200
    store = runtime.get_store()
    idea_id = store.ideas("academy")[0].id
    store.set_idea_status(idea_id, "approved", actor="mod")
    for _ in range(5):
        stranger = Client(app(), keep_cookies=True, client="192.0.2.9")
        open_form(stranger, "/answer/academy?lang=fr")
        assert ideas(stranger, academy_body("x"), idea_id).status_code == 403
    assert store.ideas("academy")[0].supports == 0


# -- issue 24: one's own idea, taking a support back, withdrawal -------------------------------


def _approved_academy(phone: Client, words: list[str]) -> list[int]:
    """Other respondents' approved ideas (one word each), newest first as the phone lists them."""
    for word in words:
        assert send(phone, academy_body(word)).status_code == 200
    store = runtime.get_store()
    ids = [i.id for i in store.ideas("academy")]
    store.set_ideas_status(ids, "approved", actor="mod")
    return sorted(ids, reverse=True)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_respondents_own_idea_is_marked_and_cannot_be_supported(phone, lang):
    t = translator(lang)
    open_form(phone, f"/answer/academy?lang={lang}")
    me = academy_body("Confiance", lang=lang)
    assert send(phone, me, lang=lang).status_code == 200
    _approved_academy(phone, ["Solidarité"])
    store = runtime.get_store()
    by_text = {i.text: i.id for i in store.ideas("academy")}
    mine, theirs = by_text["Confiance"], by_text["Solidarité"]
    listing = ideas(phone, me).json()
    assert listing["own"] == t("survey.ideas.own")
    marked = {i["id"]: (i["own"], i["supported"]) for i in listing["ideas"]}
    assert marked == {mine: (True, False), theirs: (False, False)}
    refused = ideas(phone, me, mine)
    assert refused.status_code == 200
    assert refused.json()["result"] == "own_idea"
    assert refused.json()["message"] == t("survey.ideas.own_refused")
    assert refused.json()["left"] == 3  # no support used
    assert {i.id: i.supports for i in store.ideas("academy")}[mine] == 0
    # the respondent may still support the others
    assert ideas(phone, me, theirs).json()["result"] == "supported"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_support_is_taken_back_once_and_frees_its_place(phone, lang):
    t = translator(lang)
    open_form(phone, f"/answer/academy?lang={lang}")
    ids = _approved_academy(phone, ["Solidarité", "Écoute", "Respect", "Partage"])
    me = academy_body("Confiance", lang=lang)
    assert send(phone, me, lang=lang).status_code == 200
    store = runtime.get_store()

    def supports() -> list[int]:
        counted = {i.id: i.supports for i in store.ideas("academy")}
        return [counted[i] for i in ids]

    for idea_id in ids[:3]:
        reply = ideas(phone, me, idea_id).json()
        assert reply["result"] == "supported"
        assert reply["message"] == t("survey.ideas.supported")
    assert ideas(phone, me, ids[3]).json()["result"] == "limit_reached"
    back = ideas(phone, me, ids[1], take_back=True)
    assert back.status_code == 200
    body = back.json()
    assert body["result"] == "taken_back"
    assert body["message"] == t("survey.ideas.taken_back")
    assert body["left"] == 1 and body["left_text"] == t("survey.ideas.left", count=1)
    assert body["take_back"] == t("survey.ideas.take_back")
    assert [i["supported"] for i in body["ideas"] if i["id"] in ids] == [True, False, True, False]
    assert supports() == [1, 0, 1, 0]
    again = ideas(phone, me, ids[1], take_back=True).json()  # a double tap
    assert again["result"] == "not_supported" and again["message"] == ""
    assert supports() == [1, 0, 1, 0]  # never negative
    assert ideas(phone, me, ids[3]).json()["result"] == "supported"  # the freed place
    assert supports() == [1, 0, 1, 1]
    wrong = ideas(phone, me, ids[0], take_back="yes")
    assert wrong.status_code == 400
    assert supports() == [1, 0, 1, 1]


def test_taking_back_passes_the_same_checks_as_supporting(phone, monkeypatch):
    """The flag rides on the support route: same origin, token, stored answer and limits."""
    monkeypatch.setattr(runtime.current().support_limits, "device", RateLimiter(Limit(2, 0.01)))
    open_form(phone, "/answer/academy?lang=fr")
    ids = _approved_academy(phone, ["Solidarité"])
    me = academy_body("Confiance")
    assert send(phone, me).status_code == 200
    assert ideas(phone, me, ids[0]).json()["result"] == "supported"
    token = phone.cookies[respondent.FORM_COOKIE_NAME]
    keep = {k: me[k] for k in ("survey", "lang", "submission")}
    body = keep | {"idea": ids[0], "take_back": True}
    forged = phone.post(
        "/api/ideas/support?lang=fr",
        body,
        {"content-type": "application/json", "x-form-token": "forged"},
    )
    assert forged.status_code == 403
    elsewhere = phone.post(
        "/api/ideas/support?lang=fr",
        body,
        {"content-type": "application/json", "x-form-token": token, "origin": "https://evil.test"},
    )
    assert elsewhere.status_code == 403
    stranger = ideas(phone, academy_body("x"), ids[0], take_back=True)  # never sent
    assert stranger.status_code == 403
    store = runtime.get_store()
    assert store.ideas("academy")[0].supports == 1
    assert ideas(phone, me, ids[0], take_back=True).status_code == 429  # the support budget
    assert store.ideas("academy")[0].supports == 1


def test_withdrawing_by_receipt_code_removes_the_supports_from_every_list(phone):
    open_form(phone, "/answer/academy?lang=fr")
    ids = _approved_academy(phone, ["Solidarité", "Écoute"])
    me = academy_body("Confiance")
    receipt = send(phone, me).json()["receipt"]
    other = academy_body("Respect")
    assert send(phone, other).status_code == 200
    for idea_id in ids:
        assert ideas(phone, me, idea_id).json()["result"] == "supported"
    store = runtime.get_store()
    seen = {i["id"]: i["supports"] for i in ideas(phone, other).json()["ideas"]}
    assert seen == {i: translator(FR)("results.supports", count=1) for i in ids}
    token = store.data_version("academy")
    assert store.withdraw(receipt_hash(receipt)) is True
    assert store.data_version("academy") != token  # the wall and results follow
    seen = {i["id"]: i["supports"] for i in ideas(phone, other).json()["ideas"]}
    assert seen == {i: translator(FR)("results.supports", count=0) for i in ids}
    assert [i.supports for i in store.top_ideas("academy")] == [0, 0]
    assert ideas(phone, me).status_code == 403  # the answer is gone: nothing to support from
