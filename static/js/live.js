// Live results, drawn in the browser from the summaries the server pushes (server-sent events).
// Mounted by components/live_view.py with st.components.v2 (no iframe). Data from Python:
//   {url, view: "results" | "stage" | "wall", texts, lang, dir, revealed, vega: [script urls]}
// Every text is inserted with textContent (never as HTML). Charts are Vega-Lite specs (sent once
// per connection, event "specs") filled with the values of each summary (event "summary").

const STALE_MS = 50000; // no event (the server pings every 20 s): the connection is dead
const SPREAD_MS = 400; // redraws after a push are spread over this window
const FOCUS_MS = 8000; // how long each long idea on the wall is shown whole
const WIDE = "(min-width: 900px)";
const PAGE_MS = 12000; // the projector shows each screen of questions this long, then the next
const FIT_MARGIN = 64; // px kept free below the projector's last line (the page's own padding)
const PAGE_KEYS = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };

const scripts = new Map();
function loadScript(src) {
  if (!scripts.has(src)) {
    scripts.set(
      src,
      new Promise((resolve, reject) => {
        const el = document.createElement("script");
        el.src = src;
        el.async = false;
        el.onload = resolve;
        el.onerror = () => {
          scripts.delete(src);
          reject(new Error(`cannot load ${src}`));
        };
        document.head.appendChild(el);
      }),
    );
  }
  return scripts.get(src);
}

