// epython-sim trace explorer: the view model's data (src/trace/view-model.ts says how it is
// encoded) decoded into typed arrays, and what the timeline draws from them: the time each core
// spent in each state within any span of time, at any zoom, without walking every interval.
//
// A lane (one core) is its interval boundaries t[0..k] (interval i is [t[i], t[i+1])), its states
// and its source lines. Summaries: for blocks of 16, 256 and 4,096 consecutive intervals, the time
// in each state, so a pixel column that holds a whole block adds the block's sums instead of its
// intervals. Everything here is exact: a column's time per state is what the core did in it.
/* exported EpyView */
(function (root) {
  "use strict";

  /** states, as in the trace (src/trace/vocab.ts), and a ninth: not running at all (before start, after done) */
  const STATES = 8;
  const NONE = 8;
  const BLOCKS = [4096, 256, 16];

  function base64ToBytes(text) {
    const s = text.replace(/\s+/g, "");
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(s);
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // the varint reader: `pos` is where the next varint starts (one reader at a time)
  let pos = 0;

  /** An unsigned LEB128 varint (up to 2^53) at pos. */
  function uv(bytes) {
    let b = bytes[pos++];
    if (b < 128) return b;
    let v = b & 127;
    let mul = 128;
    for (;;) {
      b = bytes[pos++];
      v += (b & 127) * mul;
      if (b < 128) return v;
      mul *= 128;
    }
  }

  /** A zig-zag varint at pos. */
  function zz(bytes) {
    const u = uv(bytes);
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** A column section: one Float64Array per column, by name, and `length`. */
  function decodeColumns(bytes, sec) {
    const cols = sec.columns;
    const k = cols.length;
    const n = sec.rows;
    const arrays = cols.map(() => new Float64Array(n));
    const q = new Float64Array(k);
    // how each column's value is based: 0 none, 1 delta (its own previous value: q[j] still holds it), 2 another column
    const how = new Int32Array(k);
    const rel = new Int32Array(k);
    cols.forEach((c, j) => {
      how[j] = c.base === "none" ? 0 : c.base === "delta" ? 1 : 2;
      rel[j] = how[j] === 2 ? cols.findIndex((d) => d.name === c.base) : 0;
      if (how[j] === 2 && !(rel[j] >= 0 && rel[j] < j)) throw new Error(`view data: column ${c.name} is based on '${c.base}', not an earlier column`);
    });
    pos = sec.offset;
    const scales = cols.map((c) => c.scale);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        let v = zz(bytes);
        const h = how[j];
        if (h === 1) v += q[j];
        else if (h === 2) v += q[rel[j]];
        q[j] = v;
        arrays[j][i] = v / scales[j];
      }
    }
    if (pos !== sec.offset + sec.length) throw new Error(`view data: section of ${n} rows ends at byte ${pos}, not ${sec.offset + sec.length}`);
    const out = { length: n };
    cols.forEach((c, j) => {
      out[c.name] = arrays[j];
    });
    return out;
  }

  /** The lanes: boundaries, states and lines of every core's intervals, and their block sums. */
  function decodeLanes(bytes, sec, nprocs, scale) {
    const total = sec.rows;
    const times = new Float64Array(total + nprocs);
    const states = new Uint8Array(total);
    const lines = new Uint32Array(total);
    const lanes = [];
    let ti = 0;
    let si = 0;
    pos = sec.offset;
    for (let p = 0; p < nprocs; p++) {
      const k = uv(bytes);
      const t0 = ti;
      const s0 = si;
      if (k > 0) {
        if (si + k > total) throw new Error(`view data: the lanes hold more than ${total} intervals`);
        let q = uv(bytes);
        times[ti++] = q / scale;
        for (let i = 0; i < k; i++) {
          q += uv(bytes);
          times[ti++] = q / scale;
          const code = uv(bytes);
          const state = code % 8;
          states[si] = state;
          lines[si] = (code - state) / 8;
          si++;
        }
      }
      lanes.push({ k, t: times.subarray(t0, k > 0 ? ti : t0), st: states.subarray(s0, si), ln: lines.subarray(s0, si), sums: null });
    }
    if (pos !== sec.offset + sec.length || si !== total) throw new Error(`view data: the lanes end at byte ${pos}, not ${sec.offset + sec.length}`);
    for (const lane of lanes) lane.sums = blockSums(lane);
    return lanes;
  }

  /** Time per state of each whole block of BLOCKS[j] intervals: sums[j][b * STATES + state]. */
  function blockSums(lane) {
    const sums = [];
    const { k, t, st } = lane;
    const small = BLOCKS[BLOCKS.length - 1];
    const n16 = Math.floor(k / small);
    const s16 = new Float64Array(n16 * STATES);
    for (let b = 0; b < n16; b++) {
      for (let i = b * small; i < (b + 1) * small; i++) s16[b * STATES + st[i]] += t[i + 1] - t[i];
    }
    let below = s16;
    const levels = [s16];
    for (let j = BLOCKS.length - 2; j >= 0; j--) {
      const ratio = BLOCKS[j] / BLOCKS[j + 1];
      const n = Math.floor(k / BLOCKS[j]);
      const s = new Float64Array(n * STATES);
      for (let b = 0; b < n; b++) {
        for (let c = b * ratio; c < (b + 1) * ratio; c++) for (let x = 0; x < STATES; x++) s[b * STATES + x] += below[c * STATES + x];
      }
      levels.unshift(s);
      below = s;
    }
    for (const l of levels) sums.push(l);
    return sums;
  }

  /** The first index i with arr[i] > x (arr ascending), in [lo, hi). */
  function upperBound(arr, x, lo, hi) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (arr[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index i with arr[i] >= x (arr ascending). */
  function lowerBound(arr, x) {
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (arr[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The interval of a lane that holds time x, or -1. */
  function intervalAt(lane, x) {
    if (lane.k === 0 || x < lane.t[0] || x >= lane.t[lane.k]) return -1;
    return upperBound(lane.t, x, 0, lane.k + 1) - 1;
  }

  /**
   * Add to acc[c * STATES + state] the time the lane spent in each state in each of `cols` equal
   * columns of [t0, t1): exact (whole blocks within one column are added from their sums).
   * Returns how many intervals and blocks it looked at.
   */
  function accumulate(lane, t0, t1, cols, acc) {
    const { k, t, st, sums } = lane;
    if (k === 0 || t1 <= t0 || t[k] <= t0 || t[0] >= t1) return 0;
    const w = (t1 - t0) / cols;
    const last = cols - 1;
    let i = Math.max(0, upperBound(t, t0, 0, k + 1) - 1);
    let steps = 0;
    outer: while (i < k) {
      const s = t[i];
      if (s >= t1) break;
      steps++;
      if ((i & 15) === 0 && s >= t0) {
        const c = Math.min(last, Math.floor((s - t0) / w));
        const colEnd = Math.min(t1, t0 + (c + 1) * w);
        for (let j = 0; j < BLOCKS.length; j++) {
          const B = BLOCKS[j];
          if (i % B !== 0 || i + B > k || t[i + B] > colEnd) continue;
          const b = i / B;
          const src = sums[j];
          const o = c * STATES;
          for (let x = 0; x < STATES; x++) acc[o + x] += src[b * STATES + x];
          i += B;
          continue outer;
        }
      }
      const a = s > t0 ? s : t0;
      const e = t[i + 1];
      const b = e < t1 ? e : t1;
      const state = st[i];
      i++;
      if (b <= a) continue;
      const c0 = Math.min(last, Math.floor((a - t0) / w));
      const c1 = Math.min(last, Math.floor((b - t0) / w));
      if (c0 === c1) {
        acc[c0 * STATES + state] += b - a;
        continue;
      }
      acc[c0 * STATES + state] += t0 + (c0 + 1) * w - a;
      for (let c = c0 + 1; c < c1; c++) acc[c * STATES + state] += w;
      acc[c1 * STATES + state] += b - (t0 + c1 * w);
    }
    return steps;
  }

  /** Time per state (Float64Array(STATES)) a lane spent in [a, b). */
  function laneTotals(lane, a, b) {
    const acc = new Float64Array(STATES);
    accumulate(lane, a, b, 1, acc);
    return acc;
  }

  /**
   * Decode a model: its JSON (`meta`) and its bytes. Returns the meta with lanes, msgs, links,
   * elink, gc and heap added.
   */
  function decodeView(meta, bytes) {
    if (meta.encoding !== 2) throw new Error(`this page reads view data of encoding 2, not ${meta.encoding}: make the page again with this epython-sim`);
    const v = Object.assign({}, meta);
    const s = meta.sections;
    v.lanes = decodeLanes(bytes, s.lanes, meta.procs.length, meta.timeScale);
    v.msgs = decodeColumns(bytes, s.msgs);
    v.links = decodeColumns(bytes, s.links);
    v.elink = decodeColumns(bytes, s.elink);
    v.gc = decodeColumns(bytes, s.gc);
    v.heap = decodeColumns(bytes, s.heap);
    v.intervals = s.lanes.rows;
    return v;
  }

  /**
   * Split each column's `h` pixels among the states by their share of its time, carrying what
   * rounding leaves over to the next column (per state), so a lane's pixels of each colour add up
   * to its time in that state. `acc` holds cols * STATES times of a column of width w (NONE: the
   * rest of the column); `err` (STATES + 1) carries the remainders; `counts` receives pixels per
   * state for column c. Returns nothing; fills counts.
   */
  function splitColumn(acc, c, w, h, err, counts) {
    let used = 0;
    let sum = 0;
    const o = c * STATES;
    const target = splitColumn.target;
    for (let x = 0; x < STATES; x++) {
      const share = acc[o + x] / w;
      sum += share;
      target[x] = h * share + err[x];
    }
    target[NONE] = h * Math.max(0, 1 - sum) + err[NONE];
    for (let x = 0; x <= NONE; x++) {
      const n = target[x] > 0 ? Math.floor(target[x]) : 0;
      counts[x] = n;
      used += n;
    }
    while (used < h) {
      let best = 0;
      let bestRest = -Infinity;
      for (let x = 0; x <= NONE; x++) {
        const rest = target[x] - counts[x];
        if (rest > bestRest) {
          bestRest = rest;
          best = x;
        }
      }
      counts[best]++;
      used++;
    }
    while (used > h) {
      let worst = -1;
      let worstRest = Infinity;
      for (let x = 0; x <= NONE; x++) {
        if (counts[x] === 0) continue;
        const rest = target[x] - counts[x];
        if (rest < worstRest) {
          worstRest = rest;
          worst = x;
        }
      }
      counts[worst]--;
      used--;
    }
    for (let x = 0; x <= NONE; x++) {
      const e = target[x] - counts[x];
      err[x] = e > 1 ? 1 : e < -1 ? -1 : e;
    }
  }
  splitColumn.target = new Float64Array(STATES + 1);

  const api = { STATES, NONE, BLOCKS, blockSums, base64ToBytes, decodeView, decodeColumns, decodeLanes, accumulate, laneTotals, intervalAt, splitColumn, upperBound, lowerBound };
  root.EpyView = api;
})(typeof window !== "undefined" ? window : globalThis);
