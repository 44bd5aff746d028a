/**
 * WHITE-BOX helper: consistency of a heap arena's chunk list (src/vm/heap.ts), for the GC and
 * heap-model properties, which import src/vm directly on purpose.
 */
import type { Arena } from "../src/vm/heap.js";

/** The chunks of an arena's list in address order: byte offset, payload length, in use. */
export function* chunksOf(a: Arena): Generator<{ at: number; length: number; used: boolean; marked: boolean }> {
  if (a.head < 0) return;
  for (let at = 0; at < a.limitBytes; ) {
    const length = a.lengthAt(at);
    const marked = at !== 0 && (a.words[at - a.low]! & 2) !== 0;
    yield { at, length, used: a.usedAt(at), marked };
    if (length < 0) return; // a broken list: the caller reports it
    at += length + a.headerBytes;
  }
}

/** Walk an arena's chunk list: chunks must tile the arena in ePython's bytes and agree with its counters. */
export function arenaProblems(a: Arena, name: string): string[] {
  const problems: string[] = [];
  let end = a.head < 0 ? a.limitBytes : 0;
  let used = 0;
  let chunks = 0;
  let prevFree = false;
  for (const c of chunksOf(a)) {
    if (c.length < 0) return [`${name}: chunk of negative length at byte ${c.at}`];
    if (c.at !== 0 && c.at < a.low) problems.push(`${name}: chunk at byte ${c.at} is not backed (backed from ${a.low})`);
    if (c.marked) problems.push(`${name}: chunk at ${c.at} still marked outside a collection`);
    if (c.at === 0 && c.used) problems.push(`${name}: the first chunk is in use`);
    if (c.used) {
      used += c.length + a.headerBytes;
      chunks++;
    } else if (prevFree) problems.push(`${name}: free chunk at ${c.at} not coalesced with the one before`);
    prevFree = !c.used;
    end = c.at + c.length + a.headerBytes;
  }
  if (end !== a.limitBytes) problems.push(`${name}: chunks end at byte ${end}, not at the arena's ${a.limitBytes}`);
  if (used !== a.usedBytes) problems.push(`${name}: chunks in use hold ${used} bytes, the arena counts ${a.usedBytes}`);
  if (chunks !== a.liveChunks) problems.push(`${name}: ${chunks} chunks in use, the arena counts ${a.liveChunks}`);
  return problems;
}

/** The largest free chunk's payload length (what first fit could split). */
export function largestFree(a: Arena): number {
  let best = -1;
  for (const c of chunksOf(a)) if (!c.used) best = Math.max(best, c.length);
  return best;
}
