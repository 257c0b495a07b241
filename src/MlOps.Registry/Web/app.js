// MlOps registry page: plain DOM, no framework, no build step. All data comes from /api with the user's key,
// kept in sessionStorage (never in the URL). Buttons appear only for roles that may use them; the API enforces
// the same rules regardless.
"use strict";

const state = { key: sessionStorage.getItem("mlops-api-key") || "", me: null };
const $ = (selector) => document.querySelector(selector);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { "X-Api-Key": state.key, "Content-Type": "application/json", ...(options.headers || {}) },
  });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch { /* not JSON */ }
    const error = new Error(detail);
    error.status = response.status;
    throw error;
  }
  return response.status === 204 ? null : response.json();
}

function showError(message) {
  const box = $("#error");
  box.textContent = message || "";
  box.hidden = !message;
}

const fmt = (v) => (typeof v === "number" ? (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4)) : v ?? "");
const when = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+/, "").replace("Z", "").replace("+00:00", "") : "");
const lowerIsBetter = new Set(["log_loss", "logloss", "brier", "mae", "rmse", "mse", "error_rate", "latency_ms"]);

function metricRows(challenger, champion) {
  const names = [...new Set([...Object.keys(challenger || {}), ...Object.keys(champion || {})])].sort();
  return names.map((name) => {
    const c = challenger?.[name];
    const h = champion?.[name];
    let cls = "";
    if (typeof c === "number" && typeof h === "number" && c !== h) {
      const better = lowerIsBetter.has(name) ? c < h : c > h;
      cls = better ? "better" : "worse";
    }
    return el("tr", {}, el("th", { scope: "row", text: name }), el("td", { class: "num", text: fmt(h) }), el("td", { class: `num ${cls}`, text: fmt(c) }));
  });
}

// A small grouped bar chart of the metrics both models have, values assumed on comparable scales.
function chart(challenger, champion, label, championName, challengerName) {
  const names = Object.keys(challenger || {}).filter((n) => typeof champion?.[n] === "number").sort();
  if (names.length === 0) return el("p", { text: "No metrics to compare." });
  const max = Math.max(...names.flatMap((n) => [Math.abs(challenger[n]), Math.abs(champion[n])]), 1e-9);
  const rowHeight = 34, width = 300, left = 80, barMax = width - left - 50;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${names.length * rowHeight + 10}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  names.forEach((name, i) => {
    const y = i * rowHeight + 5;
    const text = document.createElementNS(ns, "text");
    text.setAttribute("x", 0); text.setAttribute("y", y + 18); text.textContent = name;
    svg.append(text);
    [["champion", champion[name], 0], ["challenger", challenger[name], 13]].forEach(([who, value, dy]) => {
      const bar = document.createElementNS(ns, "rect");
      bar.setAttribute("x", left); bar.setAttribute("y", y + dy); bar.setAttribute("height", 11);
      bar.setAttribute("width", Math.max(1, (Math.abs(value) / max) * barMax)); bar.setAttribute("class", `bar-${who}`);
      const title = document.createElementNS(ns, "title");
      title.textContent = `${who} ${name}: ${fmt(value)}`;
      bar.append(title);
      svg.append(bar);
    });
  });
  // Without a legend the two bar colours mean nothing to someone who cannot hover the bars' titles.
  const legend = el("p", { class: "legend", "aria-hidden": "true" },
    el("span", { class: "swatch bar-champion" }), championName, " ",
    el("span", { class: "swatch bar-challenger" }), challengerName);
  return el("figure", { class: "chart" }, svg, legend);
}

function promotionCard(p) {
  const e = p.evidence || {};
  const headingId = `promotion-${p.id}`;
  const card = el("article", { class: "promotion", "aria-labelledby": headingId, "data-promotion-id": p.id },
    el("h3", { id: headingId, text: `${p.model}: version ${p.version} → champion${p.championVersion ? ` (now ${p.championVersion})` : ""}` }),
    el("p", { text: `Requested by ${p.requestedBy} at ${when(p.requestedAt)} UTC; expires ${when(p.expiresAt)} UTC. Approvals: ${p.approvals.length} of ${p.approvalsRequired}.` }),
    p.notes ? el("p", { text: `Notes: ${p.notes}` }) : "",
    runLink(p.notes),
    el("div", { class: "evidence" },
      el("table", {},
        el("caption", { text: `Champion vs challenger${e.evaluationData ? ` on ${e.evaluationData}` : ""}` }),
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Metric" }), el("th", { scope: "col", class: "num", text: `Champion${e.champion?.version ? ` (v${e.champion.version})` : ""}` }), el("th", { scope: "col", class: "num", text: `Challenger (v${p.version})` }))),
        el("tbody", {}, metricRows(e.challenger?.metrics, e.champion?.metrics))),
      chart(e.challenger?.metrics || {}, e.champion?.metrics || {}, `Bar chart of champion and challenger metrics for ${p.model}`,
        `Champion${e.champion?.version ? ` (v${e.champion.version})` : ""}`, `Challenger (v${p.version})`)),
    e.recentTraffic ? el("p", { text: `Recent labelled traffic: ${e.recentTraffic.rows} rows.` }) : "",
    e.drift ? el("p", { text: `Drift: ${e.drift.driftedShare !== undefined && e.drift.driftedShare !== null ? `${(e.drift.driftedShare * 100).toFixed(0)} % of features` : ""} ${(e.drift.driftedFeatures || []).join(", ")}` }) : "");

  if (state.me && (state.me.role === "approver" || state.me.role === "admin")) {
    const commentId = `comment-${p.id}`;
    const comment = el("textarea", { id: commentId, rows: 2 });
    const approve = el("button", { type: "button", text: "Approve" });
    const reject = el("button", { type: "button", class: "reject", text: "Reject" });
    approve.setAttribute("aria-label", `Approve promotion of ${p.model} version ${p.version}`);
    reject.setAttribute("aria-label", `Reject promotion of ${p.model} version ${p.version}`);
    const decide = async (verb) => {
      approve.disabled = reject.disabled = true;
      try {
        await api(`/api/promotions/${encodeURIComponent(p.id)}/${verb}`, { method: "POST", body: JSON.stringify({ comment: comment.value }) });
        showError("");
        await refresh();
      } catch (error) {
        showError(error.message);
        approve.disabled = reject.disabled = false;
      }
    };
    approve.addEventListener("click", () => decide("approve"));
    reject.addEventListener("click", () => decide("reject"));
    card.append(el("div", { class: "decision" }, el("label", { for: commentId }, "Comment", comment), approve, reject));
  }
  return card;
}

