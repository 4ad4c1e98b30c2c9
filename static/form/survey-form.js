// The survey form, drawn and checked in the phone: one script for both hosts.
//
// - The light page (/j/<code>, /answer/<survey>) loads it as a module; it mounts itself on the
//   form the server rendered (inclucities/form/templates/form.html.j2).
// - The Streamlit survey page mounts it as a st.components.v2 component (components/survey_form.py)
//   with the same markup in `data.html`.
//
// The server is asked only to take the answers (POST api/answers, JSON). Until they are
// acknowledged they stay in this device's storage, with the random secret that makes every
// resend the same submission: a reload, a language switch, lost Wi-Fi or a server restart loses
// nothing and stores nothing twice. Checks here only mirror the server's; its word is final.
// Every text comes from the server in the respondent's language and is set with textContent.

const STORAGE_VERSION = 1;
const SEND_TIMEOUT_MS = 20000;
const RETRY_MS = [2000, 5000, 10000, 20000, 30000, 60000];
const FORM_COOKIE = "inclucities_form";
const KEY_PREFIX = "icf:"; // every draft and receipt this script keeps on the device
const KIOSK_SECONDS = [3, 30, 120]; // a kiosk's pause before the next person: least, usual, most
const KIOSK_ANNOUNCE_AT = 10; // the countdown is announced when it starts, then at 10 s only

function readCookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

function newSecret() {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fill(template, values) {
  return String(template || "").replace(/\{(\w+)\}/g, (whole, name) =>
    name in values ? String(values[name]) : whole,
  );
}

function storage() {
  try {
    const probe = "icf:probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    return null; // private mode or storage refused: answers live as long as the page
  }
}

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(key, value === true ? "" : String(value));
  }
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

class Speaker {
  // One voice at a time: the phone's own (Web Speech) when it has one for the language, else
  // the server's clip of the same text (espeak-ng).
  constructor(form) {
    this.form = form;
    this.audio = null;
    this.button = null;
  }

  hasVoice(lang) {
    const synth = window.speechSynthesis;
    if (!synth || typeof SpeechSynthesisUtterance === "undefined") return false;
    return synth.getVoices().some((v) => (v.lang || "").toLowerCase().startsWith(lang));
  }

  stop() {
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    if (this.audio) {
      this.audio.pause();
      this.audio = null;
    }
    if (this.button) {
      this.button.classList.remove("icf-playing");
      this.button.setAttribute("aria-label", this.button.dataset.label || "");
      this.button.setAttribute("aria-pressed", "false");
      this.button = null;
    }
  }

  note(button, text) {
    let note = button.parentElement.querySelector(":scope > .icf-listen-note");
    if (!note) {
      note = el("span", { class: "icf-listen-note", role: "status" });
      button.after(note);
    }
    note.textContent = text;
  }

  play(button, text) {
    const wasPlaying = this.button === button;
    this.stop();
    if (wasPlaying) return;
    const { lang, texts, urls } = this.form.config;
    button.dataset.label = button.dataset.label || button.getAttribute("aria-label") || "";
    button.classList.add("icf-playing");
    button.setAttribute("aria-pressed", "true");
    button.setAttribute("aria-label", texts.listen_playing);
    this.button = button;
    const done = () => {
      if (this.button === button) this.stop();
    };
    if (this.hasVoice(lang)) {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      utterance.rate = 0.9;
      utterance.onend = done;
      utterance.onerror = done;
      window.speechSynthesis.speak(utterance);
      return;
    }
    const audio = new Audio(`${urls.speech}${button.dataset.clip}.wav`);
    this.audio = audio;
    audio.onended = done;
    audio.onerror = () => {
      done();
      this.note(button, texts.listen_unavailable);
    };
    audio.play().catch(() => {
      done();
      this.note(button, texts.listen_unavailable);
    });
  }
}

