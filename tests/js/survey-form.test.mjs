// Unit tests of the survey form's pure helpers (static/form/survey-form.js).
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";

import { installDocument, removeDocument } from "./fake-dom.mjs";
import { el, fill, newSecret, readCookie, storage, SurveyForm } from "../../static/form/survey-form.js";

afterEach(() => {
  removeDocument();
  delete globalThis.window;
});

describe("readCookie", () => {
  test("finds a cookie among others and decodes its value", () => {
    installDocument("theme=dark; inclucities_form=abc%3D%3D; lang=fr");
    assert.equal(readCookie("inclucities_form"), "abc==");
    assert.equal(readCookie("lang"), "fr");
  });

  test("keeps '=' inside a value", () => {
    installDocument("token=a=b=c");
    assert.equal(readCookie("token"), "a=b=c");
  });

  test("is empty for a missing cookie and never matches a prefix", () => {
    installDocument("inclucities_form_old=1");
    assert.equal(readCookie("inclucities_form"), "");
    installDocument("");
    assert.equal(readCookie("anything"), "");
  });
});

describe("fill", () => {
  test("puts each named value in its place", () => {
    assert.equal(fill("{count} of {total} answered", { count: 3, total: 10 }), "3 of 10 answered");
  });

  test("leaves an unknown placeholder as written", () => {
    assert.equal(fill("Hello {name}, {missing}", { name: "Ana" }), "Hello Ana, {missing}");
  });

  test("turns a missing template into an empty text", () => {
    assert.equal(fill(undefined, {}), "");
    assert.equal(fill(null, { a: 1 }), "");
  });

  test("inserts values literally (no $-patterns)", () => {
    assert.equal(fill("{item}", { item: "$& and $1" }), "$& and $1");
  });
});

describe("newSecret", () => {
  test("is 32 random bytes in URL-safe base64 without padding", () => {
    const secret = newSecret();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    const bytes = Buffer.from(secret, "base64url");
    assert.equal(bytes.length, 32);
  });

  test("differs each time", () => {
    const secrets = new Set(Array.from({ length: 50 }, () => newSecret()));
    assert.equal(secrets.size, 50);
  });
});

describe("storage", () => {
  test("is the local storage when it accepts a write", () => {
    const items = new Map();
    const localStorage = {
      setItem: (k, v) => items.set(k, v),
      removeItem: (k) => items.delete(k),
    };
    globalThis.window = { localStorage };
    assert.equal(storage(), localStorage);
    assert.equal(items.size, 0, "the probe is removed again");
  });

  test("is null when the browser refuses storage (private mode)", () => {
    globalThis.window = {
      localStorage: {
        setItem: () => {
          throw new Error("QuotaExceededError");
        },
        removeItem: () => {},
      },
    };
    assert.equal(storage(), null);
  });
});

describe("el", () => {
  test("sets attributes and text; true is a bare attribute; null, undefined and false are left out", () => {
    installDocument();
    const node = el("button", { class: "icf-listen", hidden: true, disabled: false, title: null, "data-n": 2 }, 5);
    assert.equal(node.tagName, "BUTTON");
    assert.equal(node.getAttribute("class"), "icf-listen");
    assert.equal(node.getAttribute("hidden"), "");
    assert.equal(node.hasAttribute("disabled"), false);
    assert.equal(node.hasAttribute("title"), false);
    assert.equal(node.getAttribute("data-n"), "2");
    assert.equal(node.textContent, "5");
  });

  test("leaves the text alone without one", () => {
    installDocument();
    assert.equal(el("span").textContent, "");
  });
});

describe("SurveyForm.empty", () => {
  const empty = (value) => SurveyForm.prototype.empty.call(null, value);

  test("is true for no answer, blank text, no choice and an untouched grid", () => {
    for (const value of [null, undefined, "", "   \n", [], {}]) assert.equal(empty(value), true, JSON.stringify(value));
  });

  test("is false for any given answer", () => {
    for (const value of ["a", ["yes"], { line1: "agree" }]) assert.equal(empty(value), false, JSON.stringify(value));
  });
});

describe("SurveyForm.visible", () => {
  const visible = (showIf, answers) =>
    SurveyForm.prototype.visible.call({ state: { answers } }, { dataset: showIf ? { showIf: JSON.stringify(showIf) } : {} });
  const rule = { question: "role", equals: ["resident", "visitor"] };

  test("a question without a condition is always shown", () => {
    assert.equal(visible(null, {}), true);
  });

  test("a single answer shows the question only when it is one of the listed", () => {
    assert.equal(visible(rule, { role: "visitor" }), true);
    assert.equal(visible(rule, { role: "official" }), false);
  });

  test("a multiple choice shows it when any choice is listed", () => {
    assert.equal(visible(rule, { role: ["official", "resident"] }), true);
    assert.equal(visible(rule, { role: ["official"] }), false);
  });

  test("an unanswered question hides it", () => {
    assert.equal(visible(rule, {}), false);
  });
});

describe("SurveyForm.kioskSettings", () => {
  const settings = (search, onPage = true) => {
    globalThis.window = { location: { search } };
    return SurveyForm.prototype.kioskSettings.call({ onPage, config: {} });
  };

  test("is off without ?kiosk=1 and in the Streamlit host", () => {
    assert.equal(settings(""), null);
    assert.equal(settings("?kiosk=0"), null);
    assert.equal(settings("?kiosk=1", false), null);
  });

  test("uses the usual pause unless one is asked", () => {
    assert.deepEqual(settings("?kiosk=1"), { seconds: 30, explicit: false, left: 30, timer: null, voice: null });
  });

  test("keeps an asked pause within the least and the most", () => {
    assert.equal(settings("?kiosk=1&kiosk_seconds=45").seconds, 45);
    assert.equal(settings("?kiosk=1&kiosk_seconds=45").explicit, true);
    assert.equal(settings("?kiosk=1&kiosk_seconds=1").seconds, 3);
    assert.equal(settings("?kiosk=1&kiosk_seconds=9999").seconds, 120);
    assert.equal(settings("?kiosk=1&kiosk_seconds=soon").seconds, 30);
  });
});
