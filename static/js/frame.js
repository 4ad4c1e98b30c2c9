// The frame around every page (components/frame.py mounts it once per run): the document's
// language and direction for screen readers and right-to-left layout, and the language
// picker marked up: its button says what it is ("Language: Français"), and each language in
// its menu is marked with its own language and direction, so a screen reader says it in that
// language's voice; the current one is aria-current. Streamlit draws the menu after this runs,
// and again on every run, so an observer marks the links as they appear.

const shown = { lang: "", label: "", picker: "", names: {} };
let observer = null;

function markPicker(doc = document) {
  const button = shown.picker && doc.querySelector(`.st-key-${shown.picker} button`);
  if (button && shown.label && button.getAttribute("aria-label") !== shown.label) {
    button.setAttribute("aria-label", shown.label);
  }
  for (const link of doc.querySelectorAll("[data-testid=stPopoverBody] a")) {
    const named = shown.names[(link.querySelector("p") || link).textContent.trim()];
    if (!named) continue;
    const [code, dir] = named;
    if (link.lang !== code) {
      link.lang = code;
      link.dir = dir;
      link.hreflang = code;
    }
    const current = code === shown.lang;
    if (current !== (link.getAttribute("aria-current") === "true")) {
      if (current) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
  }
}

function applyDocument(doc, data) {
  const root = doc.documentElement;
  root.lang = data.lang;
  root.dir = data.dir;
  root.dataset.uiDir = data.dir;
}

export default function (component) {
  const { data } = component;
  applyDocument(document, data);
  Object.assign(shown, { lang: data.lang, label: data.label || "", picker: data.picker || "" });
  shown.names = data.names || {};
  if (!observer) {
    observer = new MutationObserver(() => markPicker());
    observer.observe(document.body, { childList: true, subtree: true });
  }
  markPicker();
}

// For the unit tests (tests/js, `node --test`); the page uses only the default export.
export { applyDocument, markPicker, shown };