async function loadVega(urls) {
  for (const url of urls) await loadScript(url);
  return { vega: window.vega, vegaLite: window.vegaLite };
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

function fill(template, time) {
  return (template || "").replace("{time}", time);
}

function clock(date, lang) {
  try {
    return date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  } catch {
    return date.toLocaleTimeString();
  }
}

class LiveScreen {
  constructor(root, data, trigger) {
    this.root = root;
    this.data = data;
    this.trigger = trigger;
    this.specs = {};
    this.specsId = null;
    this.payload = null;
    this.views = new Map();
    this.resizer = new ResizeObserver((entries) => this.fitWidths(entries));
    this.lastContact = null;
    this.online = false;
    this.unavailable = false;
    this.timer = null;
    this.watchdog = null;
    this.closed = false;
    this.build();
    this.onVisibility = () => this.visibilityChanged();
    document.addEventListener("visibilitychange", this.onVisibility);
    this.pages = [];
    this.page = 0;
    this.drawing = [];
    if (data.view === "stage") {
      this.onKey = (e) => this.pageKey(e);
      this.onResize = () => {
        clearTimeout(this.resizeTimer);
        this.resizeTimer = setTimeout(() => this.paginate(), 300);
      };
      document.addEventListener("keydown", this.onKey);
      window.addEventListener("resize", this.onResize);
    }
    this.connect();
    // fetch the chart library now, so a reveal or the first figures draw at once
    if (data.view !== "wall") loadVega(data.vega).catch(() => {});
  }

  build() {
    const d = this.data;
    this.root.replaceChildren();
    this.root.className = `live live--${d.view}`;
    this.root.setAttribute("lang", d.lang);
    this.root.setAttribute("dir", d.dir);
    this.root.dataset.liveState = "connecting";
    this.statusLine = el("p", { class: "live-status", "data-testid": "live-status" });
    this.alert = el("div", { class: "live-alert", role: "status", "aria-live": "polite" });
    this.headline = el("div", { class: "live-headline" });
    this.count = el("span", { class: "live-count", "data-testid": "live-count" });
    this.countLabel = el("span", { class: "live-count-label" });
    // the projector's position when its questions take several screens ("1 / 3")
    this.pager = el("p", { class: "live-pager", "data-testid": "live-pager", hidden: true });
    this.pagerText = el("span", { "aria-hidden": "true", dir: "ltr" }); // "2 / 4", never "4 / 2"
    this.pagerLabel = el("span", { class: "live-sr" });
    this.pager.append(this.pagerText, this.pagerLabel);
    this.headline.append(this.count, this.countLabel, this.pager);
    this.note = el("p", { class: "live-note", "data-testid": "live-note" });
    this.closedNote = el("p", { class: "live-note live-note--closed" });
    this.sections = el("div", { class: "live-sections" });
    this.more = el("details", { class: "live-more" });
    this.moreSummary = el("summary", {});
    this.moreBody = el("div", { class: "live-more-body" });
    this.more.append(this.moreSummary, this.moreBody);
    this.ideas = el("div", { class: "live-ideas", "data-testid": "live-ideas" });
    this.clouds = el("div", { class: "live-clouds", "data-testid": "live-clouds" });
    this.note.textContent = d.texts.loading;
    let parts;
    if (d.view === "wall") {
      // the word clouds beside the top ideas (one column on a narrow screen)
      const body = el("div", { class: "live-wall-body" });
      body.append(this.clouds, this.ideas);
      parts = [this.alert, body, this.statusLine];
    } else {
      // the projector: one key to the agreement colours for the screen shown
      this.stageLegend = el("div", { class: "live-stage-legend", hidden: true });
      const sections = d.view === "stage" ? [this.stageLegend, this.sections] : [this.sections];
      parts = [this.alert, this.headline, this.note, this.closedNote, ...sections, this.more];
    }
    if (d.view === "results") parts.push(this.clouds, this.ideas);
    // the projector: the time of the figures beside the count (no line of its own)
    if (d.view === "stage") this.headline.insertBefore(this.statusLine, this.pager);
    else if (d.view !== "wall") parts.push(this.statusLine);
    this.root.append(...parts);
    this.more.hidden = true;
    this.more.open = window.matchMedia(WIDE).matches;
    this.renderStatus();
  }

  connect() {
    if (this.closed || document.visibilityState === "hidden") return;
    const source = new EventSource(this.data.url);
    this.source = source;
    source.addEventListener("specs", (e) => {
      const message = JSON.parse(e.data);
      this.specs = message.specs;
      this.specsId = message.id;
      this.touch();
    });
    source.addEventListener("summary", (e) => {
      this.touch();
      const payload = JSON.parse(e.data);
      clearTimeout(this.timer);
      // a push reaches every screen at once: spread the redraws (first paint at once)
      const wait = this.payload ? Math.random() * SPREAD_MS : 0;
      this.timer = setTimeout(() => this.apply(payload), wait);
    });
    source.addEventListener("status", (e) => {
      this.touch();
      this.unavailable = JSON.parse(e.data).state === "unavailable";
      this.renderStatus();
    });
    source.addEventListener("ping", () => this.touch());
    source.onopen = () => this.touch();
    source.onerror = () => {
      this.setOnline(false);
      if (source.readyState === EventSource.CLOSED && this.source === source) {
        // the browser gave up (e.g. an error status): try again later, at a random moment
        source.close();
        this.source = null;
        setTimeout(() => {
          if (!this.source) this.connect();
        }, 2000 + Math.random() * 4000);
      }
    };
  }

  visibilityChanged() {
    // a hidden tab (a phone in a pocket, a background tab) lets its connection go, and picks
    // the current figures up again when it is shown: browsers keep only a few connections
    // per server open, and the server keeps no stream for nobody
    if (document.visibilityState === "hidden") {
      clearTimeout(this.watchdog);
      if (this.source) this.source.close();
      this.source = null;
    } else if (!this.source && !this.closed) {
      this.connect();
    }
  }

  touch() {
    this.lastContact = new Date();
    this.setOnline(true);
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.reconnect(), STALE_MS);
  }

  reconnect() {
    this.setOnline(false);
    if (this.source) this.source.close();
    this.source = null;
    setTimeout(() => {
      if (!this.source) this.connect();
    }, Math.random() * 3000);
  }

  setOnline(online) {
    if (this.online === online) return;
    this.online = online;
    this.renderStatus();
  }

  texts() {
    return (this.payload && this.payload.texts) || this.data.texts;
  }

  renderStatus() {
    const texts = this.texts();
    const lang = this.data.lang;
    this.root.dataset.liveState = this.online ? "online" : this.payload ? "offline" : "connecting";
    if (!this.online && this.lastContact) {
      this.alert.textContent = fill(texts.offline, clock(this.lastContact, lang));
      this.alert.hidden = false;
    } else if (this.unavailable) {
      this.alert.textContent = texts.unavailable;
      this.alert.hidden = false;
    } else {
      this.alert.textContent = "";
      this.alert.hidden = true;
    }
    if (this.payload) {
      const updated = new Date(this.payload.updated);
      this.statusLine.textContent = fill(texts.updated, clock(updated, lang));
      this.statusLine.dataset.updated = this.payload.updated;
    }
  }

  apply(payload) {
    const first = !this.payload;
    this.payload = payload;
    this.unavailable = false;
    const root = this.root;
    root.dataset.liveVersion = payload.version;
    root.dataset.liveTotal = String(payload.total);
    root.dataset.liveRevealed = String(payload.revealed);
    this.count.textContent = payload.headline.count;
    this.countLabel.textContent = payload.headline.label;
    this.note.textContent = payload.headline.status || "";
    this.note.hidden = !payload.headline.status;
    this.closedNote.textContent = payload.headline.closed || "";
    this.closedNote.hidden = !payload.headline.closed;
    if (this.data.view === "wall") {
      this.renderClouds(payload);
      this.renderTopIdeas(payload);
    } else {
      this.renderSections(payload);
      if (this.data.view === "results") {
        this.renderClouds(payload);
        this.renderIdeas(payload, false);
      }
    }
    this.renderStatus();
    if (this.data.view === "stage" && payload.revealed !== this.data.revealed && this.trigger) {
      // another device revealed or hid the results: the figures are already on screen; rerun
      // the page a little later (at a random moment, not all screens at once) so that its
      // controls agree
      this.data.revealed = payload.revealed;
      const trigger = this.trigger;
      setTimeout(() => trigger("revealed", payload.revealed), 500 + Math.random() * 2000);
    }
    if (first) root.dataset.liveReady = "true";
  }

  renderSections(payload) {
    const keep = new Set(payload.sections.map((s) => s.id));
    for (const [id, entry] of this.views) {
      if (!keep.has(id)) {
        this.drop(entry);
        this.views.delete(id);
      }
    }
    const essentials = [];
    const others = [];
    for (const section of payload.sections) {
      const node = this.section(section);
      (section.essential || this.data.view !== "results" ? essentials : others).push(node);
    }
    this.sections.replaceChildren(...essentials);
    this.moreBody.replaceChildren(...others);
    this.moreSummary.textContent = this.texts().more;
    this.more.hidden = others.length === 0;
    if (this.data.view === "stage") {
      this.showPage(); // the screen shown so far, until the new charts are drawn and measured
      const drawing = this.drawing;
      this.drawing = [];
      Promise.allSettled(drawing)
        .then(() => document.fonts.ready)
        .then(() => this.paginate());
    }
  }

  // The projector: when the questions do not fit one screen, they are split into screens shown
  // in turn (PAGE_MS each; arrow keys and page keys move too), with the position shown.
  paginate() {
    if (this.closed) return;
    const nodes = [...this.sections.children];
    const all = nodes.map((_, index) => index);
    this.pages = nodes.length ? [all] : [];
    for (const node of nodes) node.classList.remove("live-section--wide");
    this.showOnly(all);
    if (window.matchMedia(WIDE).matches && nodes.length > 1 && !this.fits()) {
      // each screen takes, in their order, every question left that still fits (measured one
      // at a time); a question taller than the screen has a screen of its own
      this.pages = [];
      let left = all;
      while (left.length) {
        const page = [left[0]];
        for (const index of left.slice(1)) {
          this.showOnly([...page, index]);
          if (this.fits()) page.push(index);
        }
        this.pages.push(page);
        left = left.filter((index) => !page.includes(index));
      }
      // a question still too tall alone takes the whole width: its title beside its chart
      for (const page of this.pages) {
        if (page.length !== 1) continue;
        this.showOnly(page);
        if (!this.fits()) nodes[page[0]].classList.add("live-section--wide");
      }
    }
    this.page = Math.min(this.page, Math.max(this.pages.length - 1, 0));
    this.showPage();
  }

  fits() {
    // the live block's bottom edge in the page (whatever the scroll) within the window
    let top = this.root.getBoundingClientRect().top;
    for (let node = this.root.parentElement; node; node = node.parentElement) top += node.scrollTop;
    return top + this.root.offsetHeight + FIT_MARGIN <= window.innerHeight;
  }

  showOnly(indexes) {
    [...this.sections.children].forEach((node, index) => {
      node.hidden = !indexes.includes(index);
    });
    this.showLegend(indexes);
  }

  showLegend(indexes) {
    // the colours' key once above the charts shown (rather than under each one)
    const nodes = [...this.sections.children];
    const keyed = nodes.find((node, index) => indexes.includes(index) && node.legendItems);
    if (keyed !== this.legendFor) {
      this.stageLegend.replaceChildren(...(keyed ? [this.legend(keyed.legendItems)] : []));
      this.legendFor = keyed;
    }
    this.stageLegend.hidden = !keyed;
  }

  showPage() {
    const count = this.pages.length;
    const nodes = [...this.sections.children];
    const shown = count ? this.pages[this.page] : nodes.map((_, index) => index);
    nodes.forEach((node, index) => {
      const hidden = !shown.includes(index);
      if (node.hidden && !hidden) node.classList.add("live-page-enter");
      node.hidden = hidden;
    });
    this.showLegend(shown);
    this.root.dataset.livePages = String(Math.max(count, 1));
    this.root.dataset.livePage = String(this.page + 1);
    this.pager.hidden = count < 2;
    this.pagerText.textContent = `${this.page + 1} / ${count}`;
    this.pagerLabel.textContent = (this.texts().page || "")
      .replace("{current}", String(this.page + 1))
      .replace("{total}", String(count));
    if (count < 2) {
      clearInterval(this.pageTimer);
      this.pageTimer = null;
    } else if (!this.pageTimer) {
      this.pageTimer = setInterval(() => this.turn(1), PAGE_MS);
    }
  }

  turn(step) {
    const count = this.pages.length;
    if (count < 2) return;
    this.page = (this.page + step + count) % count;
    this.showPage();
  }

  pageKey(e) {
    const step = PAGE_KEYS[e.key];
    if (!step || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || this.pages.length < 2)
      return;
    const target = e.target instanceof Element ? e.target : null;
    if (target && target.closest("input, textarea, select, [contenteditable], [role='slider']"))
      return; // the key belongs to a field
    e.preventDefault();
    this.turn(step);
    clearInterval(this.pageTimer); // the presenter moved: a full turn before the next move
    this.pageTimer = setInterval(() => this.turn(1), PAGE_MS);
  }

  section(section) {
    const stage = this.data.view === "stage";
    const node = el("section", { class: "live-section", "data-section": section.id });
    if (section.title) {
      const title = el("h2", { class: "live-title" }, section.title);
      // the projector: a single statement's bar carries its text already (read once, not twice)
      const values = (section.chart && section.chart.values) || [];
      const rows = new Set(values.map((v) => v.statement).filter(Boolean));
      const only = rows.size === 1 ? [...rows][0].replace(/\s+/g, " ") : null;
      if (stage && only === section.title.replace(/\s+/g, " ")) title.classList.add("live-sr");
      node.append(title);
    }
    if (section.intro) node.append(el("p", { class: "live-intro" }, section.intro));
    if (section.chart) {
      const figure = el("figure", {
        class: "live-chart",
        role: "img",
        "aria-label": section.chart.alt,
      });
      const holder = el("div", { class: "live-vega" });
      figure.append(holder);
      node.append(figure);
      if (section.chart.legend) node.append(this.legend(section.chart.legend));
      node.legendItems = section.chart.legend;
      this.drawing.push(this.draw(section, holder));
    }
    if (section.note) node.append(el("p", { class: "live-note" }, section.note));
    if (section.table) {
      const table = this.table(section.table);
      if (section.chart && stage) {
        // the projector shows the chart; its figures stay in the page for screen readers
        table.classList.add("live-sr");
        table.removeAttribute("tabindex");
        node.append(table);
      } else if (section.chart) {
        const details = el("details", { class: "live-table-details" });
        details.append(el("summary", {}, this.texts().show_table), table);
        details.open = !stage && window.matchMedia(WIDE).matches;
        node.append(details);
      } else {
        // the section heading already says what the table is: keep the caption for screen readers
        if (section.table.caption === section.title || section.table.caption === section.intro) {
          table.querySelector("caption").className = "live-sr";
        }
        node.append(table);
      }
    }
    return node;
  }

  legend(items) {
    const list = el("ul", { class: "live-legend", "aria-label": this.texts().legend });
    for (const item of items) {
      const entry = el("li", {});
      const swatch = el("span", { class: "live-swatch", "aria-hidden": "true" });
      swatch.style.background = item.colour;
      entry.append(swatch, el("span", {}, item.label));
      list.append(entry);
    }
    return list;
  }

  table(spec) {
    const wrap = el("div", {
      class: "live-table-wrap",
      role: "region",
      tabindex: "0",
      "aria-label": spec.caption,
    });
    const table = el("table", { class: "live-table" });
    table.append(el("caption", {}, spec.caption));
    const head = el("thead");
    const headRow = el("tr");
    for (const column of spec.columns) headRow.append(el("th", { scope: "col" }, column));
    head.append(headRow);
    const body = el("tbody");
    for (const row of spec.rows) {
      const tr = el("tr");
      row.forEach((cell, index) => tr.append(el(index ? "td" : "th", index ? {} : { scope: "row" }, cell)));
      body.append(tr);
    }
    table.append(head, body);
    wrap.append(table);
    return wrap;
  }

  async draw(section, holder) {
    const spec = this.specs[section.chart.spec];
    if (!spec) return;
    let lib;
    try {
      lib = await loadVega(this.data.vega);
    } catch {
      holder.textContent = "";
      return; // the table below carries the figures
    }
    const existing = this.views.get(section.id);
    const key = `${this.specsId}:${section.chart.spec}`;
    if (existing && existing.key === key) {
      // keep the drawn chart: move it into the new section and change its data only
      holder.replaceWith(existing.holder);
      existing.view.data("values", section.chart.values);
      await existing.view.resize().runAsync();
      return;
    }
    if (existing) this.drop(existing);
    const quiet = lib.vega.logger(lib.vega.None);
    const runtime = lib.vega.parse(lib.vegaLite.compile(spec, { logger: quiet }).spec);
    const view = new lib.vega.View(runtime, {
      renderer: "svg",
      container: holder,
      hover: false,
      logLevel: lib.vega.None,
      locale: { number: this.payload.number_locale },
    });
    view.data("values", section.chart.values);
    this.views.set(section.id, { view, key, holder });
    this.resizer.observe(holder);
    await view.runAsync();
  }

  // Vega-Lite's "container" width follows window resizes only; a holder that changes width on
  // its own (the sidebar hidden for the projector, the folded sections opened, fonts loaded)
  // would leave the chart drawn at its old width and scaled by CSS, shrinking every label.
  fitWidths(entries) {
    for (const { target } of entries) {
      for (const entry of this.views.values()) {
        if (entry.holder !== target) continue;
        // whole pixels, never wider than the holder (clientWidth rounds 1099.9 up to 1100)
        const width = Math.floor(target.getBoundingClientRect().width);
        if (width > 0 && entry.view.width() !== width) entry.view.width(width).runAsync();
      }
    }
  }

  drop(entry) {
    this.resizer.unobserve(entry.holder);
    entry.view.finalize();
  }

  renderIdeas(payload, wall) {
    const ideas = payload.ideas;
    this.ideas.replaceChildren();
    if (!wall && !ideas.count) return;
    this.ideas.append(el("h2", { class: "live-title" }, ideas.title));
    if (!wall) this.ideas.append(el("p", { class: "live-intro" }, ideas.count_text));
    if (wall && !ideas.items.length) {
      this.ideas.append(el("p", { class: "live-note" }, ideas.empty));
      return;
    }
    if (wall) this.ideas.append(el("p", { class: "live-intro" }, ideas.wall_count));
    const grid = el("ul", { class: "live-wall" });
    for (const idea of ideas.items) {
      const card = el("li", { class: "live-idea", lang: idea.lang, dir: "auto" });
      card.append(el("span", { class: "live-idea-text" }, idea.text));
      if (idea.language) // only where the language's group is published (inclucities/public_ideas.py)
        card.append(
          el("span", { class: "live-idea-lang", "aria-label": idea.written_in, lang: this.data.lang }, idea.language),
        );
      grid.append(card);
    }
    this.ideas.append(grid);
  }

  renderClouds(payload) {
    // a word cloud is a list of words whose font size follows their count (--weight, 0 to 1);
    // the browser lays the words out, so Arabic and Cyrillic words are shaped as in any text
    const clouds = payload.clouds || [];
    this.clouds.replaceChildren();
    this.clouds.hidden = clouds.length === 0;
    for (const cloud of clouds) {
      const node = el("section", { class: "live-section live-cloud-section", "data-section": cloud.id });
      node.append(el("h2", { class: "live-title" }, cloud.title));
      node.append(el("p", { class: "live-intro" }, cloud.intro));
      if (!cloud.words.length) {
        node.append(el("p", { class: "live-note" }, cloud.empty));
        this.clouds.append(node);
        continue;
      }
      const figure = el("figure", { class: "live-cloud-figure" });
      const list = el("ul", { class: "live-cloud", "aria-label": cloud.alt, "data-testid": "live-cloud" });
      for (const word of cloud.words) {
        const item = el("li", { class: "live-word", lang: word.lang, dir: word.dir, "data-count": word.count });
        item.style.setProperty("--weight", String(word.weight));
        item.append(el("span", { "aria-hidden": "true" }, word.text), el("span", { class: "live-sr" }, word.label));
        list.append(item);
      }
      figure.append(list);
      node.append(figure);
      const details = el("details", { class: "live-table-details" });
      details.append(el("summary", {}, this.texts().show_table), this.table(cloud.table));
      details.open = this.data.view === "results" && window.matchMedia(WIDE).matches;
      node.append(details);
      this.clouds.append(node);
    }
  }

  renderTopIdeas(payload) {
    // the wall: pinned ideas first, then the most supported; a long idea is cut after a few
    // lines on screen (the whole text stays in the page for screen readers), and the long ones
    // take turns being shown whole, across the wall's width; no language name
    clearInterval(this.focusTimer);
    const ideas = payload.ideas;
    const top = ideas.top || [];
    this.ideas.hidden = !top.length && (payload.clouds || []).length > 0; // one-word answers only
    this.ideas.replaceChildren(el("h2", { class: "live-title" }, ideas.top_title));
    if (!top.length) {
      this.ideas.append(el("p", { class: "live-note" }, ideas.empty));
      return;
    }
    this.ideas.append(el("p", { class: "live-intro" }, ideas.wall_count));
    const grid = el("ol", { class: "live-wall live-wall--top" });
    for (const idea of top) {
      const card = el("li", {
        class: idea.pinned ? "live-idea live-idea--pinned" : "live-idea",
        "data-idea": idea.id,
        "data-supports": idea.support_count,
      });
      card.append(el("p", { class: "live-idea-text", lang: idea.lang, dir: "auto" }, idea.text));
      const meta = el("p", { class: "live-idea-meta" });
      if (idea.pinned) meta.append(el("span", { class: "live-idea-pin" }, idea.pinned));
      meta.append(el("span", { class: "live-idea-supports" }, idea.supports));
      card.append(meta);
      grid.append(card);
    }
    this.ideas.append(grid);
    requestAnimationFrame(() => this.rotateLongIdeas(grid));
  }

  rotateLongIdeas(grid) {
    // the cards whose text is cut; each in turn shown whole for FOCUS_MS
    const cut = [...grid.querySelectorAll(".live-idea")].filter((card) => {
      const text = card.querySelector(".live-idea-text");
      return text.scrollHeight > text.clientHeight + 1;
    });
    if (!cut.length) return;
    let turn = 0;
    const show = () => {
      for (const card of cut) card.classList.toggle("live-idea--focus", card === cut[turn]);
      turn = (turn + 1) % cut.length;
    };
    show();
    if (cut.length > 1) this.focusTimer = setInterval(show, FOCUS_MS);
  }

  close() {
    this.closed = true;
    document.removeEventListener("visibilitychange", this.onVisibility);
    clearTimeout(this.timer);
    clearInterval(this.focusTimer);
    clearInterval(this.pageTimer);
    clearTimeout(this.resizeTimer);
    if (this.onKey) document.removeEventListener("keydown", this.onKey);
    if (this.onResize) window.removeEventListener("resize", this.onResize);
    clearTimeout(this.watchdog);
    if (this.source) this.source.close();
    for (const entry of this.views.values()) this.drop(entry);
    this.views.clear();
    this.resizer.disconnect();
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(":scope > .live");
  if (!root) {
    root = el("div", { class: "live" });
    parentElement.append(root);
  }
  // Streamlit calls this again on every rerun of the page (without the previous cleanup) and
  // calls the latest cleanup once, when the element goes away.
  const current = root.__live;
  if (current && current.data.url === data.url && current.data.view === data.view) {
    current.data.revealed = data.revealed; // a rerun with the same stream: keep what is drawn
    current.trigger = setTriggerValue;
  } else {
    if (current) current.close();
    root.__live = new LiveScreen(root, { ...data }, setTriggerValue);
  }
  return () => {
    if (root.__live) root.__live.close();
    root.__live = null;
  };
}

// For the unit tests (tests/js, `node --test`); st.components.v2 uses only the default export.
export { el, fill, clock };
