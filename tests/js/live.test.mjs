// Unit tests of the live screen's pure helpers (static/js/live.js).
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";

import { installDocument, removeDocument } from "./fake-dom.mjs";
import { clock, el, fill } from "../../static/js/live.js";

afterEach(() => removeDocument());

describe("fill", () => {
  test("puts the time in its place", () => {
    assert.equal(fill("Updated at {time}", "14:05:09"), "Updated at 14:05:09");
  });

  test("turns a missing template into an empty text", () => {
    assert.equal(fill(undefined, "14:05:09"), "");
    assert.equal(fill("", "14:05:09"), "");
  });
});

describe("clock", () => {
  const date = new Date(2026, 4, 9, 14, 5, 9); // local time

  test("shows hours, minutes and seconds in the page's language", () => {
    const english = clock(date, "en-GB");
    assert.equal(english, "14:05:09");
    assert.match(clock(date, "fr"), /14.05.09/);
  });

  test("falls back to the browser's own format for a language code it cannot read", () => {
    assert.equal(clock(date, "not a language!"), date.toLocaleTimeString());
  });
});

describe("el", () => {
  test("sets attributes and text; true is a bare attribute; null, undefined and false are left out", () => {
    installDocument();
    const node = el("p", { class: "live-pager", hidden: true, open: false, title: undefined }, "1 / 3");
    assert.equal(node.tagName, "P");
    assert.equal(node.getAttribute("class"), "live-pager");
    assert.equal(node.getAttribute("hidden"), "");
    assert.equal(node.hasAttribute("open"), false);
    assert.equal(node.hasAttribute("title"), false);
    assert.equal(node.textContent, "1 / 3");
  });
});
