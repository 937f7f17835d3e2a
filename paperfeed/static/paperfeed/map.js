// The map page: every paper as a point (deck.gl, WebGL), coloured by topic, with topic labels; hover shows the
// title, click opens a card with a link to the paper and, for a signed-in reader, "Like for For you" (the start
// panel's upvote, posted to the paper's vote URL with the card's own CSRF form, no reload); a search, the
// reader's own papers, their For-you top papers and this week's trending papers are lit on top, and a window
// (week / month / all) dims the papers outside it. Data: /api/v1/topics/points (parallel arrays) and
// /map/overlay.json (lists of arXiv ids). The form works without this script (it reloads the page).
(function () {
  "use strict";
  const root = document.getElementById("map");
  if (!root || !window.deck) return;
  const status = document.getElementById("map-status");
  const tip = document.getElementById("map-tip");
  const form = document.querySelector(".map-controls");
  const card = document.getElementById("map-card");
  const like = document.getElementById("map-like");
  const liked = document.getElementById("map-liked");
  // Tableau 20, its ten strong colours first, so neighbouring topic numbers differ in hue, not only in shade.
  const PALETTE = [
    [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189], [140, 86, 75],
    [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207], [174, 199, 232], [255, 187, 120],
    [152, 223, 138], [255, 152, 150], [197, 176, 213], [196, 156, 148], [247, 182, 210], [199, 199, 199],
    [219, 219, 141], [158, 218, 229],
  ];
  const LIT = { search: [230, 20, 20], mine: [20, 20, 20], for_you: [120, 60, 220], trending: [255, 200, 0] };
  const DAYS = { week: 7, month: 30 };
  const titles = new Map();
  let data = null;
  let overlay = { search: [], mine: [], for_you: [], trending: [] };
  let deckgl = null;
  let windowName = root.dataset.window || "all";

  function say(text) {
    status.textContent = text;
    status.hidden = !text;
  }

  function indexOf(ids) {
    const out = [];
    for (const id of ids) {
      const i = data.index.get(id);
      if (i !== undefined) out.push(i);
    }
    return out;
  }

  function colours() {
    const n = data.count;
    const out = new Uint8Array(n * 4);
    const dimAll = overlay.search.length > 0;
    const last = data.lastDay;
    const from = DAYS[windowName] ? last - DAYS[windowName] + 1 : -Infinity;
    for (let i = 0; i < n; i++) {
      const c = PALETTE[data.topic[i] >= 0 ? data.topic[i] % PALETTE.length : 7];
      const inWindow = data.day[i] >= from;
      out[i * 4] = c[0];
      out[i * 4 + 1] = c[1];
      out[i * 4 + 2] = c[2];
      out[i * 4 + 3] = dimAll || !inWindow ? 40 : 200;
    }
    return out;
  }

  function litPoints() {
    const points = [];
    for (const kind of ["trending", "for_you", "mine", "search"]) {
      for (const i of indexOf(overlay[kind])) points.push({ i, kind });
    }
    return points;
  }

  function layers() {
    const lit = litPoints();
    return [
      new deck.ScatterplotLayer({
        id: "papers",
        data: {
          length: data.count,
          attributes: {
            getPosition: { value: data.positions, size: 2 },
            getFillColor: { value: data.colours, size: 4 },
          },
        },
        radiusUnits: "pixels",
        getRadius: 2.5,
        radiusMinPixels: 1.5,
        pickable: true,
        autoHighlight: true,
        highlightColor: [0, 0, 0, 255],
        updateTriggers: { getFillColor: [windowName, overlay.search.length] },
      }),
      new deck.ScatterplotLayer({
        id: "lit",
        data: lit,
        getPosition: (p) => [data.x[p.i], data.y[p.i]],
        getFillColor: (p) => LIT[p.kind],
        getLineColor: [255, 255, 255],
        stroked: true,
        lineWidthUnits: "pixels",
        getLineWidth: 1,
        radiusUnits: "pixels",
        getRadius: (p) => (p.kind === "search" ? 5 : 4),
        pickable: true,
      }),
      new deck.TextLayer({
        id: "labels",
        data: data.topics,
        getPosition: (t) => [t.x, t.y],
        getText: (t) => t.label.split(", ").slice(0, 2).join(", "), // the first two words; the topic page has all
        getSize: 12,
        getColor: [20, 20, 20],
        background: true,
        getBackgroundColor: [255, 255, 255, 190],
        backgroundPadding: [3, 1],
        fontFamily: "system-ui, sans-serif",
        characterSet: "auto",
        pickable: false,
        // Overlapping labels hide behind bigger topics' labels; zooming in makes room and shows them.
        extensions: [new deck.CollisionFilterExtension()],
        collisionEnabled: true,
        getCollisionPriority: (t) => Math.log(1 + t.size),
        collisionTestProps: { sizeScale: 1.5 },
      }),
    ];
  }

  function redraw() {
    data.colours = colours();
    deckgl.setProps({ layers: layers() });
    root.dataset.lit = String(indexOf(overlay.search).length);
    root.dataset.mine = String(indexOf(overlay.mine).length);
    root.dataset.forYou = String(indexOf(overlay.for_you).length);
  }

  function pointIndex(info) {
    if (!info || info.index < 0 || !info.layer) return -1;
    if (info.layer.id === "lit") return info.object ? info.object.i : -1;
    return info.layer.id === "papers" ? info.index : -1;
  }

  async function title(id) {
    if (!titles.has(id)) {
      titles.set(
        id,
        fetch(`/api/v1/papers/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } })
          .then((r) => (r.ok ? r.json() : { title: id }))
          .then((p) => p.title || id)
          .catch(() => id),
      );
    }
    return titles.get(id);
  }

  async function hover(info) {
    const i = pointIndex(info);
    if (i < 0) {
      tip.hidden = true;
      root.classList.remove("pointing");
      return;
    }
    root.classList.add("pointing");
    const id = data.ids[i];
    tip.dataset.id = id;
    tip.style.left = `${info.x + 12}px`;
    tip.style.top = `${info.y + 12}px`;
    tip.textContent = id;
    tip.hidden = false;
    const text = await title(id);
    if (tip.dataset.id === id) {
      const t = data.topics[data.topic[i]];
      tip.textContent = t ? `${text} — ${t.label}` : text;
    }
  }

  function showLiked(isLiked) {
    if (like) like.hidden = isLiked;
    if (liked) liked.hidden = !isLiked;
  }

  async function click(info) {
    const i = pointIndex(info);
    if (i < 0) {
      card.hidden = true;
      return;
    }
    const id = data.ids[i];
    const link = document.getElementById("map-card-link");
    card.dataset.id = id;
    link.href = `/papers/${id}`;
    link.textContent = id;
    const t = data.topics[data.topic[i]];
    document.getElementById("map-card-topic").textContent = t ? t.label : "";
    if (like) like.setAttribute("action", `/papers/${encodeURIComponent(id)}/vote`);
    showLiked(overlay.mine.includes(id));
    card.hidden = false; // shown before it is placed: a hidden card has no size to keep inside the map
    card.style.left = `${Math.max(4, Math.min(info.x + 8, root.clientWidth - card.offsetWidth - 4))}px`;
    card.style.top = `${Math.max(4, Math.min(info.y + 8, root.clientHeight - card.offsetHeight - 4))}px`;
    tip.hidden = true;
    const text = await title(id);
    if (card.dataset.id === id) link.textContent = text;
  }

  // The like is the start panel's upvote: the vote URL, the same fetch the other small forms use (forms.js), the
  // card form's CSRF token. The overlay is fetched again, so the reader's For-you top papers follow the like.
  if (like && window.paperfeed && window.paperfeed.enhance) {
    window.paperfeed.enhance("form.map-like", async (_form, response) => {
      if (response.status === 401 || response.status === 403) {
        window.location = "/accounts/login/?next=" + encodeURIComponent(location.pathname + location.search);
        return;
      }
      if (!response.ok) {
        say("The like was not saved; try again.");
        return;
      }
      const body = await response.json();
      const id = card.dataset.id;
      showLiked(body.voted);
      if (body.voted && !overlay.mine.includes(id)) overlay.mine = overlay.mine.concat([id]);
      await loadOverlay(form ? form.elements.q.value.trim() : root.dataset.q);
      redraw();
      root.dataset.liked = id;
    });
  }
  document.getElementById("map-card-close").addEventListener("click", () => {
    card.hidden = true;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") card.hidden = true;
  });

  async function loadOverlay(q) {
    const url = new URL(root.dataset.overlay, window.location.origin);
    if (q) url.searchParams.set("q", q);
    url.searchParams.set("window", windowName);
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await r.json();
    if (!r.ok) {
      say(body.error ? body.error.message : "The search failed.");
      overlay = { search: [], mine: overlay.mine, for_you: overlay.for_you, trending: overlay.trending };
      return;
    }
    overlay = body;
    const found = indexOf(body.search).length;
    if (q) say(found ? `${found} result${found === 1 ? "" : "s"} for “${q}” lit in red.` : `Nothing on the map matches “${q}”.`);
    else say(`${data.count.toLocaleString()} papers in ${data.topics.length} topics.`);
  }

  function unpack(raw) {
    const n = raw.count;
    const positions = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      positions[i * 2] = raw.x[i];
      positions[i * 2 + 1] = raw.y[i];
    }
    const index = new Map();
    raw.ids.forEach((id, i) => index.set(id, i));
    let lastDay = -1;
    for (const d of raw.day) if (d > lastDay) lastDay = d;
    return { ...raw, positions, index, lastDay };
  }

  function fitZoom() {
    const size = Math.min(root.clientWidth, root.clientHeight) || 400;
    return Math.log2((size * 0.92) / 100);
  }

  async function start() {
    let raw;
    try {
      const r = await fetch(root.dataset.points, { headers: { Accept: "application/json" } });
      raw = await r.json();
      if (!r.ok) throw new Error(raw.error ? raw.error.message : `HTTP ${r.status}`);
    } catch (err) {
      say(`The map could not be loaded: ${err.message}`);
      return;
    }
    data = unpack(raw);
    if (!data.count) {
      say("The map has no papers yet.");
      return;
    }
    data.colours = colours();
    deckgl = new deck.Deck({
      parent: root,
      views: new deck.OrthographicView({ flipY: true }),
      initialViewState: { target: [50, 50, 0], zoom: fitZoom(), minZoom: fitZoom() - 1, maxZoom: 12 },
      controller: { doubleClickZoom: true, scrollZoom: true },
      layers: layers(),
      onHover: hover,
      onClick: click,
      getCursor: ({ isDragging }) => (isDragging ? "grabbing" : root.classList.contains("pointing") ? "pointer" : "grab"),
      onAfterRender: () => {
        if (root.dataset.state !== "ready") root.dataset.state = "ready";
      },
    });
    root.paperfeedMap = {
      // Where a paper's point is on screen (CSS pixels inside #map), for keyboard-less checks and tests.
      screenPosition(id) {
        const i = data.index.get(id);
        if (i === undefined) return null;
        const viewport = deckgl.getViewports()[0];
        return viewport.project([data.x[i], data.y[i]]);
      },
      ids: data.ids,
    };
    await loadOverlay(root.dataset.q);
    redraw();
  }

  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const q = form.elements.q.value.trim();
      const url = new URL(window.location.href);
      url.searchParams.set("q", q);
      url.searchParams.set("window", windowName);
      window.history.replaceState(null, "", url);
      if (data) {
        await loadOverlay(q);
        redraw();
      }
    });
    form.querySelectorAll("input[name=window]").forEach((radio) =>
      radio.addEventListener("change", async () => {
        windowName = radio.value;
        const url = new URL(window.location.href);
        url.searchParams.set("window", windowName);
        window.history.replaceState(null, "", url);
        if (!data) return;
        // A signed-in reader's For-you top papers are those of the window (week or month).
        if (root.dataset.signedIn === "1") await loadOverlay(form.elements.q.value.trim());
        redraw();
      }),
    );
  }
  start();
})();
