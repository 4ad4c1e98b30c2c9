"""The form's markup and texts (issue 21), without a browser: every question type as native,
labelled controls, one listen button per question, every text in the respondent's language."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest

from inclucities.form.render import render_form, render_join, render_page, script_config
from inclucities.form.texts import markup_texts
from inclucities.i18n import LANGUAGES, translator
from inclucities.speech import clip_key, question_reading
from inclucities.store import LiveSession
from scripts.support.survey_helpers import ACADEMY, RESIDENT, SURVEYS


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of a piece of markup."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())

    def find(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(k.rstrip("_")) == v for k, v in wanted.items())
        ]


def form(lang: str, survey=RESIDENT, **kwargs) -> str:
    return render_form(survey, lang, min_cell_size=5, **kwargs)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_question_is_drawn_with_native_controls_in_its_language(lang):
    t = translator(lang)
    markup = form(lang)
    tags = Tags(markup)
    for question in RESIDENT.questions:
        assert t.text(question.text) in markup.replace("&#39;", "'").replace("&#34;", '"') or (
            t.text(question.text) in " ".join(tags.text)
        )
        if question.items:
            for item in question.items:
                radios = tags.find("input", type="radio", name=f"{question.id}.{item.id}")
                assert [r["value"] for r in radios] == question.option_ids
        elif question.type == "multi":
            boxes = tags.find("input", type="checkbox", name=question.id)
            assert [b["value"] for b in boxes] == question.option_ids
        elif question.type == "priorities":
            for option in question.options:
                select = tags.find("select", name=f"{question.id}.{option.id}")
                assert len(select) == 1
                assert tags.find("label", for_=select[0]["id"])  # named by its label
        elif question.type == "text":
            field = [a for tag, a in tags.tags if a.get("name") == question.id]
            assert len(field) == 1 and field[0]["maxlength"] == str(question.max_length)
            assert tags.find("label", for_=field[0]["id"])
        else:
            radios = tags.find("input", type="radio", name=question.id)
            assert [r["value"] for r in radios] == question.option_ids
    assert tags.find("input", type="checkbox", name="_consent")


def test_radios_and_boxes_sit_inside_their_label_so_the_whole_row_is_the_target():
    markup = form("fr")
    rows = re.findall(r'<label class="icf-choice[^"]*"><input type="(radio|checkbox)"', markup)
    inputs = re.findall(r'<input type="(?:radio|checkbox)"', markup)
    assert len(rows) == len(inputs)


def test_one_listen_button_per_question_reading_the_question_and_its_answers():
    t = translator("ar")
    tags = Tags(form("ar"))
    listen = tags.find("button", class_="icf-listen")
    assert len(listen) == len(RESIDENT.questions) + 2  # and the introduction and the consent
    clips = {b["data-clip"] for b in listen}
    for question in RESIDENT.questions:
        assert clip_key("ar", question_reading(question, t)) in clips
    assert clip_key("ar", RESIDENT.consent_text("ar", 5)) in clips


def test_i_dont_know_is_offered_by_its_words_beside_the_scale():
    t = translator("el")
    markup = form("el")
    welcome = RESIDENT.question("welcome")
    assert welcome is not None and welcome.no_answer is not None
    label = t.text(welcome.no_answer.label)
    assert re.search(
        r'<label class="icf-choice icf-off-scale"><input type="radio" name="welcome" value="dk">'
        r'<span class="icf-choice-text"><span class="icf-choice-label">' + re.escape(label),
        markup,
    )
    assert "survey.scale" not in markup


def test_a_conditional_question_carries_its_condition():
    tags = Tags(form("en"))
    block = tags.find("fieldset", id="icf-q-info_sources")[0]
    assert json.loads(block["data-show-if"]) == {"question": "information", "equals": ["4", "5"]}


def test_the_script_gets_every_plural_formatted_and_no_placeholder_left():
    for lang in LANGUAGES:
        t = translator(lang)
        config = script_config(RESIDENT, t, None, "")
        texts = config["texts"]
        flat = json.dumps(texts, ensure_ascii=False)
        assert "{count}" not in flat and "{number}" not in flat and "{total}" not in flat
        assert texts["error"]["too_many"]["3"] == t("survey.error.too_many", count=3)
        assert texts["limit_reached"]["3"] == t("survey.limit_reached", count=3)
        assert texts["step"]["2/5"] == t("survey.step", number=t.number(2), total=t.number(5))
        assert "{option}" in texts["place_taken"] and "{item}" in texts["error"]["item_missing"]
        assert config["urls"]["answers"] == f"api/answers?lang={lang}"


def test_every_text_of_the_markup_comes_in_the_respondents_language():
    english = markup_texts(translator("en"))
    for lang in LANGUAGES:
        if lang == "en":
            continue
        own = markup_texts(translator(lang))
        same = [key for key, text in own.items() if text == english[key] and key != "session"]
        assert not same, f"{lang}: {same} are still in English"


def test_a_session_name_shows_as_written_never_as_markup():
    live = LiveSession(
        id="s1",
        survey_id="academy",
        join_code="ACDEFG",
        name='<img src=x onerror="alert(1)"> https://evil.example',
        place="Malines",
        date=date(2026, 3, 12),
        opened_at=datetime(2026, 3, 12, 9, tzinfo=UTC),
        closed_at=None,
        created_by="t",
    )
    markup = form("fr", ACADEMY, session=live)
    assert "<img" not in markup and "&lt;img src=x" in markup
    assert 'href="https://evil' not in markup
    assert "12 mars 2026" in markup


def test_the_light_page_links_two_files_and_the_join_page_names_its_field():
    page = render_page(form("uk"), lang="uk", title="T", root="../", language_href="x?{lang}")
    assert page.count('href="../assets/') == 1 and page.count('src="../assets/') == 1
    assert page.count("hreflang=") == len(LANGUAGES)
    join = Tags(render_join("ar", root="", error="⚠", typed="AB2C"))
    field = join.find("input", name="code")[0]
    assert join.find("label", for_=field["id"])
    assert field["aria-invalid"] == "true" and field["value"] == "AB2C"


def test_every_shipped_survey_renders_in_every_language():
    for survey in SURVEYS.values():
        for lang in LANGUAGES:
            markup = form(lang, survey)
            assert f'data-survey="{survey.id}"' in markup
            assert markup.count('class="icf-step"') == markup.count("data-step=")
