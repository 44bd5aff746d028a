/**
 * THE table of trace event kinds: for each kind its name, its code in the trace file, the
 * TraceSink method that reports it, its fields (in the sink method's argument order, which is also
 * the order of the decoded event's keys) with their encodings, and its one-line human text.
 *
 * Everything that encodes or decodes events walks this table: the recorder (recorder.ts), the
 * reader's cursor (reader.ts), the decoded event objects and playInto (events.ts), replay and diff
 * (compare.ts). sink.ts checks at compile time that the TraceSink interface has exactly one
 * method per row with the row's arguments. FORMAT.md describes the same layout in prose.
 *
 * Adding a kind: a row here (a new `ext` number: the eight head codes are taken), its method in
 * TraceSink (sink.ts; the compiler says so if it is missing), and the code that emits it.
 */
import { CORE_STATE_NAMES, HOST_KIND_NAMES, MESH_NAMES } from "./vocab.js";

/**
 * How a field is written (see FORMAT.md):
 * - `index`: the event's index, in its first varint (`index * 8 + code`): the process, or a link's mesh;
 * - `time`: a time T relative to the index process's base time;
 * - `timeAfter`: a time T relative to the previous field (a message's arrival after its send);
 * - `duration`: a duration D (relative to 0, not remembered as a recent time);
 * - `uint`, `int`: an unsigned or zig-zag signed varint;
 * - `low3`: a value 0..7 sharing the next field's varint (`next * 8 + this`);
 * - `string`: its UTF-8 byte length as a varint, then the bytes.
 */
export type FieldEncoding = "index" | "time" | "timeAfter" | "duration" | "uint" | "int" | "low3" | "string";

export interface FieldSpec {
  readonly name: string;
  readonly enc: FieldEncoding;
  /** names of the values of an enumerated field, for the human text */
  readonly names?: readonly string[];
}

/** Decoded field values of an event, by field name (strings for `string` fields, numbers otherwise). */
export type EventFields = Readonly<Record<string, number | string>>;

/** Formats a time as the human text does (`cyc`), a process by its label (`who`). */
export interface Describe {
  cyc(t: number): string;
  who(p: number): string;
  /** the name of an enumerated field's value, or the number */
  name(field: string, v: number): string;
}

export interface KindSpec {
  readonly name: string;
  /**
   * the low 3 bits of the event's first varint; `EXT_CODE` for an extended kind, whose number
   * (`ext`) follows as the next varint
   */
  readonly code: number;
  readonly ext?: number;
  /** the TraceSink method that reports it */
  readonly sink: string;
  /** in the sink method's argument order; exactly one is the `index` */
  readonly fields: readonly FieldSpec[];
  /** the field whose time becomes the process's base time after the event (default: the `time` field) */
  readonly resume?: string;
  /** the human text after `#index cycle T` (describeEvent) */
  readonly describe: (e: EventFields, d: Describe) => string;
}

/** Head code of the extended kinds: the kind's `ext` number is the next varint. */
export const EXT_CODE = 5;

const num = (e: EventFields, k: string): number => e[k] as number;

/** a link end: a core id, or -1 for off-chip (eLink, chip edge) */
export function node(n: number): string {
  return n < 0 ? "off-chip" : `core ${n}`;
}

export const EVENT_KINDS = [
  {
    name: "state",
    code: 0,
    sink: "coreState",
    fields: [{ name: "time", enc: "time" }, { name: "proc", enc: "index" }, { name: "state", enc: "low3", names: CORE_STATE_NAMES }, { name: "line", enc: "uint" }],
    describe: (e, d) => `${d.who(num(e, "proc"))}: state ${d.name("state", num(e, "state"))} (line ${e.line})`,
  },
  {
    name: "message",
    code: 1,
    sink: "message",
    fields: [
      { name: "time", enc: "time" }, { name: "arrive", enc: "timeAfter" }, { name: "src", enc: "index" },
      { name: "dst", enc: "uint" }, { name: "hops", enc: "uint" }, { name: "bytes", enc: "uint" },
    ],
    describe: (e, d) =>
      `${d.who(num(e, "src"))}: message to ${d.who(num(e, "dst"))}, ${e.bytes} bytes, ${e.hops} hop${e.hops === 1 ? "" : "s"}, visible at cycle ${d.cyc(num(e, "arrive"))} (latency ${d.cyc(num(e, "arrive") - num(e, "time"))})`,
  },
  {
    name: "gc",
    code: 2,
    sink: "gc",
    fields: [{ name: "time", enc: "time" }, { name: "proc", enc: "index" }, { name: "before", enc: "uint" }, { name: "after", enc: "uint" }, { name: "pause", enc: "duration" }],
    describe: (e, d) => `${d.who(num(e, "proc"))}: gc, heap ${e.before} -> ${e.after} bytes, pause ${d.cyc(num(e, "pause"))} cycles`,
  },
  {
    name: "host",
    code: 3,
    sink: "host",
    fields: [{ name: "time", enc: "time" }, { name: "end", enc: "timeAfter" }, { name: "proc", enc: "index" }, { name: "service", enc: "uint", names: HOST_KIND_NAMES }],
    // the core resumes when the service ends: its next event is usually there
    resume: "end",
    describe: (e, d) => `${d.who(num(e, "proc"))}: host ${d.name("service", num(e, "service"))} until cycle ${d.cyc(num(e, "end"))}`,
  },
  {
    name: "output",
    code: 4,
    sink: "output",
    fields: [{ name: "time", enc: "time" }, { name: "proc", enc: "index" }, { name: "text", enc: "string" }],
    describe: (e, d) => `${d.who(num(e, "proc"))}: output ${JSON.stringify(e.text)}`,
  },
  {
    name: "error",
    code: EXT_CODE,
    ext: 0,
    sink: "error",
    fields: [{ name: "time", enc: "time" }, { name: "proc", enc: "index" }, { name: "line", enc: "uint" }, { name: "message", enc: "string" }],
    describe: (e, d) => `${d.who(num(e, "proc"))}: error at line ${e.line}: ${JSON.stringify(e.message)}`,
  },
  {
    name: "input",
    code: EXT_CODE,
    ext: 1,
    sink: "input",
    // what input() read, so a replay (even of a trace cut short) can feed the same lines again
    fields: [{ name: "time", enc: "time" }, { name: "proc", enc: "index" }, { name: "eof", enc: "uint" }, { name: "text", enc: "string" }],
    describe: (e, d) => `${d.who(num(e, "proc"))}: input ${e.eof ? "reached the end of input" : JSON.stringify(e.text)}`,
  },
  {
    name: "command",
    code: EXT_CODE,
    ext: 2,
    sink: "command",
    // a command of an offload session's host program (`epython python --trace`), as it reached the
    // simulation: its JSON text (python/epython/PROTOCOL.md), at the host's time when it starts
    fields: [{ name: "time", enc: "time" }, { name: "proc", enc: "index" }, { name: "text", enc: "string" }],
    describe: (e, d) => `${d.who(num(e, "proc"))}: command ${e.text}`,
  },
  {
    name: "link",
    code: 6,
    sink: "link",
    // the window start is a whole number of cycles from 0: written like a duration, not a recent time;
    // -1 stands for off-chip (the eLink and the edges), so the ends are signed
    fields: [
      { name: "time", enc: "duration" }, { name: "mesh", enc: "index", names: MESH_NAMES }, { name: "from", enc: "int" },
      { name: "to", enc: "int" }, { name: "busy", enc: "duration" },
    ],
    describe: (e, d) => `link ${d.name("mesh", num(e, "mesh"))} ${node(num(e, "from"))} -> ${node(num(e, "to"))}: busy ${d.cyc(num(e, "busy"))} cycles in the window from here`,
  },
  {
    name: "heap",
    code: 7,
    sink: "heap",
    fields: [{ name: "time", enc: "time" }, { name: "proc", enc: "index" }, { name: "used", enc: "uint" }],
    describe: (e, d) => `${d.who(num(e, "proc"))}: heap ${e.used} bytes in use`,
  },
] as const satisfies readonly KindSpec[];

