// epython-sim trace explorer: a per-core timeline (canvas, zoom and pan), messages as arrows,
// the mesh with link load over the visible time window, memory and GC per core, program output.
// Reads the view model that `epython view` embeds or serves (see src/trace/view-model.ts).
// Everything the program printed is inserted as text (textContent), never as HTML.
/* global d3 */
(function main() {
  "use strict";

  const STATE_NAMES = ["running", "recv", "send", "barrier", "host", "done", "failed", "collective"];
  const STATE_COLORS = ["#3a9d5d", "#3c78d8", "#e69138", "#8e44ad", "#c9a227", "#e6e6e6", "#d62728", "#17a2b8"];
  const MAX_ARROWS = 3000;

  /** @type {any} */
  let view = /** @type {any} */ (window).__EPYTHON_VIEW__;
  const status = document.getElementById("status");

  async function load() {
    if (!view) {
      const r = await fetch("view.json");
      if (!r.ok) throw new Error(`could not load the trace (${r.status})`);
      view = await r.json();
    }
    render(view);
  }

  load().catch((e) => {
    status.textContent = `Error: ${e.message}`;
  });

  function fmtCycles(c) {
    return d3.format(",")(Math.round(c));
  }

  function render(v) {
    const n = v.procs.length;
    const seconds = v.totalCycles / v.clockHz;
    setText("title", `${v.program} on ${v.chip}`);
    const facts = [
      ["chip", `${v.chip} (${v.rows}x${v.cols}, ${d3.format(".0f")(v.clockHz / 1e6)} MHz)`],
      ["cores", String(n)],
      ["simulated time", `${fmtCycles(v.totalCycles)} cycles (${d3.format(".6f")(seconds)} s)`],
      ["messages", d3.format(",")(v.messages)],
      ["bytes", d3.format(",")(v.messageBytes)],
      // an incomplete trace (a killed run) and an interrupted run are not failures of the program
      ["run", v.ok ? "completed" : /^(incomplete trace|interrupted by)/.test(v.error ?? "") ? v.error.replace(/^\w+/, (w) => w.toUpperCase()) : `failed: ${v.error}`],
    ];
    const summary = d3.select("#summary");
    summary.selectAll("div").data(facts).join("div").attr("class", "fact")
      .call((div) => {
        div.selectAll("span.k").data((d) => [d[0]]).join("span").attr("class", "k").text((d) => d);
        div.selectAll("span.v").data((d) => [d[1]]).join("span").attr("class", "v").text((d) => d);
      });
    if (!v.ok) d3.select("#summary").classed("failed", true);

    const lanes = buildLanes(v);
    const timeline = makeTimeline(v, lanes);
    const mesh = makeMesh(v);
    const memory = makeMemory(v);
    makeLegend();
    makeOutput(v, timeline);
    timeline.onWindow((t0, t1) => mesh.update(t0, t1));
    timeline.onSelect((p) => memory.show(p));
    mesh.update(0, v.totalCycles);
    memory.show(0);
    status.textContent = "";
    /** test hook: what the page drew */
    /** @type {any} */ (window).__viz = timeline.stats;
  }

  function setText(id, text) {
    const el = document.getElementById(id);
    if (el) el.textContent = text;
  }

  /** Intervals per process, sorted by start: [start, end, state, line]. */
  function buildLanes(v) {
    const lanes = v.procs.map(() => ({ start: [], end: [], state: [], line: [] }));
    const s = v.states;
    for (let i = 0; i < s.length; i += 5) {
      const lane = lanes[s[i]];
      lane.start.push(s[i + 1]);
      lane.end.push(s[i + 2]);
      lane.state.push(s[i + 3]);
      lane.line.push(s[i + 4]);
    }
    return lanes;
  }

  function lowerBound(arr, x) {
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (arr[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function makeLegend() {
    const items = STATE_NAMES.map((name, i) => ({ name, color: STATE_COLORS[i] })).concat([{ name: "message", color: "#222" }, { name: "GC", color: "#000" }]);
    const leg = d3.select("#legend").selectAll("span.item").data(items).join("span").attr("class", "item");
    leg.selectAll("i").data((d) => [d]).join("i").style("background", (d) => d.color);
    leg.selectAll("b").data((d) => [d]).join("b").text((d) => d.name);
  }

  function makeTimeline(v, lanes) {
    const n = v.procs.length;
    const container = document.getElementById("timeline");
    const width = Math.max(600, container.clientWidth);
    const laneH = n <= 32 ? 18 : n <= 128 ? 6 : Math.max(1, Math.floor(900 / n));
    const labelW = n <= 128 ? 90 : 60;
    const height = n * laneH;
    const plotW = width - labelW - 10;
    const canvas = d3.select(container).append("canvas").attr("id", "lanes").attr("width", width).attr("height", height + 30).node();
    const ctx = canvas.getContext("2d");
    const x0 = d3.scaleLinear().domain([0, Math.max(1, v.totalCycles)]).range([labelW, labelW + plotW]);
    let x = x0.copy();
    const windowListeners = [];
    const selectListeners = [];
    let selected = 0;
    const stats = { lanes: n, intervalsDrawn: 0, arrowsDrawn: 0, messagesInView: 0, domain: x.domain().slice(), zooms: 0 };

    // messages: [src, dst, send, arrive, hops]
    const m = v.msgs;
    const msgCount = m.length / 5;
    const sendOrder = new Float64Array(msgCount);
    for (let i = 0; i < msgCount; i++) sendOrder[i] = m[i * 5 + 2];

    function draw() {
      const [t0, t1] = x.domain();
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.font = "11px sans-serif";
      ctx.textBaseline = "middle";
      let drawn = 0;
      for (let p = 0; p < n; p++) {
        const y = p * laneH;
        if (laneH >= 8) {
          ctx.fillStyle = p === selected ? "#000" : "#555";
          ctx.fillText(v.procs[p].label, 4, y + laneH / 2);
        } else if (p === selected) {
          ctx.fillStyle = "#000";
          ctx.fillRect(0, y, labelW - 4, Math.max(1, laneH));
        }
        const lane = lanes[p];
        let i = Math.max(0, lowerBound(lane.end, t0));
        let lastPx = -1;
        for (; i < lane.start.length && lane.start[i] <= t1; i++) {
          const a = Math.max(labelW, x(lane.start[i]));
          const b = Math.min(labelW + plotW, x(lane.end[i]));
          if (b < labelW) continue;
          // many intervals inside one pixel: draw that pixel once (level of detail for long runs)
          if (b - a < 1 && Math.floor(a) === lastPx) continue;
          lastPx = Math.floor(a);
          ctx.fillStyle = STATE_COLORS[lane.state[i]] || "#999";
          ctx.fillRect(a, y + (laneH > 3 ? 1 : 0), Math.max(1, b - a), Math.max(1, laneH - (laneH > 3 ? 2 : 0)));
          drawn++;
        }
      }
      // GC marks
      ctx.fillStyle = "#000";
      for (let i = 0; i < v.gc.length; i += 5) {
        const t = v.gc[i + 1];
        if (t < t0 || t > t1) continue;
        ctx.fillRect(x(t), v.gc[i] * laneH, 2, laneH);
      }
      // message arrows, from the sender's lane when sent to the receiver's lane when visible
      const first = lowerBound(sendOrder, t0);
      let inView = 0;
      for (let i = 0; i < msgCount; i++) if (m[i * 5 + 2] <= t1 && m[i * 5 + 3] >= t0) inView++;
      stats.messagesInView = inView;
      let arrows = 0;
      if (inView <= MAX_ARROWS) {
        ctx.strokeStyle = "rgba(20,20,20,0.55)";
        ctx.fillStyle = "rgba(20,20,20,0.75)";
        ctx.lineWidth = 1;
        for (let i = 0; i < msgCount; i++) {
          const send = m[i * 5 + 2];
          const arrive = m[i * 5 + 3];
          if (send > t1 || arrive < t0) continue;
          const xa = x(send);
          const xb = x(arrive);
          const ya = m[i * 5] * laneH + laneH / 2;
          const yb = m[i * 5 + 1] * laneH + laneH / 2;
          ctx.beginPath();
          ctx.moveTo(xa, ya);
          ctx.lineTo(xb, yb);
          ctx.stroke();
          const ang = Math.atan2(yb - ya, xb - xa);
          ctx.beginPath();
          ctx.moveTo(xb, yb);
          ctx.lineTo(xb - 5 * Math.cos(ang - 0.4), yb - 5 * Math.sin(ang - 0.4));
          ctx.lineTo(xb - 5 * Math.cos(ang + 0.4), yb - 5 * Math.sin(ang + 0.4));
          ctx.closePath();
          ctx.fill();
          arrows++;
        }
      }
      void first;
      // time axis under the lanes
      const ticks = x.ticks(8);
      ctx.fillStyle = "#333";
      ctx.textBaseline = "top";
      for (const t of ticks) {
        const px = x(t);
        ctx.fillRect(px, height, 1, 5);
        ctx.fillText(fmtCycles(t), px + 2, height + 8);
      }
      ctx.fillText("cycles", labelW + plotW - 40, height + 18);
      stats.intervalsDrawn = drawn;
      stats.arrowsDrawn = arrows;
      stats.domain = x.domain().slice();
      const sampled = v.msgStride > 1 ? ` (every ${v.msgStride}th of ${d3.format(",")(v.messages)} messages is kept as an arrow)` : "";
      setText("arrows-note", (inView > MAX_ARROWS ? `${d3.format(",")(inView)} messages in view: zoom in to see them as arrows` : `${arrows} messages shown`) + sampled);
      for (const f of windowListeners) f(t0, t1);
    }

    const zoom = d3.zoom()
      .scaleExtent([1, Math.max(1, v.totalCycles / 10)])
      .translateExtent([[labelW, 0], [labelW + plotW, height]])
      .extent([[labelW, 0], [labelW + plotW, height]])
      .on("zoom", (event) => {
        x = event.transform.rescaleX(x0);
        stats.zooms++;
        draw();
      });
    d3.select(canvas).call(zoom);

    // hover: the interval under the pointer
    const tip = document.getElementById("tooltip");
    canvas.addEventListener("mousemove", (ev) => {
      const rect = canvas.getBoundingClientRect();
      const px = ev.clientX - rect.left;
      const py = ev.clientY - rect.top;
      const p = Math.floor(py / laneH);
      if (p < 0 || p >= n || px < labelW) {
        tip.style.display = "none";
        return;
      }
      const t = x.invert(px);
      const lane = lanes[p];
      const i = lowerBound(lane.end, t);
      if (i >= lane.start.length || lane.start[i] > t) {
        tip.style.display = "none";
        return;
      }
      tip.textContent = `${v.procs[p].label}: ${STATE_NAMES[lane.state[i]]} from cycle ${fmtCycles(lane.start[i])} to ${fmtCycles(lane.end[i])} (${fmtCycles(lane.end[i] - lane.start[i])} cycles), line ${lane.line[i]}`;
      tip.style.display = "block";
      tip.style.left = `${ev.pageX + 12}px`;
      tip.style.top = `${ev.pageY + 12}px`;
    });
    canvas.addEventListener("mouseleave", () => {
      tip.style.display = "none";
    });
    canvas.addEventListener("click", (ev) => {
      const rect = canvas.getBoundingClientRect();
      const p = Math.floor((ev.clientY - rect.top) / laneH);
      if (p >= 0 && p < n) {
        selected = p;
        for (const f of selectListeners) f(p);
        draw();
      }
    });

    draw();
    return {
      stats,
      onWindow(f) {
        windowListeners.push(f);
      },
      onSelect(f) {
        selectListeners.push(f);
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
        d3.select(canvas).call(zoom.transform, d3.zoomIdentity.translate(tx, 0).scale(k));
      },
    };
  }

  /** The chip's mesh, each directed link coloured by its busy cycles in the time window (recorded by the simulator). */
  function makeMesh(v) {
    const rows = v.rows;
    const cols = v.cols;
    const size = cols <= 8 ? 260 : 320;
    const cell = size / cols;
    const svg = d3.select("#mesh").append("svg").attr("width", size + 20).attr("height", (size * rows) / cols + 40);
    const g = svg.append("g").attr("transform", "translate(10,10)");
    const coreOf = new Map(v.procs.filter((p) => p.core >= 0).map((p, i) => [p.core, i]));
    // directed links: key = from * 4 + direction (0 E, 1 W, 2 S, 3 N)
    const linkKeys = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const id = r * cols + c;
        if (c + 1 < cols) linkKeys.push([id, 0], [id + 1, 1]);
        if (r + 1 < rows) linkKeys.push([id, 2], [id + cols, 3]);
      }
    }
    const color = d3.scaleSequential(d3.interpolateYlOrRd);
    const linkSel = cols <= 32 ? g.selectAll("line.link").data(linkKeys).join("line").attr("class", "link") : null;
    const coreSel = g.selectAll("rect.core").data(d3.range(rows * cols)).join("rect").attr("class", "core")
      .attr("x", (d) => (d % cols) * cell + cell * 0.25).attr("y", (d) => Math.floor(d / cols) * cell + cell * 0.25)
      .attr("width", cell * 0.5).attr("height", cell * 0.5)
      .attr("fill", (d) => (coreOf.has(d) ? "#cfe2f3" : "#f3f3f3")).attr("stroke", "#999").attr("stroke-width", 0.5);
    coreSel.append("title").text((d) => `core ${d} (row ${Math.floor(d / cols)}, col ${d % cols})`);
    if (linkSel) {
      linkSel.each(function (d) {
        const [from, dir] = d;
        const r = Math.floor(from / cols);
        const c = from % cols;
        const cx = c * cell + cell / 2;
        const cy = r * cell + cell / 2;
        const off = dir % 2 === 0 ? -cell * 0.08 : cell * 0.08;
        const [dx, dy] = [[cell, 0], [-cell, 0], [0, cell], [0, -cell]][dir];
        d3.select(this).attr("x1", cx + (dy ? off : dx * 0.25)).attr("y1", cy + (dx ? off : dy * 0.25))
          .attr("x2", cx + dx * 0.75 + (dy ? off : 0) - (dx ? dx * 0 : 0)).attr("y2", cy + dy * 0.75 + (dx ? off : 0))
          .attr("stroke-width", Math.max(1, cell * 0.08));
      });
    }
    const caption = d3.select("#mesh").append("div").attr("class", "caption");
    return {
      update(t0, t1) {
        // link load from the time buckets that overlap the window
        const load = new Map();
        let max = 0;
        const b0 = Math.floor(t0 / v.bucketCycles);
        const b1 = Math.floor(t1 / v.bucketCycles);
        const ll = v.linkLoad;
        for (let i = 0; i < ll.length; i += 3) {
          if (ll[i] < b0 || ll[i] > b1) continue;
          const l = (load.get(ll[i + 1]) || 0) + ll[i + 2];
          load.set(ll[i + 1], l);
          if (l > max) max = l;
        }
        color.domain([0, Math.max(1, max)]);
        if (linkSel) linkSel.attr("stroke", (d) => {
          const l = load.get(d[0] * 4 + d[1]) || 0;
          return l === 0 ? "#eee" : color(l);
        });
        let elink = 0;
        const el = v.elinkLoad || [];
        for (let i = 0; i < el.length; i += 2) if (el[i] >= b0 && el[i] <= b1) elink += el[i + 1];
        const w0 = b0 * v.bucketCycles;
        const w1 = Math.min(v.totalCycles, (b1 + 1) * v.bucketCycles);
        const pct = ((100 * max) / Math.max(1, w1 - w0)).toFixed(1);
        caption.text(`busy cycles of each link (write, read and off-chip meshes), cycles ${fmtCycles(w0)} to ${fmtCycles(w1)}: busiest link ${d3.format(",.0f")(max)} (${pct}%); eLink ${d3.format(",.0f")(elink)}`);
      },
    };
  }

  /** Heap use of one core over time from its GC events (before and after each collection). */
  function makeMemory(v) {
    const width = 420;
    const height = 180;
    const svg = d3.select("#memory").append("svg").attr("width", width).attr("height", height);
    const g = svg.append("g").attr("transform", "translate(50,10)");
    const w = width - 60;
    const h = height - 40;
    const xs = d3.scaleLinear().domain([0, Math.max(1, v.totalCycles)]).range([0, w]);
    const ys = d3.scaleLinear().range([h, 0]);
    const xAxis = g.append("g").attr("transform", `translate(0,${h})`);
    const yAxis = g.append("g");
    const path = g.append("path").attr("fill", "none").attr("stroke", "#3c78d8").attr("stroke-width", 1.5);
    const marks = g.append("g");
    const caption = d3.select("#memory").append("div").attr("class", "caption");
    return {
      show(p) {
        // heap use: the samples taken when the core blocks, plus before/after of each collection
        const pts = [];
        let pauses = 0;
        let count = 0;
        const gcTimes = [];
        for (let i = 0; i < (v.heap || []).length; i += 3) if (v.heap[i] === p) pts.push([v.heap[i + 1], v.heap[i + 2], 0]);
        for (let i = 0; i < v.gc.length; i += 5) {
          if (v.gc[i] !== p) continue;
          pts.push([v.gc[i + 1], v.gc[i + 2], 1], [v.gc[i + 1], v.gc[i + 3], 2]);
          gcTimes.push([v.gc[i + 1]]);
          pauses += v.gc[i + 4];
          count++;
        }
        pts.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
        ys.domain([0, Math.max(1, d3.max(pts, (d) => d[1]) || 1)]);
        xAxis.call(d3.axisBottom(xs).ticks(4).tickFormat(d3.format("~s")));
        yAxis.call(d3.axisLeft(ys).ticks(4).tickFormat(d3.format("~s")));
        path.attr("d", pts.length ? d3.line()(pts.map((d) => [xs(d[0]), ys(d[1])])) : null);
        marks.selectAll("line").data(gcTimes).join("line")
          .attr("x1", (d) => xs(d[0])).attr("x2", (d) => xs(d[0])).attr("y1", h).attr("y2", h - 6).attr("stroke", "#000");
        caption.text(`${v.procs[p].label}: ${count} garbage collection${count === 1 ? "" : "s"}, ${fmtCycles(pauses)} cycles of pauses; heap bytes in use over time, ticks mark collections (click a lane to choose a core)`);
      },
    };
  }

  function makeOutput(v, timeline) {
    const rows = [];
    for (let i = 0; i < v.output.length; i += 1) rows.push(v.output[i]);
    const list = d3.select("#output").selectAll("div.line").data(rows.slice(0, 2000)).join("div").attr("class", "line");
    list.text((d) => `[${v.procs[d[0]].label}] ${d[2]}`).attr("title", (d) => `cycle ${fmtCycles(d[1])}: click to go there`)
      .on("click", (_, d) => timeline.focus(d[1]));
    if (rows.length > 2000) d3.select("#output").append("div").attr("class", "caption").text(`... and ${rows.length - 2000} more lines`);
  }
})();