class SurveyForm {
  constructor(root, host = {}) {
    this.root = root;
    this.host = host;
    this.config = JSON.parse(root.querySelector(".icf-config").textContent);
    this.texts = this.config.texts;
    this.form = root.querySelector("form.icf-form");
    this.steps = [...root.querySelectorAll(".icf-step")];
    this.questions = [...root.querySelectorAll(".icf-q")];
    this.consent = root.querySelector(".icf-consent");
    this.consentBox = root.querySelector('input[name="_consent"]');
    this.back = root.querySelector(".icf-back");
    this.next = root.querySelector(".icf-next");
    this.send = root.querySelector(".icf-send");
    this.status = root.querySelector(".icf-status");
    this.problem = root.querySelector(".icf-problem");
    this.restoredNote = root.querySelector(".icf-restored");
    this.thanks = root.querySelector(".icf-thanks");
    this.deviceAnswered = root.querySelector(".icf-device-answered");
    this.speaker = new Speaker(this);
    this.storage = storage();
    this.key = `${KEY_PREFIX}${this.config.survey}:${this.config.session || "-"}`;
    this.onPage = !("html" in host); // the light page (not the Streamlit host): it may navigate
    this.kiosk = this.kioskSettings();
    this.sending = false;
    this.leaving = false; // on the way to a new respondent's page
    this.retries = 0;
    this.retryTimer = null;
    this.flagged = new Set(); // questions whose errors are shown (after Next or Send)
    this.handlers = [];
    this.state = this.load();
    this.bind();
    this.keepKiosk();
    this.restore();
    root.dataset.ready = "1"; // for tests: the script has mounted the form
  }

  // -- storage ----------------------------------------------------------------------------------

  fresh() {
    return { v: STORAGE_VERSION, secret: newSecret(), answers: {}, consent: false, step: 0 };
  }

  load() {
    if (!this.storage) return this.fresh();
    try {
      const saved = JSON.parse(this.storage.getItem(this.key) || "null");
      if (saved && saved.v === STORAGE_VERSION && typeof saved.secret === "string") return saved;
    } catch {
      /* a damaged entry: start again */
    }
    return this.fresh();
  }

  save() {
    if (!this.storage) return;
    try {
      this.storage.setItem(this.key, JSON.stringify(this.state));
    } catch {
      /* storage full: the answers stay on the page */
    }
  }

  // -- reading and writing the controls ---------------------------------------------------------

  controls(q) {
    return [...q.querySelectorAll("input, select, textarea")];
  }

  read(q) {
    const id = q.dataset.q;
    const kind = q.dataset.kind;
    if (kind === "grid") {
      const value = {};
      for (const line of q.querySelectorAll(".icf-line")) {
        const picked = line.querySelector("input:checked");
        if (picked) value[line.dataset.line] = picked.value;
      }
      return value;
    }
    if (kind === "multi") {
      return [...q.querySelectorAll("input:checked")].map((input) => input.value);
    }
    if (kind === "priorities") {
      const placed = [];
      for (const select of q.querySelectorAll("select")) {
        if (select.value) placed.push([Number(select.value), select.dataset.option]);
      }
      placed.sort((a, b) => a[0] - b[0]);
      return placed.map(([, option]) => option);
    }
    if (kind === "text") return q.querySelector("input, textarea").value;
    const picked = q.querySelector(`input[name="${CSS.escape(id)}"]:checked`);
    return picked ? picked.value : null;
  }

  write(q, value) {
    const kind = q.dataset.kind;
    if (value === undefined || value === null) return;
    if (kind === "grid") {
      for (const line of q.querySelectorAll(".icf-line")) {
        const wanted = value[line.dataset.line];
        for (const input of line.querySelectorAll("input")) input.checked = input.value === wanted;
      }
    } else if (kind === "multi") {
      for (const input of q.querySelectorAll("input")) input.checked = value.includes(input.value);
    } else if (kind === "priorities") {
      for (const select of q.querySelectorAll("select")) {
        const place = value.indexOf(select.dataset.option);
        select.value = place >= 0 ? String(place + 1) : "";
      }
    } else if (kind === "text") {
      q.querySelector("input, textarea").value = String(value);
    } else {
      for (const input of q.querySelectorAll("input")) input.checked = input.value === value;
    }
  }

  empty(value) {
    if (value === null || value === undefined) return true;
    if (typeof value === "string") return !value.trim();
    if (Array.isArray(value)) return value.length === 0;
    return Object.keys(value).length === 0;
  }

  // -- conditions and steps ---------------------------------------------------------------------

  visible(q) {
    const raw = q.dataset.showIf;
    if (!raw) return true;
    const rule = JSON.parse(raw);
    const given = this.state.answers[rule.question];
    if (typeof given === "string") return rule.equals.includes(given);
    if (Array.isArray(given)) return given.some((v) => rule.equals.includes(v));
    return false;
  }

  applyConditions() {
    for (const q of this.questions) {
      const shown = this.visible(q);
      q.hidden = !shown;
      for (const control of this.controls(q)) control.disabled = !shown || control.dataset.blocked === "1";
    }
  }

  activeSteps() {
    const active = this.steps
      .map((step, index) => [step, index])
      .filter(([step]) => [...step.querySelectorAll(".icf-q")].some((q) => this.visible(q)))
      .map(([, index]) => index);
    return active.length ? active : [0];
  }

