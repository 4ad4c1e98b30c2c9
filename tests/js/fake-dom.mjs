// A minimal stand-in for the browser's document, enough for the scripts' el() helpers.

export class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.textContent = "";
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  hasAttribute(name) {
    return this.attributes.has(name);
  }
}

export function installDocument(cookie = "") {
  globalThis.document = {
    cookie,
    createElement: (tag) => new FakeElement(tag),
  };
  return globalThis.document;
}

export function removeDocument() {
  delete globalThis.document;
}
