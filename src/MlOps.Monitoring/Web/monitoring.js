// MlOps monitoring page: plain DOM, no framework, no build step. All data comes from /api with the user's key, kept in
// sessionStorage under the same name as the registry page's (one sign-in for both where they share an origin, as
// under `mlops up`), never in the URL. The model and range are kept in the URL's hash so a view can be shared.
"use strict";

const state = { key: sessionStorage.getItem("mlops-api-key") || "", me: null, model: "", hours: 6, windows: [] };
const $ = (selector) => document.querySelector(selector);
const { pct, num } = MlOpsCharts;

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

async function request(path) {
  return fetch(path, { headers: { "X-Api-Key": state.key, Accept: "application/json" } });
}

async function api(path) {
  const response = await request(path);
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
  return response.json();
}

// An API another service serves: null when this origin does not (404, or no answer at all).
async function optional(path) {
  try {
    return await api(path);
  } catch (error) {
    if (error.status === 404 || error.status === undefined) return null;
    throw error;
  }
}

function showError(message) {
  const box = $("#error");
  box.textContent = message || "";
  box.hidden = !message;
}

const when = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+/, "").replace("Z", "").replace("+00:00", "") : "");
const rangeText = (hours) => (hours % 24 === 0 ? `${hours / 24} d` : `${hours} h`);

// The metrics worth a chart, by task; the task is read from which metrics the windows have.
const metricSets = [["mae", "rmse"], ["accuracy", "macro_f1"], ["accuracy", "f1", "roc_auc"]];
function chartedMetrics(windows) {
  const present = new Set(windows.flatMap((w) => Object.keys(w.performance || {})));
  const set = present.has("mae") || present.has("rmse") ? metricSets[0] : present.has("macro_f1") ? metricSets[1] : metricSets[2];
  return set.filter((m) => present.has(m));
}
const unitMetrics = new Set(["accuracy", "f1", "roc_auc", "macro_f1", "precision", "recall"]);

// A window's HTML report needs the key, so it cannot be a plain link: report.html, opened in a new tab at the click
// (a later window.open would count as a pop-up), fetches it with the key (the tab shares this tab's sessionStorage)
// and shows it, or says why not.
function openReport(w) {
  // The windows API names the report's URL; built from the window's start where it does not (older monitors).
  const url = w.reportUrl || `/api/monitoring/${encodeURIComponent(state.model)}/windows/${encodeURIComponent(w.windowStart)}/report?version=${encodeURIComponent(w.version)}`;
  const label = `the window starting ${when(w.windowStart)} UTC (v${w.version})`;
  const tab = window.open(`/monitoring/report?window=${encodeURIComponent(label)}#${encodeURIComponent(url)}`, "_blank");
  $("#report-status").textContent = tab ? `Opened the report of ${label} in a new tab.` : `The browser blocked the new tab for the report of ${label}.`;
}

function windowRow(w) {
  const open = el("button", { type: "button", class: "link", text: "Open", "aria-label": `Open the report of the window starting ${when(w.windowStart)} (v${w.version})` });
  open.addEventListener("click", () => openReport(w));
  return el("tr", { "data-window-start": w.windowStart, "data-version": w.version },
    el("th", { scope: "row", text: when(w.windowStart) }),
    el("td", { text: w.version }),
    el("td", { class: "num", text: w.rows }),
    el("td", { class: "num", text: w.labelled }),
    el("td", { class: "num", text: pct(w.labelCoverage) }),
    el("td", { class: "num", text: w.notEvaluated ? "not evaluated" : pct(w.driftedShare), title: w.notEvaluated || null }),
    el("td", { text: w.notEvaluated ? "—" : w.datasetDrift ? `yes (${(w.drift?.driftedFeatures || []).join(", ")})` : "no" }),
    el("td", {}, open));
}

function figure(chart, caption, legend) {
  return el("figure", { class: "chart" }, chart, legend || "", el("figcaption", { text: caption }));
}

function heatLegend() {
  return el("p", { class: "legend" },
    el("span", { class: "swatch heat-ok" }), "not drifted (score < 1)",
    el("span", { class: "swatch heat-drifted" }), "drifted (score ≥ 1, outlined)",
    el("span", { class: "swatch heat-none" }), "not evaluated (reason in the cell's title)");
}

