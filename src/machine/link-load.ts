/**
 * Where the mesh's and the eLink's traffic went when: busy cycles per load index (a port, a link
 * or an eLink direction; Mesh numbers them) per time window, for traces and the explorer.
 *
 * Windows start WINDOW_CYCLES_MIN long; when a run outgrows LOAD_WINDOWS of them, pairs are merged
 * and the window doubles, so any run ends with at most LOAD_WINDOWS windows, and a packet that
 * held a link from time s counts in window floor(s / windowCycles) of the final length.
 *
 * The hot path (book) is called for every link of every packet: on 1,024 cores billions of times.
 * It finds the window by comparing with the bounds of the window it used last (the same answer
 * as the division, since window lengths are 1,024 times powers of two, so the bounds are exact)
 * and adds to the window only. The run totals of the mesh's ports are sums of those windows (their
 * packet times are whole cycles, so the sums are exact in any order); only the eLink's directions,
 * whose packet times are fractions, keep a running total in call order as well.
 */

/**
 * Link load over time is kept in at most this many windows per run, each at least
 * WINDOW_CYCLES_MIN long (a choice of resolution for traces and the explorer, not hardware).
 */
export const LOAD_WINDOWS = 64;
export const WINDOW_CYCLES_MIN = 1024;

export class LoadWindows {
  /** length of a window in cycles */
  windowCycles = WINDOW_CYCLES_MIN;
  /** windows that have had traffic booked in them or before them */
  windowsUsed = 0;
  /** busy cycles per load index per window, window-major (for routes booked as chains: baseOf) */
  readonly windows: Float64Array;
  /** run totals of the indices from `exactFrom` on (the eLink's), summed in call order */
  private readonly totals: Float64Array;
  // the window booked last: its first index in `windows`, and bounds [lo, hi)
  private lastBase = 0;
  private lastLo = 0;
  private lastHi = WINDOW_CYCLES_MIN;

  /** The end of the window baseOf() last returned. */
  get hi(): number {
    return this.lastHi;
  }

  /**
   * `n` load indices; those from `exactFrom` on get running totals in call order (their packet
   * times are not whole cycles), the others' totals are the sums of their windows.
   */
  constructor(
    readonly n: number,
    private readonly exactFrom: number,
  ) {
    this.windows = new Float64Array(n * LOAD_WINDOWS);
    this.totals = new Float64Array(n - exactFrom);
    this.reset();
  }

  reset(): void {
    this.windows.fill(0);
    this.totals.fill(0);
    this.windowCycles = WINDOW_CYCLES_MIN;
    this.windowsUsed = 0;
    this.lastBase = 0;
    this.lastLo = 0;
    this.lastHi = 0;
  }

  /** Charge `occ` busy cycles to load index `l` (a mesh port) for a packet that holds it from time `s`. */
  book(l: number, s: number, occ: number): void {
    this.windows[this.baseOf(s) + l] += occ;
  }

  /**
   * The first index in `windows` of the window holding time s; its end is then `hi`. A packet's
   * route holds its ports at ever later times, so a caller booking one port after another stays
   * in that window (windows[base + l] += occ) until a time reaches `hi`, and asks again then.
   */
  baseOf(s: number): number {
    return s >= this.lastLo && s < this.lastHi ? this.lastBase : this.windowBase(s);
  }

  /** book() for an index from `exactFrom` on (an eLink direction): its running total too. */
  bookExact(l: number, s: number, occ: number): void {
    this.totals[l - this.exactFrom] += occ;
    this.book(l, s, occ);
  }

  /** book() for `count` packets on load index l, one every `period` cycles from `start`, window by window. */
  bookRepeated(l: number, start: number, period: number, count: number, occ: number): void {
    let i = 0;
    while (i < count) {
      const t = start + i * period;
      const base = t >= this.lastLo && t < this.lastHi ? this.lastBase : this.windowBase(t);
      const inWindow = Math.min(count - i, Math.max(1, Math.ceil((this.lastHi - t) / period)));
      if (l >= this.exactFrom) this.totals[l - this.exactFrom] += inWindow * occ;
      this.windows[base + l] += inWindow * occ;
      i += inWindow;
    }
  }

  /**
   * bookRepeated() for each mesh port `route[0..n)` (a polling core's reads take the same ports
   * each time): the windows are found once for all of them. Each port's window gets the same sums
   * as port by port (whole cycles: exact in any order).
   */
  bookRepeatedRoute(route: Int32Array, n: number, start: number, period: number, count: number, occ: number): void {
    let i = 0;
    while (i < count) {
      const t = start + i * period;
      const base = t >= this.lastLo && t < this.lastHi ? this.lastBase : this.windowBase(t);
      const add = Math.min(count - i, Math.max(1, Math.ceil((this.lastHi - t) / period)));
      for (let k = 0; k < n; k++) this.windows[base + route[k]!] += add * occ;
      i += add;
    }
  }

  /** Busy cycles of load index l over the whole run. */
  total(l: number): number {
    if (l >= this.exactFrom) return this.totals[l - this.exactFrom]!;
    let sum = 0;
    for (let w = 0; w < this.windowsUsed; w++) sum += this.windows[w * this.n + l]!;
    return sum;
  }

  /** Busy cycles of load index l in window w. */
  inWindow(w: number, l: number): number {
    return this.windows[w * this.n + l]!;
  }

  /**
   * The first index in `windows` of the window holding time t, coarsening the windows first if t
   * lies beyond the last; remembers that window for the next booking.
   */
  private windowBase(t: number): number {
    let w = Math.floor(t / this.windowCycles);
    while (w >= LOAD_WINDOWS) {
      this.coarsen();
      w = Math.floor(t / this.windowCycles);
    }
    if (w >= this.windowsUsed) this.windowsUsed = w + 1;
    this.lastBase = w * this.n;
    this.lastLo = w * this.windowCycles;
    this.lastHi = (w + 1) * this.windowCycles;
    return this.lastBase;
  }

  /** Merge each pair of windows into one twice as long. */
  private coarsen(): void {
    const n = this.n;
    const wl = this.windows;
    for (let w = 0; w < LOAD_WINDOWS / 2; w++) {
      for (let l = 0; l < n; l++) wl[w * n + l] = wl[2 * w * n + l]! + wl[(2 * w + 1) * n + l]!;
    }
    wl.fill(0, (LOAD_WINDOWS / 2) * n);
    this.windowCycles *= 2;
    this.windowsUsed = Math.ceil(this.windowsUsed / 2);
  }
}
