/**
 * What ePython's runtime calls cost on the model, as a program sees them (the call through the
 * `parallel` module's function included): the difference in the slowest core's finish time
 * between a program that makes the call once between two sync()s and the same program skipping it. They are not fitted to anything; `epython calibrate` prints them
 * beside the figures derived by hand from ePython's C code (docs/research/epython-runtime-accesses.md
 * section 3), which count the same DRAM accesses.
 */
import { DEFAULT_CONFIG, type RunConfig } from "../config/run-config.js";
import { compileProgram } from "../lang/compiler.js";
import { chipSpec } from "../machine/chip.js";
import { simulate } from "../runtime/simulate.js";
import { CoreState, NullSink, type TraceSink } from "../trace/sink.js";
import { bundledResolver } from "./modules.js";

export interface RuntimeFigures {
  chip: string;
  /** one sendrecv between cores 0 and 1: the runtime call of the core that arrives last (it does not wait) */
  sendrecv_2_cores: number;
  /** the same as the program sees it: the call through the parallel module, and the partner's wait */
  sendrecv_2_cores_program: number;
  /** one reduce(v, "sum") over 16 cores (ePython's all-pairs algorithm), as the program sees it */
  reduce_16_cores: number;
  /** one sync() of 16 cores (ePython's barrier), as the program sees it */
  sync_16_cores: number;
  /** one print of an integer by one core, as the program sees it */
  print_1_core: number;
}

/** Hand derivations from ePython's source (docs/research/epython-runtime-accesses.md section 3), E16 cycles; the ranges take a DRAM read at 300 to 600 cycles and the local work at +-50%. */
export const DERIVED_FROM_SOURCE = {
  sendrecv_2_cores: { cycles: 5_700, low: 3_400, high: 6_200 },
  reduce_16_cores: { cycles: 180_000, low: 110_000, high: 190_000 },
  sync_16_cores: { cycles: 26_700, low: 15_000, high: 30_000 },
} as const;

/**
 * Slowest core's finish, in cycles, of `body` (when `run`) between two sync()s on `cores`. The
 * program is the same either way, so the byte code copied at start-up is too.
 */
function bracketed(chip: string, cores: number, body: string, run: boolean): { total: number; call: number } {
  const src = `import parallel\nn=${run ? 1 : 0}\nt=1-coreid()\nsync()\nif n == 1:\n    ${body}\nsync()\n`;
  const { image } = compileProgram(src, "figure.py", bundledResolver());
  const config: RunConfig = { ...DEFAULT_CONFIG, chip: chip as RunConfig["chip"], cores: Array.from({ length: cores }, (_, i) => i) };
  const sink = new CallTimes(cores);
  const r = simulate(image, config, { output: () => {}, input: () => null }, sink as unknown as TraceSink);
  if (!r.ok) throw new Error(`runtime figure failed: ${r.error?.message}`);
  return { total: r.totalCycles, call: Math.min(...sink.inCall) };
}

/** Per process: cycles in the messaging states (send, recv, collective), where a runtime call's own work is. */
class CallTimes extends NullSink {
  readonly inCall: number[];
  private readonly since: number[];
  constructor(n: number) {
    super();
    this.inCall = new Array<number>(n).fill(0);
    this.since = new Array<number>(n).fill(-1);
  }
  override coreState(t: number, proc: number, state: number): void {
    if (this.since[proc]! >= 0) this.inCall[proc]! += t - this.since[proc]!;
    const messaging = state === CoreState.BlockedSend || state === CoreState.BlockedRecv || state === CoreState.Collective;
    this.since[proc] = messaging ? t : -1;
  }
}

/** The figures on `chip` (which must have at least 16 cores). */
export function runtimeFigures(chip: string = DEFAULT_CONFIG.chip): RuntimeFigures {
  if (!chipSpec(chip)) throw new Error(`unknown chip ${chip}`);
  const delta = (cores: number, body: string): number => bracketed(chip, cores, body, true).total - bracketed(chip, cores, body, false).total;
  return {
    chip,
    sendrecv_2_cores: bracketed(chip, 2, "x=sendrecv(1,t)", true).call,
    sendrecv_2_cores_program: delta(2, "x=sendrecv(1,t)"),
    reduce_16_cores: delta(16, 'x=reduce(1,"sum")'),
    sync_16_cores: delta(16, "sync()"),
    print_1_core: delta(1, "print 1"),
  };
}

/** The figures as a table, with the hand derivations where there are some. */
export function formatRuntimeFigures(f: RuntimeFigures): string {
  const rows: [string, number, string][] = [
    ["sendrecv, 2 cores", f.sendrecv_2_cores, range(DERIVED_FROM_SOURCE.sendrecv_2_cores)],
    ["  as the program sees it", f.sendrecv_2_cores_program, "(none)"],
    ["reduce, 16 cores", f.reduce_16_cores, range(DERIVED_FROM_SOURCE.reduce_16_cores)],
    ["sync(), 16 cores", f.sync_16_cores, range(DERIVED_FROM_SOURCE.sync_16_cores)],
    ["print of an int, 1 core", f.print_1_core, "(none)"],
  ];
  const lines = [`ePython runtime calls on ${f.chip} (cycles; model vs hand count of ePython's C code, E16)`];
  for (const [name, v, d] of rows) lines.push(`  ${name.padEnd(26)} ${Math.round(v).toLocaleString("en-US").padStart(9)}  ${d}`);
  return lines.join("\n");
}

function range(d: { cycles: number; low: number; high: number }): string {
  const k = (n: number) => n.toLocaleString("en-US");
  return `~${k(d.cycles)} [${k(d.low)}, ${k(d.high)}]`;
}
