/**
 * The event table (kinds.ts) compiled once into small wire plans that the recorder and the reader
 * walk: the fields in the order they are written, as op codes, each with the position of its value
 * in the sink method's arguments (and in a decoded event's values).
 */
import { EVENT_KINDS, EXT_CODE, type FieldEncoding, KIND_BY_CODE, KIND_BY_EXT, type KindSpec } from "./kinds.js";

export const OP_TIME = 0;
export const OP_TIME_AFTER = 1;
export const OP_DURATION = 2;
export const OP_UINT = 3;
export const OP_INT = 4;
export const OP_LOW3 = 5;
export const OP_STRING = 6;

const OPS: Record<Exclude<FieldEncoding, "index">, number> = {
  time: OP_TIME, timeAfter: OP_TIME_AFTER, duration: OP_DURATION, uint: OP_UINT, int: OP_INT, low3: OP_LOW3, string: OP_STRING,
};
/** most bytes each op writes (a string reserves its own room) */
const MAX_BYTES = [10, 10, 9, 8, 8, 8, 0];

export interface WirePlan {
  readonly spec: KindSpec;
  /** head code (low 3 bits of the first varint) and extended kind number (-1 for none) */
  readonly code: number;
  readonly ext: number;
  /** argument position of the index (process or mesh) */
  readonly indexArg: number;
  /** ops in wire order and the argument position of each; a low3 op also takes the next argument */
  readonly ops: Uint8Array;
  readonly args: Uint8Array;
  /** argument position of the time that becomes the process's base afterwards, or -1 */
  readonly resumeArg: number;
  /** how many values the sink method takes */
  readonly arity: number;
  /** bytes to reserve before writing (a string reserves more itself) */
  readonly reserve: number;
}

function planOf(spec: KindSpec): WirePlan {
  const ops: number[] = [];
  const args: number[] = [];
  for (let i = 0; i < spec.fields.length; i++) {
    const f = spec.fields[i]!;
    if (f.enc === "index") continue;
    ops.push(OPS[f.enc]);
    args.push(i);
    if (f.enc === "low3") i++; // the next field shares the varint
  }
  const timeArg = spec.fields.findIndex((f) => f.enc === "time");
  const resumeArg = spec.resume === undefined ? timeArg : spec.fields.findIndex((f) => f.name === spec.resume);
  return {
    spec,
    code: spec.code,
    ext: spec.code === EXT_CODE ? spec.ext! : -1,
    indexArg: spec.fields.findIndex((f) => f.enc === "index"),
    ops: Uint8Array.from(ops),
    args: Uint8Array.from(args),
    resumeArg,
    arity: spec.fields.length,
    reserve: 10 + ops.reduce((n, op) => n + MAX_BYTES[op]!, 0),
  };
}

export const PLANS: readonly WirePlan[] = (EVENT_KINDS as readonly KindSpec[]).map(planOf);
const bySpec = new Map(PLANS.map((p) => [p.spec, p]));
/** plans by head code (null for the extension code and unused codes) and by extended kind number */
export const PLAN_BY_CODE: readonly (WirePlan | null)[] = KIND_BY_CODE.map((k) => (k ? bySpec.get(k)! : null));
export const PLAN_BY_EXT: readonly WirePlan[] = KIND_BY_EXT.map((k) => bySpec.get(k)!);