  showStep(index, focus) {
    const active = this.activeSteps();
    if (!active.includes(index)) index = active.find((i) => i > index) ?? active[active.length - 1];
    this.state.step = index;
    const position = active.indexOf(index);
    const last = position === active.length - 1;
    this.steps.forEach((step, i) => {
      step.hidden = i !== index;
    });
    const heading = this.steps[index].querySelector(".icf-step-title");
    const label = this.texts.step[`${position + 1}/${active.length}`] || "";
    heading.textContent = label;
    heading.hidden = active.length < 2;
    this.consent.hidden = !last;
    this.back.hidden = position === 0;
    this.next.hidden = last;
    this.send.hidden = !last;
    if (focus) {
      const target = active.length < 2 ? this.steps[index].querySelector(".icf-q:not([hidden])") : heading;
      this.focusOn(target || heading);
    }
  }

  focusOn(node) {
    if (!node) return;
    if (!node.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(node.tagName)) {
      node.setAttribute("tabindex", "-1");
    }
    node.focus({ preventScroll: true });
    node.scrollIntoView({ block: "start", behavior: "instant" in document.documentElement.style ? "instant" : "auto" });
  }

  // -- checks (a mirror of inclucities/survey/validation.py) ------------------------------------

  problemsOf(q) {
    const value = this.state.answers[q.dataset.q];
    const kind = q.dataset.kind;
    const required = q.hasAttribute("data-required");
    const error = this.texts.error;
    if (this.empty(value)) return required ? [error.required] : [];
    if (kind === "grid" && required) {
      // name each line still to answer, as the respondent sees it
      const missing = [...q.querySelectorAll(".icf-line")].filter((line) => !(line.dataset.line in value));
      if (missing.length) {
        return missing.map((line) =>
          fill(error.item_missing, { item: line.querySelector(".icf-line-text").textContent }),
        );
      }
    }
    if (kind === "multi" || kind === "priorities") {
      const max = Number(q.dataset.max || 0);
      const exclusive = [...q.querySelectorAll("input[data-exclusive]")].map((i) => i.value);
      if (value.length > 1 && value.some((v) => exclusive.includes(v))) return [error.exclusive];
      if (max && value.length > max) return [error.too_many[String(max)]];
    }
    if (kind === "text") {
      const max = Number(q.dataset.maxLength || 0);
      if (max && value.trim().length > max) return [error.too_long[String(max)]];
    }
    return [];
  }

  showErrors(q, messages) {
    const box = q.querySelector(".icf-error");
    const invalid = messages.length > 0;
    box.hidden = !invalid;
    box.textContent = messages.join(" ");
    q.classList.toggle("icf-invalid", invalid);
    for (const control of this.controls(q)) {
      if (invalid) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    }
  }

  check(questions) {
    const failing = [];
    for (const q of questions) {
      if (!this.visible(q)) continue;
      const messages = this.problemsOf(q);
      this.showErrors(q, messages);
      if (messages.length) failing.push(q);
      this.flagged.add(q.dataset.q);
    }
    return failing;
  }

  checkConsent() {
    const box = this.consent.querySelector(".icf-error");
    const ok = this.consentBox.checked;
    box.hidden = ok;
    box.textContent = ok ? "" : this.texts.error.consent;
    if (ok) this.consentBox.removeAttribute("aria-invalid");
    else this.consentBox.setAttribute("aria-invalid", "true");
    return ok;
  }

  // -- what a change does -----------------------------------------------------------------------

  limitChoices(q) {
    const max = Number(q.dataset.max || 0);
    const boxes = [...q.querySelectorAll("input")];
    const chosen = boxes.filter((b) => b.checked);
    const exclusiveChosen = chosen.some((b) => b.hasAttribute("data-exclusive"));
    const full = max > 0 && chosen.length >= max;
    for (const box of boxes) {
      const excluded = chosen.some(
        (c) => c !== box && (c.hasAttribute("data-exclusive") || box.hasAttribute("data-exclusive")),
      );
      const blocked = !box.checked && (full || excluded || (exclusiveChosen && !box.checked));
      box.dataset.blocked = blocked ? "1" : "0";
      box.disabled = blocked || q.hidden;
      box.closest(".icf-choice").classList.toggle("icf-blocked", blocked);
    }
    const note = q.querySelector(".icf-limit");
    if (note) note.textContent = full ? this.texts.limit_reached[String(max)] || "" : "";
  }