export type EventKinds = typeof EVENT_KINDS;
export type KindName = EventKinds[number]["name"];
export const KIND_NAMES: readonly KindName[] = EVENT_KINDS.map((k) => k.name);

/** A field's TypeScript type: text for strings, a number otherwise. */
type FieldType<F> = F extends { enc: "string" } ? string : number;
type FieldValues<Fs> = { -readonly [I in keyof Fs]: FieldType<Fs[I]> };
type FieldObject<Fs extends readonly FieldSpec[]> = { [F in Fs[number] as F["name"]]: FieldType<F> };

/** The sink method of each kind as the table says it: (field values in order) => void. */
export type TableSink = { [K in EventKinds[number] as K["sink"]]: (...args: FieldValues<K["fields"]>) => void };
/** A decoded event: `kind` plus its fields by name. */
export type TableEvent = { [K in EventKinds[number] as K["name"]]: { kind: K["name"] } & FieldObject<K["fields"]> }[KindName];

/** The kinds by head code (the extension code maps to null) and the extended kinds by number. */
export const KIND_BY_CODE: readonly (KindSpec | null)[] = Array.from({ length: 8 }, (_, c) => (c === EXT_CODE ? null : (EVENT_KINDS as readonly KindSpec[]).find((k) => k.code === c) ?? null));
export const KIND_BY_EXT: readonly KindSpec[] = (EVENT_KINDS as readonly KindSpec[]).filter((k) => k.code === EXT_CODE).sort((a, b) => a.ext! - b.ext!);

const BY_NAME = new Map((EVENT_KINDS as readonly KindSpec[]).map((k) => [k.name, k]));
/** The row of the kind named `name`. */
export function kindSpec(name: KindName): KindSpec {
  return BY_NAME.get(name)!;
}

/** Checks the table's rules once, at load: a typo in a new row fails every test at once. */
function checkTable(kinds: readonly KindSpec[]): void {
  const seen = new Set<string>();
  for (const k of kinds) {
    const id = k.code === EXT_CODE ? `ext ${k.ext}` : `code ${k.code}`;
    if (seen.has(id) || seen.has(k.name) || seen.has(`sink ${k.sink}`)) throw new Error(`trace kinds: ${k.name} repeats a name, sink method or ${id}`);
    seen.add(id).add(k.name).add(`sink ${k.sink}`);
    if (!(k.code >= 0 && k.code < 8) || (k.code === EXT_CODE) !== (k.ext !== undefined)) throw new Error(`trace kinds: ${k.name} has a bad code`);
    if (k.fields.filter((f) => f.enc === "index").length !== 1) throw new Error(`trace kinds: ${k.name} needs exactly one index field`);
    k.fields.forEach((f, i) => {
      const next = k.fields[i + 1];
      if (f.enc === "low3" && next?.enc !== "uint") throw new Error(`trace kinds: ${k.name}.${f.name} (low3) must precede a uint field`);
      if (f.enc === "timeAfter" && !(i > 0 && /^time/.test(k.fields[i - 1]!.enc))) throw new Error(`trace kinds: ${k.name}.${f.name} must follow a time`);
    });
  }
  if (KIND_BY_EXT.some((k, i) => k.ext !== i)) throw new Error("trace kinds: the extended kinds must be numbered 0, 1, 2, ...");
}
checkTable(EVENT_KINDS);
