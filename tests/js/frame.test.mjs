// Unit tests of the page frame's script (static/js/frame.js): the document's language and
// direction, and the language picker marked for screen readers.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";

import { applyDocument, markPicker, shown } from "../../static/js/frame.js";

class Node {
  constructor(text = "") {
    this.attributes = new Map();
    this.textContent = text;
    this.lang = "";
    this.dir = "";
    this.hreflang = "";
  }
  setAttribute(name, value) { this.attributes.set(name, String(value)); }
  getAttribute(name) { return this.attributes.has(name) ? this.attributes.get(name) : null; }
  removeAttribute(name) { this.attributes.delete(name); }
  querySelector() { return null; }
}

function page(names) {
  const button = new Node();
  const links = names.map((name) => new Node(name));
  const doc = {
    documentElement: { lang: "", dir: "", dataset: {} },
    querySelector: (selector) => (selector === ".st-key-frame_lang_picker button" ? button : null),
    querySelectorAll: (selector) => (selector === "[data-testid=stPopoverBody] a" ? links : []),
  };
  return { doc, button, links };
}

afterEach(() => Object.assign(shown, { lang: "", label: "", picker: "", names: {} }));

describe("applyDocument", () => {
  test("sets the page's language and direction, for the interface too", () => {
    const { doc } = page([]);
    applyDocument(doc, { lang: "ar", dir: "rtl" });
    assert.deepEqual(doc.documentElement, { lang: "ar", dir: "rtl", dataset: { uiDir: "rtl" } });
  });
});

describe("markPicker", () => {
  const names = { Français: ["fr", "ltr"], العربية: ["ar", "rtl"] };

  test("names the button and marks each language in its own voice, the current one current", () => {
    const { doc, button, links } = page(["Français", "العربية", "Something else"]);
    Object.assign(shown, { lang: "ar", label: "اللغة: العربية", picker: "frame_lang_picker", names });
    markPicker(doc);
    assert.equal(button.getAttribute("aria-label"), "اللغة: العربية");
    assert.deepEqual([links[0].lang, links[0].dir, links[0].hreflang], ["fr", "ltr", "fr"]);
    assert.deepEqual([links[1].lang, links[1].dir], ["ar", "rtl"]);
    assert.equal(links[1].getAttribute("aria-current"), "true");
    assert.equal(links[0].getAttribute("aria-current"), null);
    assert.equal(links[2].lang, "", "a link that is no language is left alone");
  });

  test("moves aria-current when the language changes", () => {
    const { doc, links } = page(["Français", "العربية"]);
    Object.assign(shown, { lang: "ar", picker: "frame_lang_picker", names });
    markPicker(doc);
    shown.lang = "fr";
    markPicker(doc);
    assert.equal(links[0].getAttribute("aria-current"), "true");
    assert.equal(links[1].getAttribute("aria-current"), null);
  });

  test("without a picker (the projector) touches no button", () => {
    const { doc, button } = page([]);
    Object.assign(shown, { lang: "fr", label: "", picker: "", names });
    markPicker(doc);
    assert.equal(button.getAttribute("aria-label"), null);
  });
});