  settlePlaces(q, changed) {
    const notice = q.querySelector(".icf-rank-notice");
    if (!changed || !changed.value) return;
    for (const other of q.querySelectorAll("select")) {
      if (other === changed || other.value !== changed.value) continue;
      other.value = "";
      const label = q.querySelector(`label[for="${CSS.escape(other.id)}"] .icf-choice-label`);
      notice.textContent = fill(this.texts.place_taken, { option: label ? label.textContent : "" });
    }
  }

  onChange(event) {
    const target = event.target;
    if (target.name === "_consent") {
      this.state.consent = target.checked;
      if (target.checked) this.checkConsent();
      this.save();
      return;
    }
    const q = target.closest(".icf-q");
    if (!q) return;
    if (q.dataset.kind === "priorities" && event.type === "change") this.settlePlaces(q, target);
    if (q.dataset.kind === "multi") this.limitChoices(q);
    this.state.answers[q.dataset.q] = this.read(q);
    this.save();
    if (this.flagged.has(q.dataset.q)) this.showErrors(q, this.problemsOf(q));
    const before = this.activeSteps().join();
    this.applyConditions();
    if (this.activeSteps().join() !== before) this.showStep(this.state.step, false);
  }

  // -- moving and sending -----------------------------------------------------------------------

  move(direction) {
    const active = this.activeSteps();
    const position = active.indexOf(this.state.step);
    if (direction > 0) {
      const here = [...this.steps[this.state.step].querySelectorAll(".icf-q")];
      const failing = this.check(here);
      if (failing.length) {
        this.focusOn(failing[0].querySelector(".icf-error"));
        return;
      }
    }
    const target = active[Math.min(Math.max(position + direction, 0), active.length - 1)];
    this.clearProblem();
    this.showStep(target, true);
    this.save();
  }

  payload() {
    const answers = {};
    for (const q of this.questions) {
      const value = this.state.answers[q.dataset.q];
      if (this.visible(q) && !this.empty(value)) answers[q.dataset.q] = value;
    }
    return {
      survey: this.config.survey,
      version: this.config.version,
      lang: this.config.lang,
      session: this.config.session,
      submission: this.state.secret,
      answers,
      consent: this.consentBox.checked,
    };
  }

  say(text) {
    this.status.textContent = text || "";
  }

  showProblem(text) {
    this.problem.hidden = !text;
    this.problem.textContent = text || "";
    if (!text && this.deviceAnswered) this.deviceAnswered.hidden = true;
  }

  clearProblem() {
    this.showProblem("");
  }

  firstProblem(failing) {
    const step = this.steps.findIndex((s) => s.contains(failing[0]));
    if (step >= 0 && step !== this.state.step) this.showStep(step, false);
    this.focusOn(failing[0].querySelector(".icf-error"));
  }

  onSubmit(event) {
    event.preventDefault();
    const steps = this.activeSteps().map((i) => this.steps[i]);
    const questions = steps.flatMap((s) => [...s.querySelectorAll(".icf-q")]);
    const failing = this.check(questions);
    const consented = this.checkConsent();
    if (failing.length || !consented) {
      const count = failing.length + (consented ? 0 : 1);
      this.showProblem(this.texts.error.summary[String(count)] || "");
      if (failing.length) this.firstProblem(failing);
      else this.focusOn(this.consentBox);
      return;
    }
    this.state.pending = this.payload();
    this.state.tried = false; // a duplicate on the first try: another tab of this device sent first
    this.save();
    this.deliver();
  }

  async token(renew, signal) {
    let token = renew ? "" : readCookie(FORM_COOKIE);
    if (!token) {
      const response = await fetch(this.config.urls.token, { credentials: "same-origin", signal });
      token = (await response.json()).token || "";
    }
    return token;
  }