function renderCharts(windows) {
  const caption = `${state.model}, last ${rangeText(state.hours)}`;
  $("#timeline").replaceChildren(figure(
    MlOpsCharts.timeline(windows, { label: `Timeline of the windows of ${state.model}: drifted share, dataset drift and rows`, onOpen: openReport }),
    `Drifted share of features per window (points; a triangle marks dataset drift, hollow points were not evaluated) and rows per window (bars): ${caption}. Click a window to open its report.`));
  $("#windows tbody").replaceChildren(...windows.map(windowRow));

  $("#heatmap").replaceChildren(figure(
    MlOpsCharts.heatmap(windows, { label: `Drift per feature and window of ${state.model}`, onOpen: openReport }),
    "Each cell is the feature's drift score in that window: statistic ÷ threshold for distances, threshold ÷ p-value for tests (≥ 1: drifted). The cell's title names the method, statistic, threshold and verdict. Click a column to open its report.",
    heatLegend()));

  const metrics = chartedMetrics(windows);
  const charts = metrics.map((metric) => {
    const points = windows.filter((w) => typeof w.performance?.[metric] === "number").map((w) => ({ window: w, value: w.performance[metric] }));
    return figure(MlOpsCharts.line(points, { label: `${metric} of ${state.model} per window`, metric, unitRange: unitMetrics.has(metric), onOpen: openReport }), `${metric} of the labelled predictions per window`);
  });
  const coverage = windows.map((w) => ({ window: w, value: w.labelCoverage }));
  charts.push(figure(MlOpsCharts.line(coverage, { label: `Label coverage of ${state.model} per window`, metric: "label_coverage", unitRange: true, format: pct, onOpen: openReport }), "Labelled share of each window's predictions"));
  $("#performance").replaceChildren(...charts);
  $("#performance-note").textContent = metrics.length ? "" : "No labelled predictions in these windows yet: performance appears once outcomes join their predictions.";

  const problems = windows.flatMap((w) => (w.dataQualityProblems || []).map((p) => ({ w, p })));
  $("#quality").hidden = problems.length === 0;
  $("#quality-note").textContent = problems.length ? "" : "No data-quality problems in these windows.";
  $("#quality tbody").replaceChildren(...problems.map(({ w, p }) => el("tr", { "data-window-start": w.windowStart, "data-version": w.version },
    el("th", { scope: "row", text: when(w.windowStart) }), el("td", { text: w.version }), el("td", { text: p }))));
}

function clearCharts() {
  for (const id of ["#timeline", "#heatmap", "#performance", "#windows tbody", "#quality tbody"]) $(id).replaceChildren();
  $("#performance-note").textContent = "";
  $("#quality-note").textContent = "";
  $("#quality").hidden = true;
}

// Why a range is empty: nothing ever closed (in the last 30 days), or only earlier windows.
async function emptyReason(from) {
  const before = await api(`/api/monitoring/${encodeURIComponent(state.model)}/windows?from=${encodeURIComponent(new Date(from.getTime() - 30 * 86_400_000).toISOString())}&to=${encodeURIComponent(from.toISOString())}`);
  if (before.length === 0)
    return `No windows yet for ${state.model}: no window has closed in the last 30 days. A window closes once the model's events pass its end plus the allowed lateness.`;
  const latest = before.reduce((a, b) => (Date.parse(b.windowStart) > Date.parse(a.windowStart) ? b : a));
  return `No windows of ${state.model} in the last ${rangeText(state.hours)}; the latest closed window started at ${when(latest.windowStart)} UTC. Choose a longer range.`;
}

function summarise(windows) {
  const unevaluated = windows.filter((w) => w.notEvaluated);
  const reasons = [...new Set(unevaluated.map((w) => w.notEvaluated))];
  const drifted = windows.filter((w) => w.datasetDrift).length;
  const head = `${windows.length} window(s) of ${state.model} in the last ${rangeText(state.hours)}; ${drifted} with dataset drift.`;
  if (unevaluated.length === 0) return head;
  const which = unevaluated.length === windows.length ? "None of them was evaluated" : `${unevaluated.length} not evaluated`;
  return `${head} ${which}: ${reasons.join("; ")}.`;
}

async function loadRuns() {
  const runs = await optional(`/api/retraining?model=${encodeURIComponent(state.model)}&limit=50`);
  const table = $("#runs");
  if (runs === null) {
    $("#runs-note").textContent = "Retraining runs are served by the orchestrator, which does not answer on this host.";
    table.hidden = true;
    return;
  }
  $("#runs-note").textContent = runs.length ? "" : `No retraining runs for ${state.model} yet.`;
  table.hidden = runs.length === 0;
  $("#runs tbody").replaceChildren(...runs.map((r) => el("tr", { "data-run-id": r.id },
    el("th", { scope: "row", text: when(r.createdAt) }),
    el("td", { class: "run-state", text: r.state }),
    el("td", { text: r.trigger }),
    el("td", { text: r.reason }),
    el("td", { text: r.challengerVersion ? `v${r.challengerVersion}` : "—" }),
    el("td", { text: when(r.updatedAt) }))));
}