// A promotion the retraining saga requested names its run in the notes: link to the run's row below.
function runLink(notes) {
  const match = /Retraining run ([0-9a-f]{32})/.exec(notes || "");
  return match ? el("p", {}, el("a", { href: `#run-${match[1]}`, class: "run-link", text: `Retraining run ${match[1]}` })) : "";
}

// Runs come from the orchestrator (/api/retraining), which `mlops up` serves from this origin; a registry running
// alone has none, and the section says so.
async function retrainingRuns() {
  try {
    return await api("/api/retraining?limit=50");
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

function runRow(r) {
  const history = el("details", {},
    el("summary", { text: `${r.history.length} step(s)` }),
    el("ol", {}, r.history.map((h) => el("li", { text: `${when(h.at)} ${h.state}: ${h.detail}` }))));
  return el("tr", { id: `run-${r.id}`, "data-run-id": r.id },
    el("td", { text: when(r.createdAt) }),
    el("th", { scope: "row", text: r.model }),
    el("td", { class: `run-state ${r.state.toLowerCase()}`, text: r.state }),
    el("td", { text: r.trigger }),
    el("td", { text: r.challengerVersion ? `v${r.challengerVersion}` : "—" }),
    el("td", { text: r.reason }),
    el("td", {}, history));
}

async function refresh() {
  const [models, pending, audit, runs] = await Promise.all([api("/api/models"), api("/api/promotions?state=pending"), api("/api/audit?limit=50"), retrainingRuns()]);
  const versionCounts = await Promise.all(models.map((m) => api(`/api/models/${encodeURIComponent(m.name)}/versions`).then((v) => v.length)));

  const promotions = $("#promotions");
  promotions.replaceChildren(...(pending.length ? pending.map(promotionCard) : [el("p", { text: "None." })]));

  $("#models tbody").replaceChildren(...models.map((m, i) => {
    const others = Object.entries(m.aliases).filter(([alias]) => alias !== "champion").map(([alias, v]) => `${alias} → v${v}`).join(", ");
    return el("tr", { "data-model": m.name },
      el("th", { scope: "row", text: m.name }),
      el("td", { text: m.task }),
      el("td", { text: m.owner }),
      el("td", { class: "champion", text: m.aliases.champion ? `v${m.aliases.champion}` : "—" }),
      el("td", { text: others || "—" }),
      el("td", { class: "num", text: versionCounts[i] }));
  }));

  $("#runs-note").textContent = runs === null ? "This registry runs without the retraining orchestrator." : runs.length ? "" : "No runs yet.";
  $("#runs tbody").replaceChildren(...(runs || []).map(runRow));

  $("#audit tbody").replaceChildren(...audit.map((a) => el("tr", {},
    el("td", { text: when(a.at) }),
    el("td", { text: a.actor }),
    el("td", { text: a.action }),
    el("td", { text: a.model || "" }),
    el("td", { text: `${a.entity} ${a.entityId}` }),
    el("td", { text: `${a.before ? JSON.stringify(a.before) : ""}${a.before && a.after ? " → " : ""}${a.after ? JSON.stringify(a.after) : ""}` }))));
}

async function signIn() {
  try {
    state.me = await api("/api/me");
    sessionStorage.setItem("mlops-api-key", state.key);
    $("#whoami").textContent = `Signed in as ${state.me.name} (${state.me.role})`;
    $("#content").hidden = false;
    showError("");
    await refresh();
  } catch (error) {
    state.me = null;
    $("#content").hidden = true;
    showError(error.status === 401 ? "That API key is not valid." : error.message);
  }
}

// The monitor serves its page at /monitoring: linked where it answers on this origin (`mlops up`, or one ingress for
// every service); a registry host of its own has none, and shows no dead link.
async function linkMonitoring() {
  try {
    const response = await fetch("/monitoring", { headers: { Accept: "text/html" } });
    $("#monitoring-link").hidden = !(response.ok && (response.headers.get("content-type") || "").startsWith("text/html"));
  } catch { /* not here */ }
}

document.addEventListener("DOMContentLoaded", () => {
  linkMonitoring();
  $("#login").addEventListener("submit", (event) => {
    event.preventDefault();
    state.key = $("#api-key").value.trim();
    signIn();
  });
  if (state.key) signIn();
});
