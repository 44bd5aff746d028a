// epython-sim trace explorer: a per-core timeline (canvas, zoom and pan), messages as arrows,
// the mesh with link utilisation over the visible time window, memory and GC per core, program
// output, and the totals of a selected time range. Reads the view model that `epython view`
// embeds or serves (src/trace/view-model.ts), decoded by view-data.js.
//
// The timeline is honest at every zoom: each pixel column of a lane shows what the core did in
// that column's span of time, its states stacked by their share of the time (view-data.js gives
// the exact time per state; what rounding to whole pixels leaves over is carried to the next
// column, so a lane's pixels of a colour add up to its time in that state).
// Everything the program printed is inserted as text (textContent), never as HTML.
/* global d3, EpyView */
(function main() {
  "use strict";

  const STATE_NAMES = ["running", "recv", "send", "barrier", "host", "done", "failed", "collective"];
  const STATE_COLORS = ["#3a9d5d", "#3c78d8", "#e69138", "#8e44ad", "#c9a227", "#bdbdbd", "#d62728", "#17a2b8"];
  /** bottom to top of a stacked pixel column; NONE (no state: not started, or done) last, blank */
  const STACK = [0, 7, 1, 2, 3, 6, 5, 4, 8];
  const BLANK = "#ffffff";
  const MAX_ARROWS = 3000;
  const S = EpyView.STATES;
  const NONE = EpyView.NONE;

  const status = document.getElementById("status");
  const t0Load = performance.now();

  async function load() {
    const metaEl = document.getElementById("view-meta");
    let meta;
    let bytes;
    if (metaEl) {
      meta = JSON.parse(metaEl.textContent);
      bytes = EpyView.base64ToBytes(document.getElementById("view-data").textContent);
    } else {
      const [m, b] = await Promise.all([fetch("view.json"), fetch("view.bin")]);
      if (!m.ok || !b.ok) throw new Error(`could not load the trace (${m.ok ? b.status : m.status})`);
      meta = await m.json();
      bytes = new Uint8Array(await b.arrayBuffer());
    }
    const tDecode = performance.now();
    const v = EpyView.decodeView(meta, bytes);
    render(v, { decodeMs: performance.now() - tDecode });
  }

  // --- formatting ---------------------------------------------------------------------------------

  function fmtCycles(c) {
    return d3.format(",")(Math.round(c));
  }
  const fmtPct = (f) => (f > 0 && f < 0.001 ? "<0.1%" : `${(100 * f).toFixed(1)}%`);
  function fmtBytes(b) {
    if (b < 1024) return `${d3.format(",")(Math.round(b))} B`;
    if (b < 1024 * 1024) return `${(b / 1024).toFixed(b < 10240 ? 2 : 1)} KiB`;
    return `${(b / 1048576).toFixed(2)} MiB`;
  }
  /** a time in seconds in a unit that suits `scale` (the largest value shown), with `step`'s precision */
  function secondsFormat(scale, step) {
    const units = [[1, "s"], [1e-3, "ms"], [1e-6, "µs"], [1e-9, "ns"]];
    const [f, name] = units.find(([u]) => scale >= u) || units[units.length - 1];
    const digits = step > 0 ? Math.max(0, Math.min(9, Math.ceil(-Math.log10(step / f) - 1e-9))) : 3;
    return (s) => `${(s / f).toFixed(digits)} ${name}`;
  }
  function fmtSeconds(s) {
    return secondsFormat(Math.abs(s), Math.abs(s) / 1000)(s);
  }

  function setText(id, text) {
    const el = document.getElementById(id);
    if (el) el.textContent = text;
  }

  // --- the page -----------------------------------------------------------------------------------

  function render(v, timing) {
    const n = v.procs.length;
    setText("title", `${v.program} on ${v.chip}`);
    const incomplete = /^(incomplete trace|interrupted by)/.test(v.error || "");
    // the first line of the error (the whole of it is shown below the facts)
    const firstLine = v.errorText ? v.errorText.split("\n")[0] : "";
    const errorHead = firstLine.length > 100 ? `${firstLine.slice(0, 97)}...` : firstLine;
    const facts = [
      ["chip", `${v.chip} (${v.rows}x${v.cols}, ${d3.format(".0f")(v.clockHz / 1e6)} MHz)`],
      ["cores", String(n)],
      ["simulated time", `${fmtCycles(v.totalCycles)} cycles (${fmtSeconds(v.totalCycles / v.clockHz)})`],
      ["messages", d3.format(",")(v.messages)],
      ["bytes", `${d3.format(",")(v.messageBytes)} B`],
      // an incomplete trace (a killed run) and an interrupted run are not failures of the program
      ["run", v.ok ? "completed" : incomplete ? v.error.replace(/^\w+/, (w) => w.toUpperCase()) : `failed: ${errorHead || v.error}`],
    ];
    const summary = d3.select("#summary");
    summary.selectAll("div").data(facts).join("div").attr("class", "fact")
      .call((div) => {
        div.selectAll("span.k").data((d) => [d[0]]).join("span").attr("class", "k").text((d) => d);
        div.selectAll("span.v").data((d) => [d[1]]).join("span").attr("class", "v").text((d) => d);
      });
    if (!v.ok) d3.select("#summary").classed("failed", true);
    // the error as the CLI prints it, every line of it (a deadlock: one line per core)
    const errBox = document.getElementById("error");
    if (!v.ok && !incomplete && v.errorText) {
      errBox.textContent = v.errorText;
      errBox.style.display = "block";
    }

    const src = sourceLines(v);
    const timeline = makeTimeline(v, src);
    const mesh = makeMesh(v);
    const memory = makeMemory(v);
    const analysis = makeAnalysis(v, timeline, mesh);
    makeLegend();
    makeOutput(v, timeline);
    timeline.onWindow((t0, t1) => mesh.update(t0, t1));
    timeline.onSelect((p) => memory.show(p));
    timeline.onBrush((a, b) => analysis.show(a, b));
    mesh.update(0, v.totalCycles);
    memory.show(0);
    status.textContent = "";
    timeline.stats.decodeMs = timing.decodeMs;
    timeline.stats.loadMs = performance.now() - t0Load;
    timeline.stats.readyAt = performance.now();
    /** test hook: what the page drew */
    /** @type {any} */ (window).__viz = timeline.stats;
    /** @type {any} */ (window).__vizApi = { timeline, mesh, memory, analysis, view: v };
  }

  /**
   * The source text of a line. A state's line is in the program's own files (its main file, or a
   * module of its own): the main file's line, named as such when the program has modules of its own.
   */
  function sourceLines(v) {
    const lib = new Set(v.libraryFiles || []);
    const own = (v.sources || []).filter((s) => !lib.has(s.name));
    const main = own[0] || null;
    const lines = main ? main.text.split(/\r?\n/) : [];
    return {
      /** "FILE:LINE  text", or "line LINE" when the sources are not known */
      describe(line) {
        if (!main || line <= 0) return `line ${line}`;
        const text = (lines[line - 1] || "").trim();
        const where = own.length > 1 ? `line ${line} (${main.name} or one of its modules)` : `${main.name}:${line}`;
        return text ? `${where}  ${text}` : where;
      },
    };
  }

  function makeLegend() {
    const items = STATE_NAMES.map((name, i) => ({ name, color: STATE_COLORS[i] }))
      .concat([{ name: "no state (not started, or done)", color: BLANK }, { name: "message", color: "#222" }, { name: "GC", color: "#000" }]);
    const leg = d3.select("#legend").selectAll("span.item").data(items).join("span").attr("class", "item");
    leg.selectAll("i").data((d) => [d]).join("i").style("background", (d) => d.color);
    leg.selectAll("b").data((d) => [d]).join("b").text((d) => d.name);
  }

  /** "#rrggbb" as the Uint32 an ImageData's pixels hold (little-endian RGBA) */
  function rgba32(hex) {
    const c = d3.color(hex).rgb();
    return ((255 << 24) | (c.b << 16) | (c.g << 8) | c.r) >>> 0;
  }

  // --- the timeline -------------------------------------------------------------------------------

  /**
   * Rows of the timeline: `group` cores a row (1 unless the cores are made to fit), `rowH` pixels
   * each, of which the state bars take `barH` from `barY`.
   */
  function layoutFor(n, choice, maxH) {
    let group = 1;
    let rowH = choice;
    if (choice === "fit") {
      rowH = 2;
      while (Math.ceil(n / group) * rowH > maxH) group *= 2;
      if (group === 1) rowH = Math.max(2, Math.min(18, Math.floor(maxH / n)));
    }
    const rows = Math.ceil(n / group);
    const gap = rowH >= 8 ? 1 : 0;
    return { group, rowH, rows, barY: gap, barH: rowH - 2 * gap };
  }

  function makeTimeline(v, src) {
    const n = v.procs.length;
    const lanes = v.lanes;
    const scroller = document.getElementById("timeline");
    const stick = document.getElementById("lanes-view");
    const spacer = document.getElementById("lanes-spacer");
    const width = Math.max(600, scroller.clientWidth);
    const labelW = 90;
    const plotW = width - labelW - 10;
    const maxViewH = Math.max(240, Math.floor(window.innerHeight * 0.62));
    const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById("lanes"));
    const overlay = /** @type {HTMLCanvasElement} */ (document.getElementById("overlay"));
    const axis = /** @type {HTMLCanvasElement} */ (document.getElementById("axis"));
    const ctx = canvas.getContext("2d");
    const octx = overlay.getContext("2d");
    const actx = axis.getContext("2d");
    const colors32 = STATE_COLORS.map(rgba32).concat([rgba32(BLANK)]);
    const white32 = rgba32("#ffffff");

    const sizeSelect = /** @type {HTMLSelectElement} */ (document.getElementById("lane-size"));
    const defaultSize = n <= 32 ? 18 : n <= 128 ? 6 : "fit";
    for (const o of Array.from(sizeSelect.options)) o.selected = o.value === String(defaultSize);
    let L = layoutFor(n, defaultSize, maxViewH);
    let viewH = 0;
    let image = null;
    let buf = null;

    const x0 = d3.scaleLinear().domain([0, Math.max(1, v.totalCycles)]).range([labelW, labelW + plotW]);
    let x = x0.copy();
    const windowListeners = [];
    const selectListeners = [];
    const brushListeners = [];
    let selected = 0;
    let brush = null;
    let showArrows = true;
    let drawn = [];
    let hoverArrow = -1;
    const stats = {
      lanes: n, rows: 0, group: 1, rowH: 0, barY: 0, barH: 0, labelW, plotW, viewH: 0, firstRow: 0, visibleRows: 0,
      columnsDrawn: 0, intervalsWalked: 0, arrowsDrawn: 0, messagesInView: 0, domain: x.domain().slice(), zooms: 0, draws: 0,
      lastDrawMs: 0, maxDrawMs: 0, drawMs: [], loadMs: 0, decodeMs: 0, readyAt: 0, intervals: v.intervals, scrollTop: 0, axisText: [],
      /** the colour of each state, then of no state (the pixels of the lanes canvas are exactly these) */
      colors: STATE_COLORS.concat([BLANK]),
    };

    const m = v.msgs;
    const msgCount = m.length;
    const acc = new Float64Array(plotW * S);
    const err = new Float64Array(S + 1);
    const counts = new Int32Array(S + 1);

    function relayout() {
      viewH = Math.min(L.rows * L.rowH, maxViewH);
      scroller.style.height = `${viewH}px`;
      spacer.style.height = `${L.rows * L.rowH}px`;
      stick.style.height = `${viewH}px`;
      for (const c of [canvas, overlay]) {
        c.width = width;
        c.height = viewH;
      }
      axis.width = width;
      axis.height = 40;
      image = ctx.createImageData(plotW, viewH);
      buf = new Uint32Array(image.data.buffer);
      Object.assign(stats, { rows: L.rows, group: L.group, rowH: L.rowH, barY: L.barY, barH: L.barH, viewH });
    }

    function rowOf(p) {
      return Math.floor(p / L.group);
    }
    function rowLabel(r) {
      const a = r * L.group;
      const b = Math.min(n, a + L.group) - 1;
      return a === b ? v.procs[a].label : `${v.procs[a].label} to ${v.procs[b].label.replace(/^\D+/, "")}`;
    }

    /** the lanes: one ImageData, each row's columns stacked by state */
    function drawLanes() {
      const [t0, t1] = x.domain();
      const top = scroller.scrollTop;
      const first = Math.max(0, Math.floor(top / L.rowH));
      const last = Math.min(L.rows - 1, Math.floor((top + viewH - 1) / L.rowH));
      buf.fill(white32);
      const w = (t1 - t0) / plotW;
      let walked = 0;
      let cols = 0;
      const { barY, barH, group } = L;
      for (let r = first; r <= last; r++) {
        acc.fill(0);
        const p0 = r * group;
        const p1 = Math.min(n, p0 + group);
        for (let p = p0; p < p1; p++) walked += EpyView.accumulate(lanes[p], t0, t1, plotW, acc);
        const wEff = w * (p1 - p0);
        const yTop = r * L.rowH - top + barY;
        err.fill(0);
        for (let c = 0; c < plotW; c++) {
          EpyView.splitColumn(acc, c, wEff, barH, err, counts);
          let y = yTop + barH;
          for (let s = 0; s < STACK.length; s++) {
            const st = STACK[s];
            const k = counts[st];
            if (k === 0) continue;
            const color = colors32[st];
            for (let j = 0; j < k; j++) {
              y--;
              if (y >= 0 && y < viewH) buf[y * plotW + c] = color;
            }
          }
        }
        cols += plotW;
      }
      ctx.clearRect(0, 0, width, viewH);
      ctx.putImageData(image, labelW, 0);
      // labels: every row when there is room, else every few rows (a power of two)
      ctx.font = "11px sans-serif";
      ctx.textBaseline = "middle";
      const every = L.rowH >= 12 ? 1 : 2 ** Math.ceil(Math.log2(14 / L.rowH));
      for (let r = first; r <= last; r++) {
        const y = r * L.rowH - top;
        const isSel = r === rowOf(selected);
        if (isSel) {
          ctx.fillStyle = "#000";
          ctx.fillRect(0, y, 3, Math.max(1, L.rowH));
        }
        if (r % every !== 0) continue;
        ctx.fillStyle = isSel ? "#000" : "#555";
        const label = L.group === 1 ? v.procs[r].label : v.procs[r * L.group].label;
        if (every > 1) {
          // a tick at the row, its first core's name below it
          ctx.fillRect(labelW - 8, y, 6, 1);
          ctx.textBaseline = "top";
          ctx.fillText(label, 6, y);
          ctx.textBaseline = "middle";
        } else ctx.fillText(label, 6, y + L.rowH / 2);
      }
      stats.firstRow = first;
      stats.scrollTop = top;
      stats.visibleRows = last - first + 1;
      stats.columnsDrawn = cols;
      stats.intervalsWalked = walked;
    }

    /** arrows, GC marks, the selected range: a canvas over the lanes */
    function drawOverlay() {
      const [t0, t1] = x.domain();
      const top = scroller.scrollTop;
      octx.clearRect(0, 0, width, viewH);
      octx.save();
      octx.beginPath();
      octx.rect(labelW, 0, plotW, viewH);
      octx.clip();
      const yOf = (p) => rowOf(p) * L.rowH - top + L.rowH / 2;
      // GC marks
      octx.fillStyle = "#000";
      const gc = v.gc;
      for (let i = 0; i < gc.length; i++) {
        const t = gc.time[i];
        if (t < t0 || t > t1) continue;
        const y = rowOf(gc.proc[i]) * L.rowH - top;
        if (y < -L.rowH || y > viewH) continue;
        octx.fillRect(x(t), y, 2, L.rowH);
      }
      // messages in view: sent by t1 and arrived from t0 (sorted by send time)
      const lo = EpyView.lowerBound(m.send, t0 - v.maxLatency - 1);
      const hi = EpyView.upperBound(m.send, t1, 0, msgCount);
      let inView = 0;
      for (let i = lo; i < hi; i++) if (m.arrive[i] >= t0) inView++;
      stats.messagesInView = inView;
      drawn = [];
      if (showArrows && inView <= MAX_ARROWS) {
        octx.lineWidth = 1;
        for (let i = lo; i < hi; i++) {
          if (m.arrive[i] < t0) continue;
          const xa = x(m.send[i]);
          const xb = x(m.arrive[i]);
          const ya = yOf(m.src[i]);
          const yb = yOf(m.dst[i]);
          if ((ya < 0 && yb < 0) || (ya > viewH && yb > viewH)) continue;
          const hot = i === hoverArrow;
          octx.strokeStyle = hot ? "#d00" : "rgba(20,20,20,0.55)";
          octx.fillStyle = hot ? "#d00" : "rgba(20,20,20,0.75)";
          octx.lineWidth = hot ? 2 : 1;
          octx.beginPath();
          octx.moveTo(xa, ya);
          octx.lineTo(xb, yb);
          octx.stroke();
          const ang = Math.atan2(yb - ya, xb - xa);
          octx.beginPath();
          octx.moveTo(xb, yb);
          octx.lineTo(xb - 5 * Math.cos(ang - 0.4), yb - 5 * Math.sin(ang - 0.4));
          octx.lineTo(xb - 5 * Math.cos(ang + 0.4), yb - 5 * Math.sin(ang + 0.4));
          octx.closePath();
          octx.fill();
          drawn.push(i, xa, ya, xb, yb);
        }
      }
      // the selected range
      if (brush) {
        const a = Math.max(labelW, x(brush[0]));
        const b = Math.min(labelW + plotW, x(brush[1]));
        if (b > a) {
          octx.fillStyle = "rgba(255,255,255,0.3)";
          octx.fillRect(a, 0, b - a, viewH);
          octx.fillStyle = "#1f4fa0";
          octx.fillRect(a - 1, 0, 2, viewH);
          octx.fillRect(b - 1, 0, 2, viewH);
        }
      }
      octx.restore();
      stats.arrowsDrawn = drawn.length / 5;
      const note = !showArrows ? "message arrows are off" : inView > MAX_ARROWS ? `${d3.format(",")(inView)} messages in view: zoom in to see them as arrows` : `${stats.arrowsDrawn} messages shown`;
      setText("arrows-note", note);
    }

    /** the time axis: cycles, and seconds at the chip's clock */
    function drawAxis() {
      const [t0, t1] = x.domain();
      actx.clearRect(0, 0, width, axis.height);
      actx.fillStyle = "#333";
      actx.font = "11px sans-serif";
      actx.textBaseline = "top";
      // whole cycles only (a run of a few cycles has no others)
      const ticks = x.ticks(Math.max(2, Math.floor(plotW / 150))).filter((t) => Number.isInteger(t));
      const step = ticks.length > 1 ? ticks[1] - ticks[0] : t1 - t0;
      const secs = secondsFormat(t1 / v.clockHz, step / v.clockHz);
      actx.fillRect(labelW, 0, plotW, 1);
      const texts = ["cycles", "seconds"];
      for (const t of ticks) {
        const px = x(t);
        const a = fmtCycles(t);
        const b = secs(t / v.clockHz);
        // a label that would run off the right edge ends at its tick instead
        const room = width - px - 4;
        const right = actx.measureText(a).width > room || actx.measureText(b).width > room;
        actx.textAlign = right ? "right" : "left";
        const lx = right ? px - 2 : px + 2;
        actx.fillRect(px, 0, 1, 5);
        texts.push(a, b);
        actx.fillText(a, lx, 6);
        actx.fillStyle = "#777";
        actx.fillText(b, lx, 20);
        actx.fillStyle = "#333";
      }
      actx.textAlign = "left";
      actx.textAlign = "right";
      actx.fillText("cycles", labelW - 6, 6);
      actx.fillStyle = "#777";
      actx.fillText("seconds", labelW - 6, 20);
      actx.textAlign = "left";
      stats.axisText = texts;
      if (brush) {
        const a = Math.max(labelW, x(brush[0]));
        const b = Math.min(labelW + plotW, x(brush[1]));
        if (b > a) {
          actx.fillStyle = "rgba(60,120,216,0.25)";
          actx.fillRect(a, 0, b - a, 4);
        }
      }
    }

    let pending = false;
    let lastWindow = [NaN, NaN];
    function draw() {
      const start = performance.now();
      drawLanes();
      drawOverlay();
      drawAxis();
      stats.domain = x.domain().slice();
      stats.draws++;
      const ms = performance.now() - start;
      stats.lastDrawMs = ms;
      stats.maxDrawMs = Math.max(stats.maxDrawMs, ms);
      stats.drawMs.push(Math.round(ms * 10) / 10);
      if (stats.drawMs.length > 50) stats.drawMs.shift();
      const [t0, t1] = x.domain();
      // the panels that follow the window (the mesh) only when it changed (not on a scroll)
      if (t0 !== lastWindow[0] || t1 !== lastWindow[1]) {
        lastWindow = [t0, t1];
        for (const f of windowListeners) f(t0, t1);
      }
    }
    function schedule() {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        draw();
      });
    }

    const zoom = d3.zoom()
      .scaleExtent([1, Math.max(1, v.totalCycles / 10)])
      .translateExtent([[labelW, 0], [labelW + plotW, 1]])
      .extent([[labelW, 0], [labelW + plotW, 1]])
      // shift + wheel moves through the cores; a drag with shift (or on the axis) selects a range
      .filter((ev) => !ev.shiftKey && (!ev.ctrlKey || ev.type === "wheel") && !ev.button)
      .on("zoom", (event) => {
        x = event.transform.rescaleX(x0);
        stats.zooms++;
        stats.domain = x.domain().slice();
        schedule();
      });
    d3.select(overlay).call(zoom).on("dblclick.zoom", null);
    overlay.addEventListener("wheel", (ev) => {
      if (!ev.shiftKey) return;
      ev.preventDefault();
      scroller.scrollTop += ev.deltaY || ev.deltaX;
    }, { passive: false });
    scroller.addEventListener("scroll", () => schedule());
    sizeSelect.addEventListener("change", () => {
      const value = sizeSelect.value === "fit" ? "fit" : Number(sizeSelect.value);
      L = layoutFor(n, value, maxViewH);
      relayout();
      // keep the chosen core in view
      scroller.scrollTop = Math.max(0, rowOf(selected) * L.rowH - viewH / 2);
      draw();
    });
    const arrowsBox = /** @type {HTMLInputElement} */ (document.getElementById("arrows-on"));
    arrowsBox.addEventListener("change", () => {
      showArrows = arrowsBox.checked;
      drawOverlay();
    });

    // selecting a range: drag on the axis, or shift-drag on the lanes
    function startBrush(ev, target) {
      const rect = target.getBoundingClientRect();
      const px0 = ev.clientX - rect.left;
      if (px0 < labelW) return;
      ev.preventDefault();
      const a = x.invert(Math.min(labelW + plotW, px0));
      const move = (e) => {
        const px = Math.max(labelW, Math.min(labelW + plotW, e.clientX - rect.left));
        const b = x.invert(px);
        brush = [Math.max(0, Math.min(a, b)), Math.min(v.totalCycles, Math.max(a, b))];
        drawOverlay();
        drawAxis();
      };
      const up = (e) => {
        window.removeEventListener("mousemove", move);
        window.removeEventListener("mouseup", up);
        move(e);
        if (brush && brush[1] - brush[0] > 0) for (const f of brushListeners) f(brush[0], brush[1]);
      };
      window.addEventListener("mousemove", move);
      window.addEventListener("mouseup", up);
    }
    axis.addEventListener("mousedown", (ev) => startBrush(ev, axis));
    overlay.addEventListener("mousedown", (ev) => {
      if (ev.shiftKey) startBrush(ev, overlay);
    });

    // hover: a message arrow near the pointer, else what the core did under it
    const tip = document.getElementById("tooltip");
    function arrowNear(px, py) {
      let best = -1;
      let bestD = 4;
      for (let j = 0; j < drawn.length; j += 5) {
        const [xa, ya, xb, yb] = [drawn[j + 1], drawn[j + 2], drawn[j + 3], drawn[j + 4]];
        const dx = xb - xa;
        const dy = yb - ya;
        const len2 = dx * dx + dy * dy;
        const u = len2 > 0 ? Math.max(0, Math.min(1, ((px - xa) * dx + (py - ya) * dy) / len2)) : 0;
        const d = Math.hypot(px - (xa + u * dx), py - (ya + u * dy));
        if (d < bestD) {
          bestD = d;
          best = drawn[j];
        }
      }
      return best;
    }
    function lineAt(p, t) {
      const i = EpyView.intervalAt(lanes[p], t);
      return i < 0 ? null : lanes[p].ln[i];
    }
    function describeMessage(i) {
      const s = m.src[i];
      const d = m.dst[i];
      const ls = lineAt(s, m.send[i]);
      const ld = lineAt(d, m.arrive[i]);
      return [
        `message ${v.procs[s].label} -> ${v.procs[d].label}: ${fmtBytes(m.bytes[i])}, ${m.hops[i]} hop${m.hops[i] === 1 ? "" : "s"}`,
        `sent at cycle ${fmtCycles(m.send[i])}, arrived at ${fmtCycles(m.arrive[i])}: latency ${fmtCycles(m.arrive[i] - m.send[i])} cycles (${fmtSeconds((m.arrive[i] - m.send[i]) / v.clockHz)})`,
        `sender: ${ls === null ? "?" : src.describe(ls)}`,
        `receiver: ${ld === null ? "?" : src.describe(ld)}`,
      ].join("\n");
    }
    function describePixel(r, px) {
      const t = x.invert(px);
      const c = Math.floor(px - labelW);
      const [t0, t1] = x.domain();
      const w = (t1 - t0) / plotW;
      const a = t0 + c * w;
      const b = a + w;
      const p0 = r * L.group;
      const p1 = Math.min(n, p0 + L.group);
      const tot = new Float64Array(S);
      for (let p = p0; p < p1; p++) {
        const one = EpyView.laneTotals(lanes[p], a, b);
        for (let s = 0; s < S; s++) tot[s] += one[s];
      }
      const span = w * (p1 - p0);
      const parts = [];
      let busy = 0;
      for (let s = 0; s < S; s++) busy += tot[s];
      const order = d3.range(S).filter((s) => tot[s] > 0).sort((i, j) => tot[j] - tot[i]);
      for (const s of order) parts.push(`${STATE_NAMES[s]} ${fmtPct(tot[s] / span)}`);
      if (span - busy > span * 1e-9) parts.push(`no state ${fmtPct((span - busy) / span)}`);
      const lines = [];
      if (L.group === 1) {
        const lane = lanes[p0];
        const i = EpyView.intervalAt(lane, t);
        if (i >= 0) {
          const s = lane.t[i];
          const e = lane.t[i + 1];
          lines.push(`${v.procs[p0].label}: ${STATE_NAMES[lane.st[i]]} from cycle ${fmtCycles(s)} to ${fmtCycles(e)} (${fmtCycles(e - s)} cycles, ${fmtSeconds((e - s) / v.clockHz)})`);
          lines.push(src.describe(lane.ln[i]));
        } else lines.push(`${v.procs[p0].label}: no state at cycle ${fmtCycles(t)}`);
      } else lines.push(`${rowLabel(r)} (${p1 - p0} cores in this row)`);
      lines.push(`this pixel, cycles ${fmtCycles(a)} to ${fmtCycles(b)}: ${parts.join(", ") || "no state"}`);
      return lines.join("\n");
    }
    overlay.addEventListener("mousemove", (ev) => {
      const rect = overlay.getBoundingClientRect();
      const px = ev.clientX - rect.left;
      const py = ev.clientY - rect.top;
      const r = Math.floor((py + scroller.scrollTop) / L.rowH);
      const near = arrowNear(px, py);
      if (near !== hoverArrow) {
        hoverArrow = near;
        drawOverlay();
      }
      if (r < 0 || r >= L.rows || px < labelW || px >= labelW + plotW) {
        tip.style.display = "none";
        return;
      }
      tip.textContent = near >= 0 ? describeMessage(near) : describePixel(r, px);
      tip.style.display = "block";
      tip.style.left = `${ev.pageX + 12}px`;
      tip.style.top = `${ev.pageY + 12}px`;
    });
    overlay.addEventListener("mouseleave", () => {
      tip.style.display = "none";
      if (hoverArrow >= 0) {
        hoverArrow = -1;
        drawOverlay();
      }
    });
    overlay.addEventListener("click", (ev) => {
      if (ev.shiftKey) return;
      const rect = overlay.getBoundingClientRect();
      const r = Math.floor((ev.clientY - rect.top + scroller.scrollTop) / L.rowH);
      if (r >= 0 && r < L.rows) {
        selected = r * L.group;
        for (const f of selectListeners) f(selected);
        draw();
      }
    });

    relayout();
    draw();
    return {
      stats,
      onWindow(f) {
        windowListeners.push(f);
      },
      onSelect(f) {
        selectListeners.push(f);
      },
      onBrush(f) {
        brushListeners.push(f);
      },
      /** select a time range (as a drag on the axis does) */
      select(a, b) {
        brush = [Math.max(0, Math.min(a, b)), Math.min(v.totalCycles, Math.max(a, b))];
        drawOverlay();
        drawAxis();
        for (const f of brushListeners) f(brush[0], brush[1]);
      },
      /** the visible window as [t0, t1] */
      domain() {
        return x.domain().slice();
      },
      /** Zoom to show cycles [a, b] (clamped to the run). */
      show(a, b) {
        const total = Math.max(1, v.totalCycles);
        const w = Math.max(10, Math.min(total, b - a));
        const start = Math.min(Math.max(0, a), total - w);
        const k = total / w;
        d3.select(overlay).call(zoom.transform, d3.zoomIdentity.translate(labelW - k * x0(start), 0).scale(k));
      },
      /** Centre the visible window on cycle t, keeping the zoom level (clamped to the run). */
      focus(t) {
        const total = Math.max(1, v.totalCycles);
        const [d0, d1] = x.domain();
        const w = Math.min(total, d1 - d0);
        const start = Math.min(Math.max(0, t - w / 2), total - w);
        // The zoom handler shows x = transform.rescaleX(x0), whose domain starts at
        // x0.invert((labelW - tx) / k); for it to start at `start`: tx = labelW - k * x0(start).
        // (zoom.transform is not held to translateExtent, so the clamp above is what keeps it in range.)
        const k = total / w;
        const tx = labelW - k * x0(start);
        d3.select(overlay).call(zoom.transform, d3.zoomIdentity.translate(tx, 0).scale(k));
      },
      /** Scroll the rows so that core p is in view. */
      reveal(p) {
        scroller.scrollTop = Math.max(0, rowOf(p) * L.rowH - viewH / 2);
        draw();
      },
      /** Choose core p (as a click on its lane does) and scroll it into view. */
      choose(p) {
        selected = p;
        for (const f of selectListeners) f(p);
        scroller.scrollTop = Math.max(0, rowOf(p) * L.rowH - viewH / 2);
        draw();
      },
      /** the arrows drawn: [message index, x0, y0, x1, y1] each, in the overlay's pixels */
      arrows() {
        const out = [];
        for (let j = 0; j < drawn.length; j += 5) out.push(drawn.slice(j, j + 5));
        return out;
      },
      /** draw now (tests: after a scroll) */
      draw,
    };
  }

  // --- the mesh -----------------------------------------------------------------------------------

  const MESH_NAMES = ["cMesh (writes)", "rMesh (reads)", "xMesh (off-chip)"];
  const DIR_NAMES = ["east", "west", "south", "north"];

  /**
   * The chip's mesh, each directed link coloured by its utilisation in the time window: its busy
   * cycles (recorded by the simulator, per mesh) over the window's cycles, 0 to 100%, on one scale
   * for every window. The busiest of the three meshes, or one of them.
   */
  function makeMesh(v) {
    const rows = v.rows;
    const cols = v.cols;
    const size = cols <= 8 ? 260 : 320;
    const cell = size / cols;
    const svg = d3.select("#mesh").append("svg").attr("width", size + 20).attr("height", (size * rows) / cols + 20);
    const g = svg.append("g").attr("transform", "translate(10,10)");
    const coreOf = new Map(v.procs.filter((p) => p.core >= 0).map((p, i) => [p.core, i]));
    const perMesh = v.linksPerMesh;
    // directed links: key = from * 4 + direction (0 E, 1 W, 2 S, 3 N)
    const linkKeys = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const id = r * cols + c;
        if (c + 1 < cols) linkKeys.push(id * 4 + 0, (id + 1) * 4 + 1);
        if (r + 1 < rows) linkKeys.push(id * 4 + 2, (id + cols) * 4 + 3);
      }
    }
    // busy cycles up to the end of each bucket, per mesh and link: prefix sums over the buckets
    const nb = Math.max(1, Math.ceil(v.totalCycles / v.bucketCycles) + 1);
    const L = v.links;
    let maxBucket = 0;
    for (let i = 0; i < L.length; i++) maxBucket = Math.max(maxBucket, L.bucket[i]);
    const nbk = Math.max(nb, maxBucket + 1);
    const pref = new Float64Array((nbk + 1) * 3 * perMesh);
    for (let i = 0; i < L.length; i++) pref[((L.bucket[i] + 1) * 3 + L.mesh[i]) * perMesh + L.link[i]] += L.busy[i];
    for (let b = 1; b <= nbk; b++) {
      const o = b * 3 * perMesh;
      const q = (b - 1) * 3 * perMesh;
      for (let j = 0; j < 3 * perMesh; j++) pref[o + j] += pref[q + j];
    }
    const elinkPref = new Float64Array(nbk + 1);
    for (let i = 0; i < v.elink.length; i++) elinkPref[Math.min(nbk, v.elink.bucket[i] + 1)] += v.elink.busy[i];
    for (let b = 1; b <= nbk; b++) elinkPref[b] += elinkPref[b - 1];

    const color = d3.scaleSequential(d3.interpolateYlOrRd).domain([0, 1]).clamp(true);
    const NO_TRAFFIC = "#e8e8e8";
    const linkSel = g.selectAll("line.link").data(linkKeys).join("line").attr("class", "link");
    const coreSel = g.selectAll("rect.core").data(d3.range(rows * cols)).join("rect").attr("class", "core")
      .attr("x", (d) => (d % cols) * cell + cell * 0.25).attr("y", (d) => Math.floor(d / cols) * cell + cell * 0.25)
      .attr("width", cell * 0.5).attr("height", cell * 0.5)
      .attr("fill", (d) => (coreOf.has(d) ? "#cfe2f3" : "#f3f3f3")).attr("stroke", "#999").attr("stroke-width", 0.5);
    coreSel.append("title").text((d) => `core ${d} (row ${Math.floor(d / cols)}, col ${d % cols})`);
    linkSel.each(function (key) {
      const from = key >> 2;
      const dir = key & 3;
      const r = Math.floor(from / cols);
      const c = from % cols;
      const cx = c * cell + cell / 2;
      const cy = r * cell + cell / 2;
      // the two directions of a link side by side
      const off = dir % 2 === 0 ? -cell * 0.08 : cell * 0.08;
      const [dx, dy] = [[cell, 0], [-cell, 0], [0, cell], [0, -cell]][dir];
      d3.select(this).attr("x1", cx + (dy ? off : dx * 0.25)).attr("y1", cy + (dx ? off : dy * 0.25))
        .attr("x2", cx + dx * 0.75 + (dy ? off : 0)).attr("y2", cy + dy * 0.75 + (dx ? off : 0))
        .attr("stroke-width", Math.max(1, cell * 0.1));
    });

    // the legend: one fixed scale, 0 to 100% of the window's cycles
    const legW = Math.min(size, 280);
    const leg = d3.select("#mesh").append("svg").attr("width", legW + 30).attr("height", 46).attr("class", "mesh-legend");
    const gradId = "util-grad";
    const grad = leg.append("defs").append("linearGradient").attr("id", gradId);
    for (let i = 0; i <= 10; i++) grad.append("stop").attr("offset", `${i * 10}%`).attr("stop-color", color(i / 10));
    const lg = leg.append("g").attr("transform", "translate(10,4)");
    lg.append("rect").attr("width", 14).attr("height", 10).attr("fill", NO_TRAFFIC).attr("stroke", "#aaa");
    lg.append("text").attr("x", 7).attr("y", 22).attr("text-anchor", "middle").attr("font-size", 9).text("idle");
    const g0 = 40;
    lg.append("rect").attr("x", g0).attr("width", legW - g0).attr("height", 10).attr("fill", `url(#${gradId})`).attr("stroke", "#aaa");
    lg.append("g").attr("transform", `translate(${g0},10)`).call(d3.axisBottom(d3.scaleLinear().domain([0, 100]).range([0, legW - g0])).ticks(5).tickFormat((d) => `${d}%`))
      .call((a) => a.selectAll("text").attr("font-size", 9));
    lg.append("text").attr("x", g0).attr("y", 38).attr("font-size", 10).attr("fill", "#555").text("link utilisation: busy cycles / window cycles");

    const pick = /** @type {HTMLSelectElement} */ (document.getElementById("mesh-pick"));
    const caption = d3.select("#mesh").append("div").attr("class", "caption");
    let util = new Map();
    let last = [0, v.totalCycles];
    const tip = document.getElementById("tooltip");
    linkSel.on("mousemove", (ev, key) => {
      const from = key >> 2;
      const dir = key & 3;
      const u = util.get(key) || [0, 0, 0];
      tip.textContent = `link from core ${from} ${DIR_NAMES[dir]}: ${u.map((f, i) => `${MESH_NAMES[i]} ${fmtPct(f)}`).join(", ")} of the window`;
      tip.style.display = "block";
      tip.style.left = `${ev.pageX + 12}px`;
      tip.style.top = `${ev.pageY + 12}px`;
    }).on("mouseleave", () => {
      tip.style.display = "none";
    });
    pick.addEventListener("change", () => api.update(last[0], last[1]));

    const api = {
      stats: { busiest: 0, busiestLink: -1, windowCycles: 0, elink: 0, window: [0, 0] },
      /** tests: every drawn link's key, utilisation per mesh and colour as drawn */
      snapshot() {
        return linkSel.nodes().map((node, i) => ({ key: linkKeys[i], util: util.get(linkKeys[i]), stroke: node.getAttribute("stroke") }));
      },
      /** utilisation of every link over the whole link windows that cover [t0, t1] */
      /**
       * Every link's utilisation per mesh over the link windows that overlap [t0, t1): busy
       * cycles over the windows' cycles (the last one cut at the run's end); the eLink's busy cycles.
       */
      utilisation(t0, t1) {
        const b0 = Math.max(0, Math.min(nbk - 1, Math.floor(t0 / v.bucketCycles)));
        // the last window that overlaps [t0, t1)
        const b1 = Math.max(b0, Math.min(nbk - 1, Math.ceil(t1 / v.bucketCycles) - 1));
        const w0 = b0 * v.bucketCycles;
        const w1 = Math.max(w0 + 1, Math.min(Math.max(v.totalCycles, w0 + 1), (b1 + 1) * v.bucketCycles));
        const span = w1 - w0;
        const util = new Map();
        for (const key of linkKeys) util.set(key, [0, 1, 2].map((mesh) => (pref[((b1 + 1) * 3 + mesh) * perMesh + key] - pref[(b0 * 3 + mesh) * perMesh + key]) / span));
        return { w0, w1, span, util, elink: elinkPref[b1 + 1] - elinkPref[b0] };
      },
      update(t0, t1) {
        last = [t0, t1];
        const r = api.utilisation(t0, t1);
        util = r.util;
        const { w0, w1, span, elink } = r;
        const which = pick.value === "max" ? -1 : Number(pick.value);
        let max = 0;
        let maxKey = -1;
        for (const key of linkKeys) {
          const u = util.get(key);
          const shown = which < 0 ? Math.max(u[0], u[1], u[2]) : u[which];
          if (shown > max) {
            max = shown;
            maxKey = key;
          }
        }
        linkSel.attr("stroke", (key) => {
          const u = util.get(key);
          const f = which < 0 ? Math.max(u[0], u[1], u[2]) : u[which];
          return f > 0 ? color(f) : NO_TRAFFIC;
        });
        Object.assign(api.stats, { busiest: max, busiestLink: maxKey, windowCycles: span, elink: elink / (2 * span), window: [w0, w1] });
        const where = maxKey >= 0 ? ` (core ${maxKey >> 2} ${DIR_NAMES[maxKey & 3]})` : "";
        const elinkUse = elink / (2 * span);
        // the simulator books the host polls on the eLink as load only: their demand can exceed what it carries
        const over = elinkUse > 1 ? " (more than it can carry: the demand booked on it, polls of the host included)" : "";
        caption.text(`cycles ${fmtCycles(w0)} to ${fmtCycles(w1)} (the link windows of ${fmtCycles(v.bucketCycles)} cycles that cover the view): busiest link ${fmtPct(max)}${where}; eLink ${fmtPct(elinkUse)} of its two directions' cycles${over}, ${fmtCycles(elink)} busy cycles`);
      },
    };
    return api;
  }

  // --- memory -------------------------------------------------------------------------------------

  /**
   * Heap bytes in use of one core over time: its heap samples (taken when it stops running byte
   * code and its use changed) and the use before and after each collection, as a step line held
   * until the next sample (and to the end of the run); ticks mark collections.
   */
  function makeMemory(v) {
    const width = 440;
    const height = 190;
    const svg = d3.select("#memory").append("svg").attr("width", width).attr("height", height);
    const g = svg.append("g").attr("transform", "translate(62,10)");
    const w = width - 76;
    const h = height - 52;
    const xs = d3.scaleLinear().domain([0, Math.max(1, v.totalCycles)]).range([0, w]);
    const ys = d3.scaleLinear().range([h, 0]);
    const xAxis = g.append("g").attr("transform", `translate(0,${h})`);
    const yAxis = g.append("g");
    g.append("text").attr("x", w).attr("y", h + 32).attr("text-anchor", "end").attr("font-size", 10).attr("fill", "#555").text("simulated time (cycles)");
    g.append("text").attr("transform", `translate(-50,${h / 2}) rotate(-90)`).attr("text-anchor", "middle").attr("font-size", 10).attr("fill", "#555").text("heap in use (bytes)");
    const path = g.append("path").attr("fill", "none").attr("stroke", "#3c78d8").attr("stroke-width", 1.5);
    const dots = g.append("g");
    const marks = g.append("g");
    const empty = g.append("text").attr("x", w / 2).attr("y", h / 2).attr("text-anchor", "middle").attr("fill", "#888").attr("font-size", 12);
    const caption = d3.select("#memory").append("div").attr("class", "caption");
    const byteTick = d3.format(",d");
    return {
      show(p) {
        const pts = [];
        let pauses = 0;
        let count = 0;
        const gcTimes = [];
        const hp = v.heap;
        for (let i = 0; i < hp.length; i++) if (hp.proc[i] === p) pts.push([hp.time[i], hp.used[i], 0]);
        const gc = v.gc;
        for (let i = 0; i < gc.length; i++) {
          if (gc.proc[i] !== p) continue;
          pts.push([gc.time[i], gc.before[i], 1], [gc.time[i] + gc.pause[i], gc.after[i], 2]);
          gcTimes.push(gc.time[i]);
          pauses += gc.pause[i];
          count++;
        }
        pts.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
        const max = d3.max(pts, (d) => d[1]) || 0;
        // whole bytes on the axis: at least 0..64 B, ticks on round numbers (or whole KiB)
        const top = Math.max(64, max);
        ys.domain([0, top]).nice(4);
        const ticks = ys.ticks(4).filter((d) => Number.isInteger(d));
        xAxis.call(d3.axisBottom(xs).tickValues(xs.ticks(4).filter((t) => Number.isInteger(t))).tickFormat(d3.format("~s")));
        yAxis.call(d3.axisLeft(ys).tickValues(ticks).tickFormat(byteTick));
        // a step line: use holds from one sample to the next, and the last one to the end of the run
        const end = Math.max(v.totalCycles, pts.length ? pts[pts.length - 1][0] : 0);
        const line = [];
        for (let i = 0; i < pts.length; i++) {
          if (i > 0) line.push([pts[i][0], pts[i - 1][1]]);
          line.push([pts[i][0], pts[i][1]]);
        }
        if (pts.length) line.push([end, pts[pts.length - 1][1]]);
        path.attr("d", line.length ? d3.line()(line.map((d) => [xs(d[0]), ys(d[1])])) : null);
        dots.selectAll("circle").data(pts.length <= 200 ? pts : []).join("circle")
          .attr("cx", (d) => xs(d[0])).attr("cy", (d) => ys(d[1])).attr("r", 2.5).attr("fill", "#3c78d8");
        marks.selectAll("line").data(gcTimes).join("line")
          .attr("x1", (d) => xs(d)).attr("x2", (d) => xs(d)).attr("y1", h).attr("y2", h - 6).attr("stroke", "#000");
        empty.text(pts.length ? "" : "no heap samples for this core");
        const peak = pts.length ? `, peak ${fmtBytes(max)}` : "";
        caption.text(`${v.procs[p].label}: ${pts.length} heap sample${pts.length === 1 ? "" : "s"}${peak}, ${count} garbage collection${count === 1 ? "" : "s"}, ${fmtCycles(pauses)} cycles of pauses (click a lane to choose a core)`);
        this.stats = { proc: p, samples: pts.length, max, ticks };
      },
      stats: null,
    };
  }

  // --- a selected time range ------------------------------------------------------------------------

  /**
   * Totals of a time range selected on the axis: time per state of all cores and of each core,
   * the messages sent in it and their bytes, the busiest links of the link windows it overlaps.
   */
  function makeAnalysis(v, timeline, mesh) {
    const box = d3.select("#analysis");
    const n = v.procs.length;
    return {
      result: null,
      show(a, b) {
        const per = new Float64Array(n * S);
        const total = new Float64Array(S);
        for (let p = 0; p < n; p++) {
          const t = EpyView.laneTotals(v.lanes[p], a, b);
          for (let s = 0; s < S; s++) {
            per[p * S + s] = t[s];
            total[s] += t[s];
          }
        }
        // messages sent in [a, b): the msgs are sorted by send time
        const m = v.msgs;
        const lo = EpyView.lowerBound(m.send, a);
        const hi = EpyView.lowerBound(m.send, b);
        let bytes = 0;
        for (let i = lo; i < hi; i++) bytes += m.bytes[i];
        const links = mesh.utilisation(a, b);
        const top = [];
        for (const [key, u] of links.util) {
          for (let k = 0; k < 3; k++) if (u[k] > 0) top.push({ key, mesh: k, util: u[k] });
        }
        top.sort((x, y) => y.util - x.util || x.key - y.key || x.mesh - y.mesh);
        const busiest = top.slice(0, 8);
        const span = b - a;
        const states = d3.range(S).filter((s) => total[s] > 0);
        this.result = { a, b, total: Array.from(total), per: Array.from(per), messages: hi - lo, bytes, links: busiest, linkWindow: [links.w0, links.w1] };

        box.selectAll("*").remove();
        box.append("div").attr("class", "caption").text(`cycles ${fmtCycles(a)} to ${fmtCycles(b)}: ${fmtCycles(span)} cycles (${fmtSeconds(span / v.clockHz)}) on ${n} core${n === 1 ? "" : "s"}`);
        box.append("div").attr("class", "caption").text(`${d3.format(",")(hi - lo)} message${hi - lo === 1 ? "" : "s"} sent in the range, ${fmtBytes(bytes)}`);
        const buttons = box.append("div");
        buttons.append("button").attr("id", "zoom-to-range").text("zoom to the range").on("click", () => timeline.show(a, b));
        const cols = d3.select(box.node()).append("div").attr("class", "row");

        // all cores: time per state
        const all = cols.append("div").attr("class", "panel");
        all.append("h3").text("time per state, all cores");
        const allRows = states.map((s) => [STATE_NAMES[s], fmtCycles(total[s]), fmtPct(total[s] / (span * n))]);
        let busy = 0;
        for (const t of total) busy += t;
        if (span * n - busy > 0.5) allRows.push(["no state", fmtCycles(span * n - busy), fmtPct((span * n - busy) / (span * n))]);
        const t1 = all.append("table").attr("id", "range-states");
        t1.append("tr").selectAll("th").data(["state", "core cycles", "share"]).join("th").text((d) => d);
        t1.selectAll("tr.r").data(allRows).join("tr").attr("class", "r").selectAll("td").data((d) => d).join("td").text((d) => d);

        // the busiest links
        const lk = cols.append("div").attr("class", "panel");
        lk.append("h3").text("busiest links");
        lk.append("div").attr("class", "caption").text(`link windows from cycle ${fmtCycles(links.w0)} to ${fmtCycles(links.w1)}`);
        const t2 = lk.append("table").attr("id", "range-links");
        t2.append("tr").selectAll("th").data(["link", "mesh", "utilisation"]).join("th").text((d) => d);
        t2.selectAll("tr.r").data(busiest.map((l) => [`core ${l.key >> 2} ${DIR_NAMES[l.key & 3]}`, MESH_NAMES[l.mesh], fmtPct(l.util)])).join("tr").attr("class", "r")
          .selectAll("td").data((d) => d).join("td").text((d) => d);
        if (!busiest.length) lk.append("div").attr("class", "caption").text("no traffic between routers");

        // each core: share of the range per state (click a row to choose the core)
        const pc = cols.append("div").attr("class", "panel");
        pc.append("h3").text("each core");
        const scroll = pc.append("div").attr("class", "scroll");
        const t3 = scroll.append("table").attr("id", "range-cores");
        t3.append("tr").selectAll("th").data(["core"].concat(states.map((s) => STATE_NAMES[s]))).join("th").text((d) => d);
        t3.selectAll("tr.r").data(d3.range(n)).join("tr").attr("class", "r")
          .on("click", (_, p) => timeline.choose(p))
          .selectAll("td").data((p) => [v.procs[p].label].concat(states.map((s) => fmtPct(per[p * S + s] / span)))).join("td").text((d) => d);
      },
    };
  }

  // --- output -------------------------------------------------------------------------------------

  function makeOutput(v, timeline) {
    const rows = v.output;
    const shown = rows.slice(0, 2000);
    const list = d3.select("#output").selectAll("div.line").data(shown).join("div").attr("class", "line");
    list.text((d) => `[${v.procs[d[0]].label}] ${d[2]}`).attr("title", (d) => `cycle ${fmtCycles(d[1])}: click to go there`)
      .on("click", (_, d) => {
        timeline.focus(d[1]);
        timeline.reveal(d[0]);
      });
    const total = v.outputLines ?? rows.length;
    if (total > shown.length) d3.select("#output").append("div").attr("class", "caption").text(`... and ${d3.format(",")(total - shown.length)} more lines`);
  }

  // last: everything above is defined by now
  load().catch((e) => {
    status.textContent = `Error: ${e.message}`;
    console.error(e);
  });
})();
