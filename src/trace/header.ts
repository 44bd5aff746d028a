/**
 * The JSON parts of a trace: the header (everything a replay needs: sources, configuration, clock)
 * and the footer (how the run ended). Validated with Effect Schema when read; written by explicit
 * builders so the key order, and with it the trace's bytes, never depends on how the caller built
 * its objects.
 */
import { Result, Schema } from "effect";
import { COST_GROUPS, type CostScales, RunConfig } from "../config/run-config.js";
import { TraceFormatError } from "./format.js";

const Count = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)));

export const TraceSource = Schema.Struct({ name: Schema.String, text: Schema.String });
export type TraceSource = typeof TraceSource.Type;

export const TraceHeader = Schema.Struct({
  tool: Schema.Literal("epython-sim"),
  toolVersion: Schema.String,
  /** major version of the Node.js that recorded (Math functions may differ between engines) */
  node: Count,
  clockHz: Schema.Finite.pipe(Schema.check(Schema.isGreaterThan(0))),
  /** SHA-256 (hex) of the sources, see sourceHash() */
  sourceHash: Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9a-f]{64}$/, { message: "sourceHash must be 64 hex digits" }))),
  /** every file the program was built from, main file first */
  sources: Schema.Array(TraceSource),
  /** base64 of the byte-code image, only when the run had no sources (`epython -l FILE`) */
  image: Schema.NullOr(Schema.String),
  /** the run configuration: the same schema the CLI validates and the runtime takes */
  config: RunConfig,
});
export type TraceHeader = typeof TraceHeader.Type;

export const TraceRunError = Schema.Struct({
  /** incomplete: never in a file; the reader's made-up footer of a trace cut short */
  kind: Schema.Literals(["runtime", "deadlock", "limit", "config", "internal", "interrupted", "incomplete"]),
  message: Schema.String,
  proc: Schema.Int,
  label: Schema.String,
  file: Schema.String,
  line: Schema.Int,
  time: Schema.Finite,
});
export type TraceRunError = typeof TraceRunError.Type;

export const TraceProc = Schema.Struct({
  pid: Count,
  label: Schema.String,
  finishCycles: Schema.Finite,
  steps: Count,
  gcCount: Count,
  maxStackCells: Count,
});
export type TraceProc = typeof TraceProc.Type;

export const TraceFooter = Schema.Struct({
  ok: Schema.Boolean,
  error: Schema.NullOr(TraceRunError),
  totalCycles: Schema.Finite,
  messages: Count,
  messageBytes: Count,
  /** scheduler events the simulation processed (not trace events) */
  simEvents: Count,
  /** length in cycles of the time windows of the link events (all windows of a run are equal) */
  linkWindowCycles: Schema.Finite,
  procs: Schema.Array(TraceProc),
});
export type TraceFooter = typeof TraceFooter.Type;

const decodeHeader = Schema.decodeUnknownResult(TraceHeader, { onExcessProperty: "error" });
const decodeFooter = Schema.decodeUnknownResult(TraceFooter, { onExcessProperty: "error" });

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new TraceFormatError(`the ${what} is not valid JSON`);
  }
}

function firstLine(message: string): string {
  return message.split("\n").slice(0, 2).join(" ").replace(/\s+/g, " ");
}

export function parseHeader(text: string): TraceHeader {
  const r = decodeHeader(parseJson(text, "header"));
  if (Result.isFailure(r)) throw new TraceFormatError(`bad header: ${firstLine(r.failure.message)}`);
  return r.success;
}

export function parseFooter(text: string): TraceFooter {
  const r = decodeFooter(parseJson(text, "footer"));
  if (Result.isFailure(r)) throw new TraceFormatError(`bad footer: ${firstLine(r.failure.message)}`);
  const f = r.success;
  if (f.ok !== (f.error === null)) throw new TraceFormatError(`bad footer: ok is ${f.ok} but the error is ${f.error === null ? "missing" : "present"}`);
  if (f.error?.kind === "incomplete") throw new TraceFormatError("bad footer: the error kind 'incomplete' is the reader's, never written");
  return f;
}

/** Cost scales with their keys in a fixed order (absent groups left out). */
function costScalesJson(s: CostScales): CostScales {
  const out: { -readonly [K in keyof CostScales]: CostScales[K] } = {};
  for (const g of COST_GROUPS) if (s[g] !== undefined) out[g] = s[g];
  return out;
}

/** The header as JSON, keys in a fixed order. */
export function headerJson(h: TraceHeader): string {
  const c = h.config;
  return JSON.stringify({
    tool: h.tool,
    toolVersion: h.toolVersion,
    node: h.node,
    clockHz: h.clockHz,
    sourceHash: h.sourceHash,
    sources: h.sources.map((s) => ({ name: s.name, text: s.text })),
    image: h.image,
    config: {
      chip: c.chip,
      cores: [...c.cores],
      hostCores: c.hostCores,
      seed: c.seed,
      maxSteps: c.maxSteps,
      maxCycles: c.maxCycles,
      reduce: c.reduce,
      barrier: c.barrier,
      codeShared: c.codeShared,
      codeCore: c.codeCore,
      dataShared: c.dataShared,
      ...(c.costScales === undefined ? {} : { costScales: costScalesJson(c.costScales) }),
    },
  } satisfies TraceHeader);
}

/** The footer as JSON, keys in a fixed order. */
export function footerJson(f: TraceFooter): string {
  const e = f.error;
  return JSON.stringify({
    ok: f.ok,
    error: e === null ? null : { kind: e.kind, message: e.message, proc: e.proc, label: e.label, file: e.file, line: e.line, time: e.time },
    totalCycles: f.totalCycles,
    messages: f.messages,
    messageBytes: f.messageBytes,
    simEvents: f.simEvents,
    linkWindowCycles: f.linkWindowCycles,
    procs: f.procs.map((p) => ({ pid: p.pid, label: p.label, finishCycles: p.finishCycles, steps: p.steps, gcCount: p.gcCount, maxStackCells: p.maxStackCells })),
  } satisfies TraceFooter);
}

/**
 * SHA-256 over the sources: for each file in order, its name, a NUL, its text, a NUL (UTF-8), so
 * moving text between files or renaming one changes the hash.
 */
export function sourceHashInput(sources: readonly TraceSource[]): Uint8Array {
  const enc = new TextEncoder();
  const parts = sources.flatMap((s) => [enc.encode(s.name), Uint8Array.of(0), enc.encode(s.text), Uint8Array.of(0)]);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Track labels of the processes, as the runtime names them: device cores by id, then host virtual cores. */
export function procLabels(config: RunConfig): string[] {
  return [...config.cores.map((c) => `device ${c}`), ...Array.from({ length: config.hostCores }, (_, t) => `host ${t}`)];
}
