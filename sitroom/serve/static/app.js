// The pages' one script: the phone menu, and live updates over server-sent events.
// A post event carries the post rendered by the server from the same template as the page
// (_post.html, autoescaped), so a live post looks exactly like one that was there on load;
// it is parsed with DOMParser, which never runs scripts, and the CSP forbids inline ones.
(function () {
  "use strict";
  const header = document.querySelector("header.top");
  const toggle = document.querySelector(".nav-toggle");
  if (toggle && header) {
    toggle.addEventListener("click", () => {
      const open = header.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  const live = document.getElementById("live");
  const list = document.getElementById("posts");
  const bar = document.getElementById("new-posts");
  const announce = document.getElementById("announce");
  const baseTitle = document.title;
  if (!window.EventSource) return;
  const after = document.body.dataset.changeId || "";
  const source = new EventSource("/api/stream" + (after ? "?after=" + encodeURIComponent(after) : ""));
  source.addEventListener("hello", () => live && live.classList.add("on"));
  source.onerror = () => live && live.classList.remove("on");

  const fresh = new Set(); // posts that arrived since the reader last caught up
  const edited = new Set(); // posts that were on the page and have a new version
  const arrivedHere = new Set(); // every post that arrived over the stream on this page
  const parser = new DOMParser();

  function parse(html) {
    return parser.parseFromString(html, "text/html").body;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function showBar() {
    const unread = fresh.size + edited.size;
    document.title = unread ? "(" + unread + ") " + baseTitle : baseTitle;
    if (!bar) return;
    if (!unread) { bar.hidden = true; return; }
    const parts = [];
    if (fresh.size) parts.push(fresh.size + " new");
    if (edited.size) parts.push(edited.size + " edited");
    bar.textContent = parts.join(", ") + " — show " + (unread === 1 ? "it" : "them");
    bar.hidden = false;
  }

  function say(text) {
    if (!announce) return;
    announce.textContent = "";
    setTimeout(() => { announce.textContent = text; }, 50);
  }

  if (bar) {
    bar.addEventListener("click", () => {
      const ids = new Set([...fresh, ...edited]);
      const target = Array.from(list.querySelectorAll("article.post")).find((a) => ids.has(a.id));
      fresh.clear(); edited.clear(); showBar();
      if (target) {
        target.setAttribute("tabindex", "-1");
        target.scrollIntoView({ block: "start" });
        target.focus({ preventScroll: true });
      }
    });
  }

  function insert(node) {
    const t = node.dataset.published || "";
    const later = Array.from(list.querySelectorAll("article.post")).find((a) => (a.dataset.published || "") < t);
    if (later) later.before(node); else list.appendChild(node);
    const empty = document.getElementById("no-posts");
    if (empty) empty.remove();
  }

  // The briefing and the counts are recomputed on the server in the background (the server
  // answers with its last value until the new one is ready), so they are fetched a moment
  // after the last of a burst of posts and again a little later; a late answer to an earlier
  // fetch never replaces a newer one.
  let refreshTimers = [];
  let asked = 0;
  let shown = 0;
  function fetchBriefing() {
    const n = ++asked;
    fetch("/fragments/briefing" + window.location.search)
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        if (n < shown) return;
        shown = n;
        const doc = parse(html);
        for (const id of ["brief", "post-count"]) {
          const now = document.getElementById(id);
          const next = doc.querySelector("#" + id);
          if (now && next && now.outerHTML !== next.outerHTML) now.replaceWith(next);
        }
      })
      .catch(() => live && live.classList.remove("on"));
  }
  function refreshBriefing() {
    refreshTimers.forEach(clearTimeout);
    refreshTimers = [600, 3000, 8000, 20000].map((ms) => setTimeout(fetchBriefing, ms));
  }

  // Pages computed from the whole record (figures, disputes, indicators) redraw on news.
  let reloadTimer = null;
  source.addEventListener("post", (event) => {
    if (document.body.dataset.refresh === "reload") {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => window.location.reload(), 1000);
      return;
    }
    const post = JSON.parse(event.data);
    if (live) { live.classList.add("flash"); setTimeout(() => live.classList.remove("flash"), 1500); }
    if (!list || !post.html) return;
    const node = parse(post.html).querySelector("article.post");
    if (!node) return;
    const old = document.getElementById(node.id);
    if (old) {
      const wasNew = arrivedHere.has(node.id);
      node.classList.add(wasNew ? "new" : "edited-now");
      old.replaceWith(node);
      if (!wasNew) edited.add(node.id);
      say("Edited: " + (post.title || "a post") + ", now version " + post.version);
    } else {
      node.classList.add("new");
      insert(node);
      fresh.add(node.id);
      arrivedHere.add(node.id);
      say("New post: " + (post.title || "untitled"));
    }
    showBar();
    refreshBriefing();
  });
})();
