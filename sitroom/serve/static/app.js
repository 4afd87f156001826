// Live updates: new and edited posts arrive as server-sent events and are inserted into the
// timeline. Page text is only ever written with textContent, never parsed as HTML.
(function () {
  "use strict";
  const live = document.getElementById("live");
  const list = document.getElementById("posts");
  if (!window.EventSource) return;
  const after = document.body.dataset.changeId || "";
  const source = new EventSource("/api/stream" + (after ? "?after=" + encodeURIComponent(after) : ""));
  source.addEventListener("hello", () => live && live.classList.add("on"));
  source.onerror = () => live && live.classList.remove("on");

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function hhmm(iso) {
    if (!iso) return "—";
    const d = new Date(iso);
    return String(d.getUTCHours()).padStart(2, "0") + ":" + String(d.getUTCMinutes()).padStart(2, "0");
  }

  function render(post) {
    const art = el("article", "post new");
    art.id = "post-" + post.id;
    art.dataset.published = post.published || "";
    const when = el("div", "when");
    when.appendChild(el("time", null, hhmm(post.published)));
    const what = el("div", "what");
    const meta = el("div", "meta");
    meta.appendChild(el("span", "src", post.outlet || String(post.source).split("/").pop()));
    for (const label of post.labels || []) {
      meta.appendChild(el("span", "badge badge-" + String(label).toLowerCase().replace(/[^a-z0-9]+/g, "-"), label));
    }
    if (post.version > 1) meta.appendChild(el("span", "badge badge-edited", "edited · v" + post.version));
    what.appendChild(meta);
    const h3 = el("h3");
    const link = el("a", null, post.title || "(untitled)");
    link.href = "/posts/" + encodeURIComponent(post.id);
    h3.appendChild(link);
    what.appendChild(h3);
    if (post.bylines && post.bylines.length) {
      what.appendChild(el("div", "byline", post.bylines.map((b) => b.name + (b.role ? ", " + b.role : "")).join(" · ")));
    }
    const body = el("div", "body");
    for (const para of String(post.body || "").split("\n\n").slice(0, 3)) body.appendChild(el("p", null, para));
    what.appendChild(body);
    art.append(when, what);
    return art;
  }

  // Pages computed from the whole record (disputes, indicators) redraw when news arrives.
  let reloadTimer = null;
  source.addEventListener("post", (event) => {
    if (document.body.dataset.refresh === "reload") {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => window.location.reload(), 1000);
      return;
    }
    const post = JSON.parse(event.data);
    if (live) { live.classList.add("flash"); setTimeout(() => live.classList.remove("flash"), 1500); }
    if (!list) return;
    const fresh = render(post);
    const old = document.getElementById("post-" + post.id);
    if (old) { old.replaceWith(fresh); return; }
    // Keep newest first: insert before the first post older than this one.
    const t = post.published || "";
    const later = Array.from(list.querySelectorAll("article.post")).find((a) => (a.dataset.published || "") < t);
    if (later) later.before(fresh); else list.appendChild(fresh);
    const note = document.getElementById("new-posts");
    if (note) { note.hidden = false; note.textContent = "New: " + (post.title || "post") + " (" + hhmm(post.published) + ")"; }
  });
})();