async function show() {
  state.model = $("#model").value.trim();
  state.hours = Number($("#range").value) || 6;
  history.replaceState(null, "", `#model=${encodeURIComponent(state.model)}&hours=${state.hours}`);
  $("#report-status").textContent = "";
  if (!state.model) {
    clearCharts();
    $("#summary").textContent = "Choose a model.";
    return;
  }
  const summary = $("#summary");
  summary.textContent = `Loading ${state.model}…`;
  const runs = loadRuns();
  try {
    const to = new Date();
    const from = new Date(to.getTime() - state.hours * 3_600_000);
    const windows = await api(`/api/monitoring/${encodeURIComponent(state.model)}/windows?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
    windows.sort((a, b) => Date.parse(a.windowStart) - Date.parse(b.windowStart) || a.version.localeCompare(b.version));
    state.windows = windows;
    showError("");
    if (windows.length === 0) {
      clearCharts();
      summary.textContent = await emptyReason(from);
    } else {
      renderCharts(windows);
      summary.textContent = summarise(windows);
    }
  } catch (error) {
    clearCharts();
    summary.textContent = "";
    showError(error.status === 404 ? `The monitor knows no model named ${state.model}.` : error.message);
  }
  try {
    await runs;
  } catch (error) {
    $("#runs-note").textContent = `Retraining runs could not be loaded: ${error.message}`;
    $("#runs").hidden = true;
  }
}

// A select of the models this monitor watches (its own /api/monitoring/models) and, where the registry answers on this
// origin (as under `mlops up`), the registry's too (one registered a moment ago may not be in the monitor's cache yet);
// a text box when neither answers.
async function modelPicker(initial) {
  const watched = await optional("/api/monitoring/models");
  const registered = await optional("/api/models");
  const models = watched === null && registered === null ? null
    : [...new Set([...(watched ?? []), ...(registered ?? [])].map((m) => m.name))].sort().map((name) => ({ name }));
  const picker = models === null
    ? el("input", { id: "model", name: "model", type: "text", required: true, value: initial, placeholder: "model name" })
    : el("select", { id: "model", name: "model" }, models.map((m) => el("option", { value: m.name, text: m.name, selected: m.name === initial })));
  $("#model-picker").replaceChildren(picker);
  if (picker.tagName === "SELECT") picker.addEventListener("change", show);
  return picker.value;
}

// Who the key belongs to: /api/me where the registry answers here; otherwise the monitor's own API tells a valid key
// (404 for an unknown model) from an invalid one (401).
async function whoAmI() {
  const me = await optional("/api/me");
  if (me) return `Signed in as ${me.name} (${me.role})`;
  await optional("/api/monitoring/-/windows");
  return "Signed in";
}

async function signIn() {
  try {
    $("#whoami").textContent = await whoAmI();
    sessionStorage.setItem("mlops-api-key", state.key);
    const params = new URLSearchParams(location.hash.slice(1));
    const hours = params.get("hours");
    if (hours && [...$("#range").options].some((o) => o.value === hours)) $("#range").value = hours;
    await modelPicker(params.get("model") || "");
    $("#content").hidden = false;
    showError("");
    await show();
  } catch (error) {
    $("#content").hidden = true;
    $("#whoami").textContent = "";
    showError(error.status === 401 ? "That API key is not valid." : error.message);
  }
}

// The registry's page is linked where it answers on this origin (`mlops up`, or one ingress for every service).
async function linkRegistry() {
  try {
    const response = await fetch("/", { headers: { Accept: "text/html" } });
    $("#registry-link").hidden = !(response.ok && (response.headers.get("content-type") || "").startsWith("text/html"));
  } catch { /* not here */ }
}

document.addEventListener("DOMContentLoaded", () => {
  $("#login").addEventListener("submit", (event) => {
    event.preventDefault();
    state.key = $("#api-key").value.trim();
    signIn();
  });
  $("#controls").addEventListener("submit", (event) => {
    event.preventDefault();
    show();
  });
  $("#range").addEventListener("change", show);
  linkRegistry();
  if (state.key) signIn();
});
