// Search as you type, keyboard navigation. Every text from the termbase goes into the page
// with textContent, never as HTML: terms and contexts come from scraped pages.
"use strict";

(function () {
  const DEBOUNCE_MS = 150;

  function element(tag, className, text, lang) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    if (lang) node.lang = lang;
    return node;
  }

  function resultItem(match, selected) {
    const item = element("li");
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", selected ? "true" : "false");
    const link = element("a");
    link.href = match.url;
    link.append(element("span", "term", match.term, "zh-Hans"));
    if (match.traditional && match.traditional !== match.term) {
      link.append(element("span", "trad", match.traditional, "zh-Hant"));
    }
    link.append(element("span", "pinyin", match.pinyin));
    link.append(element("span", "english", match.english || "(no English yet)"));
    link.append(element("span", "label", match.english_source));
    if (match.gloss && !match.english) link.append(element("span", "gloss", "gloss: " + match.gloss));
    link.append(element("span", "meta",
      [match.category, match.frequency + "×", match.status, match.matched_by].filter(Boolean).join(" · ")));
    if (match.context) {
      const context = element("span", "context", null, "zh-Hans");
      context.append(document.createTextNode(match.context.before), element("mark", null, match.context.hit),
                     document.createTextNode(match.context.after));
      link.append(context);
    }
    item.append(link);
    return item;
  }

  function setupSearch(input) {
    const results = document.getElementById("results");
    const summary = document.getElementById("summary");
    const suggestions = document.getElementById("suggestions");
    const api = input.dataset.api;
    let timer = null;
    let controller = null;
    let latest = 0;
    let waiting = false;  // a search typed but not answered yet
    let openWhenShown = false;  // Enter pressed before the answer came

    function items() { return Array.from(results.querySelectorAll("li")); }
    function selectedIndex() { return items().findIndex((li) => li.getAttribute("aria-selected") === "true"); }
    function select(index) {
      const all = items();
      if (!all.length) return;
      index = Math.max(0, Math.min(all.length - 1, index));
      all.forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
      all[index].scrollIntoView({ block: "nearest" });
    }

    function show(data) {
      const matches = data.matches || [];
      results.replaceChildren(...matches.map((match, i) => resultItem(match, i === 0)));
      const count = matches.length;
      summary.textContent = data.error ? "error: " + data.error
        : count ? count + (count === 1 ? " entry" : " entries") : "no entry matches " + JSON.stringify(data.query);
      suggestions.replaceChildren();
      if (!count && !data.error) suggest(data.query);
      if (openWhenShown && count) window.location.href = results.querySelector("a").href;
      openWhenShown = false;
    }

    function suggest(query) {
      const ticket = latest;
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then((response) => response.json())
        .then((data) => { if (ticket === latest) showSuggestions(data.suggestions || []); })
        .catch(() => {});
    }

    function showSuggestions(labels) {
      suggestions.replaceChildren();
      if (labels.length) {
        suggestions.append("Did you mean: ");
        labels.forEach((label, i) => {
          const link = element("a", null, label);
          const term = label.split(" (")[0];
          link.href = "?q=" + encodeURIComponent(term);
          link.addEventListener("click", (event) => { event.preventDefault(); input.value = term; run(); });
          if (i) suggestions.append(", ");
          suggestions.append(link);
        });
      }
    }

    function run() {
      const query = input.value.trim();
      const url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
      if (controller) controller.abort();
      if (!query) {
        waiting = false;
        results.replaceChildren(); summary.textContent = ""; suggestions.replaceChildren();
        return;
      }
      controller = new AbortController();
      const ticket = ++latest;
      waiting = true;
      fetch(api + "?q=" + encodeURIComponent(query), { signal: controller.signal, credentials: "same-origin" })
        .then((response) => response.json())
        .then((data) => { if (ticket === latest) { waiting = false; show(data); } })
        .catch((error) => {
          if (error.name !== "AbortError") { waiting = false; summary.textContent = "error: " + error.message; }
        });
    }

    input.addEventListener("input", () => {
      waiting = true;
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    });
    input.form.addEventListener("submit", (event) => {
      // Enter opens the chosen entry (the first answer to what is typed, when it is on its way).
      if (waiting && input.value.trim()) {
        event.preventDefault();
        openWhenShown = true;
        clearTimeout(timer);
        run();
        return;
      }
      const all = items();
      if (all.length) {
        event.preventDefault();
        const chosen = all[Math.max(0, selectedIndex())].querySelector("a");
        window.location.href = chosen.href;
      }
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") { event.preventDefault(); select(selectedIndex() + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select(selectedIndex() - 1); }
      else if (event.key === "Escape") { input.value = ""; run(); }
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
    event.preventDefault();
    const input = document.getElementById("q");
    if (input) { input.focus(); input.select(); }
    else window.location.href = document.querySelector("a.brand").href;
  });

  document.addEventListener("DOMContentLoaded", () => {
    const input = document.getElementById("q");
    if (input) setupSearch(input);
  });
})();
