/**
 * A progress line on stderr, rewritten in place (`\r`) and cleared before anything else is written,
 * so it never mixes with output lines. Shown on a terminal only (stderr is a TTY); the environment
 * variable EPYTHON_PROGRESS=1 forces it on (tests, logs) and EPYTHON_PROGRESS=0 off.
 *
 * The wall clock is read here for progress (how long, how fast), and by the run to pace its writes
 * to stdout (main.ts): nothing measured with it reaches a result, the bytes of the output or a trace.
 */

/** Whether progress lines are wanted: EPYTHON_PROGRESS=1 or 0 decides, else whether stderr is a terminal. */
export function progressWanted(env: NodeJS.ProcessEnv = process.env, isTTY: boolean = process.stderr.isTTY === true): boolean {
  const v = env.EPYTHON_PROGRESS;
  if (v === "1") return true;
  if (v === "0") return false;
  return isTTY;
}

/** Milliseconds of wall time, for progress and the pace of writes only. */
export const wallMs = (): number => performance.now();

/** One line of stderr that can be rewritten and cleared. Does nothing when not enabled. */
export class ProgressLine {
  /** characters on screen (0: nothing shown) */
  private shown = 0;

  constructor(
    readonly enabled: boolean,
    private readonly write: (s: string) => void = (s) => void process.stderr.write(s),
    private readonly columns: () => number | undefined = () => process.stderr.columns,
  ) {}

  get visible(): boolean {
    return this.shown > 0;
  }

  /** Show `text` in place of what the line showed (cut to the terminal's width: a wrapped line could not be rewritten). */
  show(text: string): void {
    if (!this.enabled) return;
    const cols = this.columns();
    const t = cols !== undefined && cols > 1 && text.length > cols - 1 ? text.slice(0, cols - 1) : text;
    this.write(`\r${t}${" ".repeat(Math.max(0, this.shown - t.length))}`);
    this.shown = Math.max(t.length, 1);
  }

  /** Blank the line and put the cursor back at its start, so the next write starts a clean line. */
  clear(): void {
    if (this.shown === 0) return;
    this.write(`\r${" ".repeat(this.shown)}\r`);
    this.shown = 0;
  }
}

/** 1234567 -> "1.2 M", 53000 -> "53.0 k", 12 -> "12". */
export function shortCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return String(Math.round(n));
}

/** 12.3 MB, 1.1 GB, 950 KB, 12 bytes. */
export function byteSize(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** Wall milliseconds before the first progress line: a short run shows none. */
export const PROGRESS_DELAY_MS = 1000;
/** Wall milliseconds between two redraws. */
const REDRAW_MS = 250;

/** What the simulation has done so far, read when a progress line is drawn. */
export interface RunCounts {
  /** scheduler events processed */
  events: number;
  /** byte-code operations executed, all cores together */
  ops: number;
}

/**
 * The progress of a simulation: after the first second, the simulated time reached and the
 * operations and events per wall second, at most 4 times a second. Program output clears it and
 * keeps it away for a second (output shows well enough that the run goes on; a line that came and
 * went with every slice would only flicker).
 */
export class RunProgress {
  private readonly start: number;
  private holdUntil: number;
  private lastDraw = -Infinity;
  /** the furthest simulated time reached: cores run ahead of each other, so the run's clock is not monotonic */
  private furthest = 0;
  /** where the per-second figures are measured from (null: from the next update) */
  private base: { wall: number; counts: RunCounts } | null;

  constructor(
    private readonly line: ProgressLine,
    private readonly clockHz: number,
    private readonly now: () => number = wallMs,
  ) {
    this.start = now();
    this.holdUntil = this.start + PROGRESS_DELAY_MS;
    this.base = { wall: this.start, counts: { events: 0, ops: 0 } };
  }

  /** After a slice: the simulated cycle reached, and the counts (read only when a line is drawn). */
  update(cycle: number, counts: () => RunCounts): void {
    if (!this.line.enabled) return;
    if (cycle > this.furthest) this.furthest = cycle;
    const t = this.now();
    if (this.base === null) this.base = { wall: t, counts: counts() };
    if (t < this.holdUntil || t - this.lastDraw < REDRAW_MS || t <= this.base.wall) return;
    const c = counts();
    const per = (n: number, n0: number) => shortCount((n - n0) / ((t - this.base!.wall) / 1000));
    const secs = this.furthest / this.clockHz;
    // e.g. "epython: cycle 4,545,611,167 (7.576 s), 81.8 M ops/s, 247 events/s [3 s]"
    this.line.show(
      `epython: cycle ${Math.round(this.furthest).toLocaleString("en-US")} (${secs < 1 ? secs.toFixed(6) : secs.toFixed(3)} s), ` +
        `${per(c.ops, this.base.counts.ops)} ops/s, ${per(c.events, this.base.counts.events)} events/s [${Math.floor((t - this.start) / 1000)} s]`,
    );
    this.lastDraw = t;
    this.base = { wall: t, counts: c };
  }

  /** Something else is about to be written (program output, a notice): clear the line, keep it away for a second. */
  beforeOutput(): void {
    if (!this.line.enabled) return;
    this.line.clear();
    this.holdUntil = Math.max(this.holdUntil, this.now() + PROGRESS_DELAY_MS);
    this.base = null;
  }

  /** The run is over: clear the line for good. */
  end(): void {
    this.line.clear();
  }
}