  async post(url, body, renew = false) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "X-Form-Token": await this.token(renew, controller.signal),
        },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      let data = {};
      try {
        data = await response.json();
      } catch (e) {
        // A success whose reply was cut off (the server stopped mid-reply) is no answer at all:
        // the caller sends again and the resend brings the receipt. A refusal without a readable
        // body (a proxy's error page) keeps its status.
        if (response.ok) throw e;
        data = {};
      }
      if (response.status === 403 && data.status === "expired" && !renew) {
        return this.post(url, body, true); // the cookie changed under the page: ask once more
      }
      return { status: response.status, data };
    } finally {
      clearTimeout(timer);
    }
  }

  retryLater(seconds) {
    clearTimeout(this.retryTimer);
    const wait = seconds ? seconds * 1000 : RETRY_MS[Math.min(this.retries, RETRY_MS.length - 1)];
    this.retries += 1;
    this.retryTimer = setTimeout(() => this.deliver(), wait);
  }

  async deliver() {
    const pending = this.state.pending;
    if (!pending || this.sending) return;
    const firstTry = this.state.tried === false;
    if (firstTry) {
      this.state.tried = true; // from now on, a duplicate is this very submission sent again
      this.save();
    }
    this.sending = true;
    this.send.setAttribute("aria-disabled", "true");
    this.say(this.texts.sending);
    let reply;
    try {
      reply = await this.post(this.config.urls.answers, pending);
    } catch {
      reply = null; // no connection, or no answer in time: keep everything, try again
    } finally {
      this.sending = false;
      this.send.removeAttribute("aria-disabled");
    }
    if (!reply) {
      this.say("");
      this.showProblem(this.texts.offline);
      this.retryLater();
      return;
    }
    const { status, data } = reply;
    if (status === 200) {
      this.retries = 0;
      if (data.status === "duplicate" && firstTry) this.answeredElsewhere(data);
      else this.acknowledged(data);
      return;
    }
    this.say("");
    if (status === 422 && Array.isArray(data.errors)) {
      this.state.pending = null;
      this.save();
      this.serverErrors(data);
      return;
    }
    this.showProblem(data.message || this.texts.send_failed);
    if (status === 429) this.retryLater(Number(data.retry_after) || 5);
    else if (status >= 500 || status === 0) this.retryLater();
    else {
      this.state.pending = null; // closed, expired, too large: the respondent decides
      this.save();
    }
  }

  serverErrors(data) {
    const failing = [];
    for (const error of data.errors) {
      const q = this.root.querySelector(`.icf-q[data-q="${CSS.escape(error.question)}"]`);
      if (q) {
        this.showErrors(q, [error.message]);
        this.flagged.add(error.question);
        failing.push(q);
      } else if (error.question === "_consent") {
        this.checkConsent();
      }
    }
    this.showProblem(data.message || "");
    if (failing.length) this.firstProblem(failing);
  }

  answeredElsewhere(data) {
    // Another tab of this device had sent an answer with the same secret: these answers were not
    // stored. Never a silent drop: say so, keep them, and offer to send them as a new respondent.
    this.state.pending = null;
    delete this.state.tried;
    this.save();
    this.say("");
    this.showProblem(data.device_answered || this.texts.device_answered);
    if (this.deviceAnswered) {
      this.deviceAnswered.hidden = false; // absent where the session takes one answer per device
      this.deviceAnswered.querySelector("button").focus();
    }
  }

  acknowledged(data) {
    this.state = {
      v: STORAGE_VERSION,
      secret: this.state.secret,
      answers: {},
      sent: {
        status: data.status,
        receipt: data.receipt,
        count_text: data.count_text || "",
        message: data.message || this.texts.thanks,
      },
    };
    this.save();
    this.showThanks(true, data.ideas);
  }

  // -- the thank-you ----------------------------------------------------------------------------

  showThanks(focus, ideas) {
    const sent = this.state.sent;
    this.form.hidden = true;
    this.thanks.hidden = false;
    const title = this.thanks.querySelector(".icf-thanks-title");
    title.textContent = sent.message;
    this.thanks.querySelector(".icf-count").textContent = sent.count_text || "";
    // A shared tablet cannot keep a secret: its receipt code is shown only when asked for.
    const hideCode = Boolean(this.kiosk);
    this.thanks.querySelector(".icf-kiosk-receipt").hidden = !hideCode;
    this.thanks.querySelector(".icf-kiosk-reveal").hidden = !hideCode;
    this.thanks.querySelector(".icf-receipt-shown").hidden = hideCode;
    this.showCode(!hideCode);
    if (focus) this.focusOn(title);
    if (this.kiosk) this.startKiosk();
    if (ideas) this.drawIdeas(this.thanks.querySelector(".icf-ideas"), ideas);
    else this.loadIdeas(); // a reload of the thank-you, or ideas the acknowledgement lacked
  }

  showCode(shown) {
    const code = this.thanks.querySelector(".icf-receipt-code");
    const receipt = shown && this.state.sent ? this.state.sent.receipt || "" : "";
    code.textContent = receipt;
    code.setAttribute("aria-label", receipt.replace(/-/g, "").split("").join(" "));
  }

  revealCode() {
    // kiosk mode: the respondent asked to see the code (explicitly, by this button)
    this.thanks.querySelector(".icf-kiosk-reveal").hidden = true;
    this.thanks.querySelector(".icf-receipt-shown").hidden = false;
    this.showCode(true);
    this.thanks.querySelector(".icf-receipt-code").focus();
  }

  async copyReceipt() {
    const code = this.thanks.querySelector(".icf-receipt-code");
    const note = this.thanks.querySelector(".icf-copied");
    try {
      await navigator.clipboard.writeText(code.textContent);
    } catch {
      const range = document.createRange(); // no clipboard API (plain http on a venue's Wi-Fi)
      range.selectNodeContents(code);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.execCommand("copy");
    }
    note.textContent = this.texts.copied;
  }

  ideaBody() {
    return {
      survey: this.config.survey,
      lang: this.config.lang,
      session: this.config.session,
      submission: this.state.secret,
    };
  }

  async loadIdeas(extra) {
    const box = this.thanks.querySelector(".icf-ideas");
    let reply;
    try {
      const url = extra ? this.config.urls.support : this.config.urls.ideas;
      reply = await this.post(url, { ...this.ideaBody(), ...(extra || {}) });
    } catch {
      reply = null;
    }
    const note = box.querySelector(".icf-ideas-note");
    if (!reply || reply.status !== 200) {
      if (extra) note.textContent = (reply && reply.data.message) || this.texts.ideas_failed;
      return;
    }
    // The list is drawn anew: a keyboard or screen reader user pressing a support button
    // stays on that idea's button, which now says what it does next (aria-pressed too).
    const list = box.querySelector(".icf-ideas-list");
    const focused = document.activeElement;
    const keep = focused && list.contains(focused) && focused.dataset ? focused.dataset.idea : null;
    this.drawIdeas(box, reply.data);
    note.textContent = reply.data.message || "";
    if (keep) {
      const again = list.querySelector(`.icf-support[data-idea="${CSS.escape(keep)}"]:not(:disabled)`);
      if (again) again.focus();
    }
  }

  toggleSupport(button) {
    if (button.getAttribute("aria-disabled") === "true") return; // a reply is awaited
    button.setAttribute("aria-disabled", "true");
    const takeBack = button.getAttribute("aria-pressed") === "true";
    this.loadIdeas({ idea: Number(button.dataset.idea), take_back: takeBack }).finally(() =>
      button.removeAttribute("aria-disabled"),
    );
  }

  drawIdeas(box, data) {
    box.hidden = false;
    box.querySelector(".icf-ideas-intro").textContent = data.ideas.length
      ? `${data.intro} ${data.left_text}`
      : data.none;
    const list = box.querySelector(".icf-ideas-list");
    list.replaceChildren();
    for (const idea of data.ideas) {
      const item = el("li", { class: "icf-idea" });
      item.append(el("p", { class: "icf-idea-text", lang: idea.lang, dir: "auto" }, idea.text));
      const row = el("p", { class: "icf-idea-row" });
      row.append(el("span", { class: "icf-idea-count" }, idea.supports));
      if (idea.own) {
        row.append(el("span", { class: "icf-idea-own" }, data.own)); // nobody supports their own
      } else {
        // One toggle: "Support" or, pressed, "Supported — take back" (a tick beside it, so the
        // state is never told by colour alone).
        const pressed = Boolean(idea.supported);
        const button = el("button", {
          type: "button",
          class: "icf-support",
          "aria-pressed": pressed ? "true" : "false",
        });
        if (pressed) button.append(el("span", { "aria-hidden": "true" }, "✓ "), data.take_back);
        else button.textContent = data.support;
        button.dataset.idea = String(idea.id);
        if (!pressed && data.left === 0) button.disabled = true; // all supports given
        row.append(button);
      }
      item.append(row);
      list.append(item);
    }
  }

  // -- a shared device: the next person ------------------------------------------------------

  clearDevice() {
    // Every draft and receipt this script kept on the device, whatever the survey.
    if (!this.storage) return;
    const keys = [];
    for (let i = 0; i < this.storage.length; i += 1) {
      const key = this.storage.key(i);
      if (key && key.startsWith(KEY_PREFIX)) keys.push(key);
    }
    for (const key of keys) this.storage.removeItem(key);
  }

  resetView() {
    this.stopKiosk();
    this.form.reset();
    this.flagged.clear();
    for (const q of this.questions) this.showErrors(q, []);
    this.showCode(false);
    this.thanks.hidden = true;
    this.form.hidden = false;
    this.clearProblem();
    this.say("");
    this.restoredNote.textContent = "";
    this.restore();
  }

  again(answers) {
    // A blank form on this page, nothing of the previous person kept on the device (`answers`:
    // the ones on screen, kept for a new respondent to send).
    this.clearDevice();
    this.state = this.fresh();
    if (answers) {
      this.state.answers = answers;
      this.save();
    }
    this.resetView();
    this.showStep(this.activeSteps()[0], true);
  }

  newRespondentUrl() {
    const url = new URL(this.config.urls.new_respondent, window.location.href);
    if (this.kiosk) {
      url.searchParams.set("kiosk", "1");
      if (this.kiosk.explicit) url.searchParams.set("kiosk_seconds", String(this.kiosk.seconds));
    }
    return url.toString();
  }

  async newRespondent(keep) {
    // "New respondent": nothing of the previous person stays on the device. The screen and the
    // device's storage are cleared at once (so even without a connection); then the light page
    // asks the server for a new respondent cookie and an empty form, replacing this history
    // entry, so Back never shows the thank-you again. `keep`: the answers on screen (another
    // tab had answered) stay in the form for this new respondent to send.
    if (this.leaving) return;
    const answers = keep ? { ...this.state.answers } : null;
    this.again(answers);
    if (!this.onPage || (answers && !this.storage)) return; // nothing kept across a reload
    const url = this.newRespondentUrl();
    this.leaving = true;
    try {
      // the same route, first by fetch: a venue's lost Wi-Fi leaves the empty form on the
      // screen rather than the browser's error page
      await fetch(url, { credentials: "same-origin", redirect: "manual", cache: "no-store" });
    } catch {
      this.leaving = false;
      return; // the next page load gives the new cookie
    }
    window.location.replace(url);
  }

  forgotten() {
    // Another tab cleared the device (or this page came back from the history cache): a
    // thank-you whose receipt is no longer kept on the device is not shown any more.
    if (!this.state.sent) return;
    const saved = this.load();
    if (saved.secret === this.state.secret) return; // still this respondent's (another tab)
    this.state = this.fresh();
    this.resetView();
  }

  // -- kiosk mode: a tablet handed from person to person ----------------------------------------

  kioskSettings() {
    // a session with one answer per device has no next person on this device
    if (!this.onPage || this.config.one_answer_per_device) return null;
    const params = new URLSearchParams(window.location.search);
    if (params.get("kiosk") !== "1") return null;
    const [least, usual, most] = KIOSK_SECONDS;
    const asked = parseInt(params.get("kiosk_seconds") || "", 10);
    const explicit = Number.isFinite(asked);
    const seconds = explicit ? Math.min(Math.max(asked, least), most) : usual;
    return { seconds, explicit, left: seconds, timer: null, voice: null };
  }

  keepKiosk() {
    // The other languages of the form stay in kiosk mode.
    if (!this.kiosk) return;
    for (const link of document.querySelectorAll(".icf-languages a[href]")) {
      const url = new URL(link.getAttribute("href"), window.location.href);
      url.searchParams.set("kiosk", "1");
      if (this.kiosk.explicit) url.searchParams.set("kiosk_seconds", String(this.kiosk.seconds));
      link.setAttribute("href", url.toString());
    }
  }

  startKiosk() {
    const kiosk = this.kiosk;
    this.stopKiosk();
    kiosk.left = kiosk.seconds;
    this.thanks.querySelector(".icf-kiosk").hidden = false;
    // the countdown's "Next person now" does what "New respondent" does: one button, not two
    this.setNewRespondentShown(false);
    this.tickKiosk(true);
    kiosk.timer = setInterval(() => {
      kiosk.left -= 1;
      if (kiosk.left <= 0) {
        this.newRespondent(false);
        return;
      }
      this.tickKiosk(kiosk.left === KIOSK_ANNOUNCE_AT);
    }, 1000);
  }

  tickKiosk(announce) {
    const text = fill(this.texts.kiosk_countdown, { seconds: this.kiosk.left });
    this.thanks.querySelector(".icf-kiosk-count").textContent = text;
    if (!announce) return; // not every second: at the start, and 10 s before
    const live = this.thanks.querySelector(".icf-kiosk-live");
    live.textContent = "";
    clearTimeout(this.kiosk.voice);
    this.kiosk.voice = setTimeout(() => {
      live.textContent = text; // emptied first, so the same words are announced again
    }, 100);
  }

  stopKiosk() {
    if (!this.kiosk) return;
    clearInterval(this.kiosk.timer);
    clearTimeout(this.kiosk.voice);
    this.kiosk.timer = null;
    this.thanks.querySelector(".icf-kiosk").hidden = true;
    this.thanks.querySelector(".icf-kiosk-live").textContent = "";
    this.setNewRespondentShown(true);
  }

  setNewRespondentShown(shown) {
    const block = this.root.querySelector(".icf-new-respondent");
    if (block) block.hidden = !shown;
  }

  // -- wiring -----------------------------------------------------------------------------------

  on(target, type, handler) {
    target.addEventListener(type, handler);
    this.handlers.push([target, type, handler]);
  }

  bind() {
    this.on(this.form, "change", (e) => this.onChange(e));
    this.on(this.form, "input", (e) => {
      if (e.target.matches("input[type=text], textarea")) this.onChange(e);
    });
    this.on(this.form, "submit", (e) => this.onSubmit(e));
    this.on(this.next, "click", () => this.move(1));
    this.on(this.back, "click", () => this.move(-1));
    this.on(this.root, "click", (e) => {
      const listen = e.target.closest(".icf-listen");
      if (listen) this.speaker.play(listen, this.reading(listen));
      if (e.target.closest(".icf-copy")) this.copyReceipt();
      if (e.target.closest(".icf-again")) this.newRespondent(false);
      if (e.target.closest(".icf-again-keep")) this.newRespondent(true);
      if (e.target.closest(".icf-show-code")) this.revealCode();
      if (e.target.closest(".icf-kiosk-now")) this.newRespondent(false);
      if (e.target.closest(".icf-kiosk-stay")) this.startKiosk();
      if (e.target.closest(".icf-ideas-refresh")) this.loadIdeas();
      const support = e.target.closest(".icf-support");
      if (support) this.toggleSupport(support);
    });
    this.on(window, "storage", (e) => {
      if (e.key === null || e.key === this.key) this.forgotten();
    });
    this.on(window, "pageshow", (e) => {
      if (e.persisted) this.forgotten();
    });
    this.on(window, "online", () => {
      if (this.state.pending) {
        this.showProblem(this.texts.online);
        this.retries = 0;
        this.deliver();
      }
    });
  }

  reading(button) {
    // The text the phone's voice reads: what the form shows, in order.
    const q = button.closest(".icf-q");
    if (!q) return button.closest("div, section").querySelector("p").textContent;
    const parts = [q.querySelector(".icf-q-text").textContent];
    for (const node of q.querySelectorAll(".icf-help, .icf-line-text")) parts.push(node.textContent);
    const firstLine = q.querySelector(".icf-line") || q;
    for (const label of firstLine.querySelectorAll(".icf-choice-label")) parts.push(label.textContent);
    return parts.map((p) => p.trim()).filter(Boolean).join(". ");
  }

  restore() {
    const sent = this.state.sent;
    if (sent) {
      this.showThanks(false);
      return;
    }
    let restored = false;
    for (const q of this.questions) {
      const value = this.state.answers[q.dataset.q];
      if (!this.empty(value)) {
        this.write(q, value);
        restored = true;
      }
      if (q.dataset.kind === "multi") this.limitChoices(q);
    }
    this.consentBox.checked = Boolean(this.state.consent);
    this.applyConditions();
    this.showStep(this.state.step || 0, false);
    if (this.state.pending) {
      this.restoredNote.textContent = this.texts.resending;
      this.deliver();
    } else if (restored) {
      this.restoredNote.textContent = this.texts.restored;
    }
  }

  destroy() {
    this.speaker.stop();
    this.stopKiosk();
    clearTimeout(this.retryTimer);
    for (const [target, type, handler] of this.handlers) target.removeEventListener(type, handler);
    this.handlers = [];
  }
}

// The Streamlit host: st.components.v2 calls this with the markup in data.html.
export default function (component) {
  const { data, parentElement } = component;
  let holder = parentElement.querySelector(":scope > .icf-host");
  if (!holder) {
    holder = document.createElement("div");
    holder.className = "icf-host";
    parentElement.append(holder);
  }
  if (holder.__html !== data.html) {
    if (holder.__form) holder.__form.destroy();
    holder.innerHTML = data.html;
    holder.__html = data.html;
    holder.__form = new SurveyForm(holder.querySelector(".icf"), data);
  }
  return () => {
    if (holder.__form) holder.__form.destroy();
    holder.__form = null;
    holder.__html = null;
  };
}

// The light page: the server rendered the form into <main>.
const page = typeof document !== "undefined" && document.querySelector("main.icf-main > .icf[data-survey]");
if (page && !page.__form) page.__form = new SurveyForm(page);

// For the unit tests (tests/js, `node --test`); the hosts use only the default export above.
export { readCookie, newSecret, fill, storage, el, SurveyForm };
