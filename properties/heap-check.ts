/**
 * WHITE-BOX helper: consistency of a heap arena's chunk list (src/vm/heap.ts), for the GC and
 * heap-model properties, which import src/vm directly on purpose.
 */
import type { Arena } from "../src/vm/heap.js";

/** The chunks of an arena's list in address order: where each starts, its header and size in words. */
function* chunksOf(a: Arena): Generator<{ at: number; header: number; size: number }> {
  for (let at = 0; at < a.capacity; ) {
    const header = a.words[at]!;
    const size = header >>> 2;
    yield { at, header, size };
    if (size < 1) return; // a broken list: the caller reports it
    at += size;
  }
}

/** Walk an arena's chunk list: sizes must tile the arena and agree with its counters. */
export function arenaProblems(a: Arena, name: string): string[] {
  const problems: string[] = [];
  let end = 0;
  let used = 0;
  let chunks = 0;
  for (const { at, header, size } of chunksOf(a)) {
    if (size < 1) return [`${name}: chunk of size 0 at word ${at}`];
    if (header & 2) problems.push(`${name}: chunk at ${at} still marked outside a collection`);
    if (header & 1) {
      used += size;
      chunks++;
    }
    end = at + size;
  }
  if (end !== a.capacity) problems.push(`${name}: chunks end at word ${end}, not at the capacity ${a.capacity}`);
  if (used !== a.usedWords) problems.push(`${name}: chunks in use hold ${used} words, the arena counts ${a.usedWords}`);
  if (chunks !== a.liveChunks) problems.push(`${name}: ${chunks} chunks in use, the arena counts ${a.liveChunks}`);
  return problems;
}

/** The largest run of adjacent free chunks (what first fit could hand out after coalescing). */
export function largestFreeRun(a: Arena): number {
  let best = 0;
  let run = 0;
  for (const { header, size } of chunksOf(a)) {
    if (size < 1) break;
    if (header & 1) run = 0;
    else best = Math.max(best, (run += size));
  }
  return best;
}
