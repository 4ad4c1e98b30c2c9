/* IncluCities Live, the survey page's one script (inlined by components/survey_assets.py).
 *
 * 1. Listen buttons: one beside every option and grid line (the questions carry theirs in the
 *    page). The phone's own voice reads the text when it has one for the survey's language;
 *    otherwise the server's espeak-ng clip plays (/speech/KEY.wav); with neither, the button
 *    says so.
 * 2. Connection: while the page is not connected, a notice in the survey's language says the
 *    answers are kept; after a reconnect the script presses a hidden button so the server runs
 *    the page once (a new session drops the first click otherwise), and the form takes clicks
 *    again only after that run and a short pause. A Send pressed meanwhile is sent then.
 * 3. Focus: after Next, Back or a failed Send, the new step's heading or the first error is
 *    scrolled into view and focused.
 * Delegated: one set of listeners for the whole page, whatever Streamlit redraws.
 */
(function () {
  "use strict";
  if (window.__incluSurvey) {
    window.__incluSurvey.scan();
    return;
  }
  var api = (window.__incluSurvey = {});
  var FORM = ".st-key-survey_ltr, .st-key-survey_rtl";
  var SEND = '[class*="st-key-survey_"][class*="_submit"]';
  var GRACE_MS = 800;
  var parsed = null;
  var parsedFrom = null;

  function config() {
    var el = document.getElementById("survey-config");
    if (!el) return null;
    if (el !== parsedFrom) {
      var d = el.dataset;
      parsed = {
        lang: d.lang || "en",
        dir: d.dir || "ltr",
        clips: JSON.parse(d.clips || "{}"),
        targets: JSON.parse(d.targets || "{}"),
        listen: d.listen || "{text}",
        unavailable: d.unavailable || "",
        offline: d.offline || "",
        offlineSend: d.offlineSend || "",
        online: d.online || ""
      };
      parsedFrom = el;
    }
    return parsed;
  }

  function app() {
    return document.querySelector('[data-testid="stApp"]');
  }

  function connection() {
    var a = app();
    return a ? a.getAttribute("data-test-connection-state") : null;
  }

  function scriptState() {
    var a = app();
    return a ? a.getAttribute("data-test-script-state") : null;
  }

  /* -- 1. listen buttons ------------------------------------------------------------------ */

  var SVG = "http://www.w3.org/2000/svg";
  var SPEAKER =
    "M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 7.97v8.05c1.48-.73 2.5-2.25 2.5-4.02z" +
    "M14 3.23v2.06a7 7 0 0 1 0 13.42v2.06a9 9 0 0 0 0-17.54z";

  function speaker() {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "survey-speaker");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "22");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", SPEAKER);
    svg.appendChild(path);
    return svg;
  }

  function listenButton(c, clip) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "survey-listen survey-listen-added";
    b.setAttribute("data-clip", clip);
    b.setAttribute("aria-label", c.listen.replace("{text}", c.clips[clip] || ""));
    b.appendChild(speaker());
    return b;
  }

  function addAfter(c, anchor, clip) {
    if (!anchor || !clip) return;
    var next = anchor.nextElementSibling;
    if (next && next.classList.contains("survey-listen-added")) {
      if (next.getAttribute("data-clip") === clip) return;
      next.remove();
    }
    anchor.insertAdjacentElement("afterend", listenButton(c, clip));
  }

  function addButtons() {
    var c = config();
    if (!c) return;
    document.querySelectorAll(".survey-listen:not(:has(svg))").forEach(function (b) {
      b.appendChild(speaker()); /* the page's own buttons: the sanitiser keeps no svg */
    });
    Object.keys(c.targets).forEach(function (key) {
      var box = document.querySelector(".st-key-" + CSS.escape(key));
      if (!box) return;
      var spec = c.targets[key];
      if (spec.label) {
        var tick = box.querySelector('[data-testid="stCheckbox"] > label');
        addAfter(c, tick || box.querySelector('[data-testid="stWidgetLabel"]'), spec.label);
      }
      if (spec.options) {
        box.querySelectorAll('[data-testid="stRadioOption"]').forEach(function (opt, i) {
          addAfter(c, opt, spec.options[i]);
        });
      }
    });
  }

  var playing = null;

  function stop() {
    if (!playing) return;
    if (playing.audio) playing.audio.pause();
    if (playing.utterance && window.speechSynthesis) window.speechSynthesis.cancel();
    playing.button.classList.remove("survey-listen-playing");
    playing = null;
  }

  function voiceFor(lang) {
    if (!window.speechSynthesis) return null;
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; voices.length > i; i++) {
      var v = (voices[i].lang || "").toLowerCase().replace("_", "-");
      if (v === lang || v.indexOf(lang + "-") === 0) return voices[i];
    }
    return null;
  }

  function withVoices(then) {
    var synth = window.speechSynthesis;
    if (!synth || synth.getVoices().length) return then();
    var done = false;
    var go = function () {
      if (!done) {
        done = true;
        then();
      }
    };
    synth.addEventListener("voiceschanged", go, { once: true });
    setTimeout(go, 400); /* no voices at all on this device: do not wait longer */
  }

  function base() {
    var path = window.location.pathname;
    return path.slice(0, path.lastIndexOf("/") + 1);
  }

  function unavailable(button, c) {
    if (playing && playing.button === button) stop();
    button.setAttribute("aria-disabled", "true");
    button.classList.add("survey-listen-none");
    button.setAttribute("data-played", "none");
    var note = button.nextElementSibling;
    if (note && note.classList.contains("survey-listen-note")) return;
    note = document.createElement("span");
    note.className = "survey-listen-note";
    note.setAttribute("role", "status");
    note.textContent = c.unavailable;
    button.insertAdjacentElement("afterend", note);
  }

  function listen(button) {
    var c = config();
    if (!c) return;
    var again = playing && playing.button === button;
    stop();
    if (again) return; /* a second press stops */
    var clip = button.getAttribute("data-clip");
    var text = c.clips[clip] || "";
    withVoices(function () {
      var voice = voiceFor(c.lang);
      button.classList.add("survey-listen-playing");
      if (voice) {
        var u = new window.SpeechSynthesisUtterance(text);
        u.lang = voice.lang;
        u.voice = voice;
        u.onend = u.onerror = function () {
          if (playing && playing.utterance === u) stop();
        };
        playing = { button: button, utterance: u };
        button.setAttribute("data-played", "voice");
        window.speechSynthesis.speak(u);
        return;
      }
      var audio = new Audio(base() + "speech/" + encodeURIComponent(clip) + ".wav");
      playing = { button: button, audio: audio };
      audio.addEventListener("ended", function () {
        if (playing && playing.audio === audio) stop();
      });
      audio.addEventListener("error", function () {
        unavailable(button, c);
      });
      audio.play().then(
        function () {
          button.setAttribute("data-played", "clip");
        },
        function () {
          if (audio.error) unavailable(button, c);
          else if (playing && playing.audio === audio) stop();
        }
      );
    });
  }

  document.addEventListener(
    "click",
    function (event) {
      var button = event.target.closest && event.target.closest(".survey-listen");
      if (!button) return;
      event.preventDefault();
      event.stopPropagation();
      if (button.getAttribute("aria-disabled") !== "true") listen(button);
    },
    true
  );

  /* -- 2. connection -------------------------------------------------------------------- */

  var lost = false;
  var waking = false;
  var blocked = false;
  var sendWaiting = false;
  var runsSeen = 0;

  function notice(text, forMs) {
    var el = document.getElementById("survey-connection");
    if (!el) {
      el = document.createElement("div");
      el.id = "survey-connection";
      el.className = "survey-connection";
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "assertive");
      document.body.appendChild(el);
    }
    var c = config();
    if (c) el.setAttribute("dir", c.dir);
    el.textContent = text || "";
    el.hidden = !text;
    clearTimeout(el._hide);
    if (text && forMs) {
      el._hide = setTimeout(function () {
        el.hidden = true;
        el.textContent = "";
      }, forMs);
    }
  }

  function block(on) {
    blocked = on;
    document.documentElement.classList.toggle("survey-offline", on);
  }

  function pressSend() {
    var button = document.querySelector(SEND + " button");
    if (button && !button.disabled) button.click();
  }

  function wake() {
    waking = true;
    var before = runsSeen;
    var started = Date.now();
    var button = document.querySelector(".st-key-survey_wake button");
    if (button) button.click();
    var timer = setInterval(function () {
      if (connection() !== "CONNECTED") {
        clearInterval(timer); /* lost again: start over when it is back */
        waking = false;
        return;
      }
      var ran = runsSeen > before && scriptState() !== "running";
      if (ran || Date.now() - started > 10000) {
        clearInterval(timer);
        setTimeout(function () {
          lost = false;
          waking = false;
          block(false);
          var c = config();
          notice(c ? c.online : "", 5000);
          if (sendWaiting) {
            sendWaiting = false;
            pressSend();
          }
        }, GRACE_MS);
      }
    }, 100);
  }

  function watchConnection() {
    var state = connection();
    if (!state || !config()) return;
    if (state !== "CONNECTED") {
      if (!lost) {
        lost = true;
        block(true);
        notice(config().offline);
      }
      return;
    }
    if (lost && !waking) wake();
  }

  function stopWhileBlocked(event) {
    if (!blocked || !event.target.closest || !event.target.closest(FORM)) return;
    if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
    if (event.target.closest(".survey-listen")) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.type === "pointerdown" || event.type === "keydown") {
      if (event.target.closest(SEND)) {
        sendWaiting = true;
        notice(config().offlineSend);
      }
    }
  }

  ["pointerdown", "mousedown", "click", "keydown"].forEach(function (type) {
    window.addEventListener(type, stopWhileBlocked, true);
  });

  /* -- 3. focus after a step change or a failed check ------------------------------------ */

  var handled = {};

  function shown(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function whenIdle(then, tries) {
    tries = tries || 0;
    if (scriptState() === "running" && 100 > tries) {
      setTimeout(function () {
        whenIdle(then, tries + 1);
      }, 50);
      return;
    }
    window.requestAnimationFrame(then);
  }

  function bringIntoView(mark) {
    var target = mark.getAttribute("data-focus-target");
    if (target === "error") {
      var errors = Array.prototype.filter.call(
        document.querySelectorAll('[data-testid="stAlertContentError"]'),
        shown
      );
      if (errors.length) {
        var alert = errors[0].closest('[data-testid="stAlert"]') || errors[0];
        alert.setAttribute("tabindex", "-1");
        alert.scrollIntoView({ block: "center" });
        alert.focus({ preventScroll: true });
        return;
      }
    }
    mark.scrollIntoView({ block: "start" });
    mark.focus({ preventScroll: true });
  }

  function focusRequests() {
    document.querySelectorAll("[data-focus-nonce]").forEach(function (mark) {
      var nonce = mark.getAttribute("data-focus-nonce");
      if (handled[nonce]) return;
      handled[nonce] = true;
      whenIdle(function () {
        if (document.contains(mark)) bringIntoView(mark);
      });
    });
  }

  /* -- one observer for all of it --------------------------------------------------------- */

  var scheduled = false;

  function scan() {
    scheduled = false;
    addButtons();
    focusRequests();
    watchConnection();
  }

  function schedule() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(scan);
    }
  }

  api.scan = schedule;
  new MutationObserver(function (records) {
    for (var i = 0; records.length > i; i++) {
      var r = records[i];
      if (r.type === "attributes" && r.attributeName === "data-test-script-state") {
        if (r.target.getAttribute("data-test-script-state") === "running") runsSeen += 1;
      }
    }
    schedule();
  }).observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["data-test-connection-state", "data-test-script-state"]
  });
  setInterval(watchConnection, 500);
  schedule();
})();
