// MlOps monitoring charts: small inline SVG drawn from the windows API's JSON, no library. Every mark carries its
// numbers as data- attributes (window start, version, feature, value) and a <title>, so the charts are readable as
// text by assistive technology and by tests; each chart is an img with an aria-label, and the tables next to them
// hold the same numbers.
"use strict";

const MlOpsCharts = (() => {
  const ns = "http://www.w3.org/2000/svg";
  const width = 960;

  function svg(tag, attributes = {}, ...children) {
    const node = document.createElementNS(ns, tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined) continue;
      node.setAttribute(name, String(value));
    }
    for (const child of children.flat()) if (child) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  const title = (text) => svg("title", {}, text);
  const ms = (iso) => Date.parse(iso);
  const pct = (v) => `${(v * 100).toFixed(1)} %`;
  const num = (v) => (typeof v !== "number" ? "—" : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4));

  // "10:05" within a day, "05-21 10:05" across days, "10:05:30" within half an hour (UTC, as the tables).
  function tickLabel(t, spanMs) {
    const iso = new Date(t).toISOString();
    return spanMs > 86_400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : spanMs < 1_800_000 ? iso.slice(11, 19) : iso.slice(11, 16);
  }

  // A linear time axis over the windows shown: from the first start to the last end.
  function timeScale(windows, left, right, width) {
    const t0 = Math.min(...windows.map((w) => ms(w.windowStart)));
    const t1 = Math.max(...windows.map((w) => ms(w.windowEnd)), t0 + 1);
    const x = (t) => left + ((t - t0) / (t1 - t0)) * (width - left - right);
    return { t0, t1, x };
  }

  function timeAxis(scale, y, ticks = 6) {
    const g = svg("g", { class: "axis", "aria-hidden": "true" });
    for (let i = 0; i <= ticks; i++) {
      const t = scale.t0 + ((scale.t1 - scale.t0) * i) / ticks;
      const x = scale.x(t);
      g.append(svg("line", { x1: x, x2: x, y1: y, y2: y + 4, class: "tick" }));
      g.append(svg("text", { x, y: y + 16, "text-anchor": i === 0 ? "start" : i === ticks ? "end" : "middle" }, tickLabel(t, scale.t1 - scale.t0)));
    }
    return g;
  }

  function clickable(node, w, onOpen) {
    node.classList.add("opens-report");
    node.addEventListener("click", () => onOpen(w));
    return node;
  }

  const windowData = (w) => ({ "data-window-start": w.windowStart, "data-version": w.version });

  /** Drifted share per window (points and line), dataset-drift markers, and rows per window (bars). */
  function timeline(windows, { label, onOpen }) {
    const height = 240, top = 24, bottom = 36, left = 52, right = 60;
    const plotHeight = height - top - bottom;
    const scale = timeScale(windows, left, right, width);
    const yShare = (v) => top + (1 - v) * plotHeight;
    const maxRows = Math.max(...windows.map((w) => w.rows), 1);
    const yRows = (v) => top + plotHeight - (v / maxRows) * plotHeight * 0.45;
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, class: "chart timeline" });

    const grid = svg("g", { class: "axis", "aria-hidden": "true" });
    for (const v of [0, 0.5, 1]) {
      grid.append(svg("line", { x1: left, x2: width - right, y1: yShare(v), y2: yShare(v), class: "grid" }));
      grid.append(svg("text", { x: left - 6, y: yShare(v) + 4, "text-anchor": "end" }, `${v * 100} %`));
    }
    grid.append(svg("text", { x: width - right + 6, y: yRows(maxRows) + 4 }, `${maxRows} rows`));
    grid.append(svg("text", { x: width - right + 6, y: yRows(0) + 4 }, "0"));
    grid.append(svg("text", { x: left, y: 12 }, "drifted share of features"));
    root.append(grid);

    const bars = svg("g", { class: "rows" });
    for (const w of windows) {
      const x0 = scale.x(ms(w.windowStart)), x1 = scale.x(ms(w.windowEnd));
      bars.append(clickable(svg("rect", {
        class: "rows-bar", x: x0 + 0.5, y: yRows(w.rows), width: Math.max(2, x1 - x0 - 1), height: yRows(0) - yRows(w.rows),
        ...windowData(w), "data-rows": w.rows,
      }, title(`${w.windowStart} (v${w.version}): ${w.rows} rows, ${w.labelled} labelled`)), w, onOpen));
    }
    root.append(bars);

    const evaluated = windows.filter((w) => !w.notEvaluated);
    if (evaluated.length > 1) {
      const points = evaluated.map((w) => `${scale.x(ms(w.windowStart))},${yShare(w.driftedShare)}`).join(" ");
      root.append(svg("polyline", { points, class: "share-line", "aria-hidden": "true" }));
    }
    const marks = svg("g", { class: "shares" });
    for (const w of windows) {
      const x = scale.x(ms(w.windowStart));
      if (w.notEvaluated) {
        marks.append(clickable(svg("circle", {
          class: "share-point not-evaluated", cx: x, cy: yShare(0), r: 5, ...windowData(w), "data-value": w.driftedShare, "data-not-evaluated": w.notEvaluated,
        }, title(`${w.windowStart} (v${w.version}): not evaluated: ${w.notEvaluated}`)), w, onOpen));
        continue;
      }
      marks.append(clickable(svg("circle", {
        class: `share-point${w.datasetDrift ? " dataset-drift" : ""}`, cx: x, cy: yShare(w.driftedShare), r: 5, ...windowData(w),
        "data-value": w.driftedShare, "data-dataset-drift": w.datasetDrift,
      }, title(`${w.windowStart} (v${w.version}): drifted share ${pct(w.driftedShare)}${w.datasetDrift ? ", dataset drift" : ""}`)), w, onOpen));
      if (w.datasetDrift) {
        const y = yShare(w.driftedShare) - 10;
        marks.append(clickable(svg("path", { class: "dataset-drift-marker", d: `M${x - 6},${y - 9} L${x + 6},${y - 9} L${x},${y} Z`, ...windowData(w) },
          title(`${w.windowStart} (v${w.version}): dataset drift (${(w.drift?.driftedFeatures || []).join(", ")})`)), w, onOpen));
      }
    }
    root.append(marks);
    root.append(timeAxis(scale, top + plotHeight));
    return root;
  }

  // Drift score: ≥ 1 means drifted. Distances: statistic / threshold; p-value tests: threshold / p (capped).
  function score(f) {
    if (typeof f.statistic !== "number" || typeof f.threshold !== "number" || f.threshold === 0) return null;
    if (typeof f.pValue === "number" && ["ks", "chisquare", "ztest"].includes(f.method)) return f.pValue === 0 ? 10 : Math.min(10, f.threshold / f.pValue);
    return f.statistic / f.threshold;
  }

  // Green (far from the threshold) to amber (near it) when not drifted; orange to dark red beyond it.
  function heatColour(s, drifted) {
    const mix = (a, b, t) => a.map((c, i) => Math.round(c + (b[i] - c) * t));
    const rgb = drifted ? mix([240, 140, 60], [150, 20, 30], Math.min(1, Math.max(0, (s - 1) / 2))) : mix([205, 235, 210], [246, 214, 120], Math.min(1, Math.max(0, s)));
    return `rgb(${rgb.join(",")})`;
  }

  /** Features × windows: each cell the feature's drift in that window against the threshold. */
  function heatmap(windows, { label, onOpen }) {
    const features = [...new Set(windows.flatMap((w) => w.features.map((f) => f.name)))];
    const left = 150, top = 30, rowHeight = 24;
    const cell = Math.max(6, Math.min(56, (width - left - 10) / Math.max(1, windows.length)));
    const height = top + features.length * rowHeight + 10;
    const id = `hatch-${Math.random().toString(36).slice(2, 8)}`;
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, class: "chart heatmap" },
      svg("defs", {}, svg("pattern", { id, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
        svg("rect", { width: 6, height: 6, fill: "#eceff3" }), svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#9aa3b2", "stroke-width": 2 }))));
    const names = svg("g", { class: "axis", "aria-hidden": "true" });
    features.forEach((name, r) => names.append(svg("text", { x: left - 8, y: top + r * rowHeight + rowHeight / 2 + 4, "text-anchor": "end" }, name)));
    root.append(names);

    const every = Math.ceil(60 / cell);
    const spanMs = windows.length ? ms(windows[windows.length - 1].windowEnd) - ms(windows[0].windowStart) : 0;
    windows.forEach((w, c) => {
      const x = left + c * cell;
      const column = clickable(svg("g", { class: "heat-column", ...windowData(w) }), w, onOpen);
      if (c % every === 0)
        column.append(svg("text", { x: x + 1, y: top - 8, class: "column-label" }, tickLabel(ms(w.windowStart), spanMs)));
      features.forEach((name, r) => {
        const f = w.features.find((x) => x.name === name);
        const y = top + r * rowHeight;
        const why = !f ? "the feature is not in this window" : f.notEvaluated || (w.notEvaluated && typeof f.statistic !== "number" ? w.notEvaluated : null);
        const s = f && !why ? score(f) : null;
        const state = why || s === null ? "not-evaluated" : f.drifted ? "drifted" : "ok";
        const text = state === "not-evaluated"
          ? `${name}, window ${w.windowStart} (v${w.version}): not evaluated: ${why || "no statistic"}`
          : `${name}, window ${w.windowStart} (v${w.version}): ${f.method} statistic ${num(f.statistic)}${typeof f.pValue === "number" ? `, p-value ${num(f.pValue)}` : ""}, threshold ${num(f.threshold)}: ${f.drifted ? "drifted" : "not drifted"}`;
        const rect = svg("rect", {
          class: `heat-cell ${state}`, x: x + 0.5, y: y + 1, width: Math.max(1, cell - 1), height: rowHeight - 2,
          fill: state === "not-evaluated" ? `url(#${id})` : heatColour(s, f.drifted),
          ...windowData(w), "data-feature": name, "data-method": f?.method, "data-statistic": f?.statistic, "data-p-value": f?.pValue,
          "data-threshold": f?.threshold, "data-score": s, "data-drifted": f ? f.drifted : null, "data-not-evaluated": why,
        }, title(text));
        column.append(rect);
        if (state !== "not-evaluated" && cell >= 40)
          column.append(svg("text", { x: x + cell / 2, y: y + rowHeight / 2 + 4, "text-anchor": "middle", class: `cell-value ${state}`, "aria-hidden": "true" }, s.toFixed(2)));
      });
      root.append(column);
    });
    return root;
  }

  /** One metric over time: points at each window start with a value, joined by a line. */
  function line(points, { label, metric, unitRange, format = num, onOpen }) {
    // Half the page's width: the performance charts sit side by side.
    const width = 480, height = 170, top = 12, bottom = 30, left = 52, right = 24;
    const plotHeight = height - top - bottom;
    const scale = timeScale(points.map((p) => p.window), left, right, width);
    const values = points.map((p) => p.value);
    const lo = unitRange ? 0 : Math.min(0, ...values);
    const hi = unitRange ? 1 : Math.max(...values, lo + 1e-9);
    const y = (v) => top + (1 - (v - lo) / (hi - lo)) * plotHeight;
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, class: "chart line", "data-metric": metric });
    const grid = svg("g", { class: "axis", "aria-hidden": "true" });
    for (const v of [lo, (lo + hi) / 2, hi]) {
      grid.append(svg("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), class: "grid" }));
      grid.append(svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, format(v)));
    }
    root.append(grid);
    if (points.length > 1)
      root.append(svg("polyline", { class: "metric-line", "aria-hidden": "true", points: points.map((p) => `${scale.x(ms(p.window.windowStart))},${y(p.value)}`).join(" ") }));
    const marks = svg("g", { class: "points" });
    for (const p of points) {
      marks.append(clickable(svg("circle", {
        class: "metric-point", cx: scale.x(ms(p.window.windowStart)), cy: y(p.value), r: 4, ...windowData(p.window), "data-metric": metric, "data-value": p.value,
      }, title(`${metric} in ${p.window.windowStart} (v${p.window.version}): ${format(p.value)}`)), p.window, onOpen));
    }
    root.append(marks);
    root.append(timeAxis(scale, top + plotHeight, 3));
    return root;
  }

  return { timeline, heatmap, line, pct, num };
})();
