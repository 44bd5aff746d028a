/**
 * WHITE-BOX helper: consistency of a heap arena's chunk list (src/vm/heap.ts), for the GC and
 * heap-model properties, which import src/vm directly on purpose.
 */
import type { Arena } from "../src/vm/heap.js";

/** Walk an arena's chunk list: sizes must tile the arena and agree with its counters. */
export function arenaProblems(a: Arena, name: string): string[] {
  const problems: string[] = [];
  let i = 0;
  let used = 0;
  let chunks = 0;
  while (i < a.capacity) {
    const h = a.words[i]!;
    const size = h >>> 2;
    if (size < 1) return [`${name}: chunk of size 0 at word ${i}`];
    if (h & 2) problems.push(`${name}: chunk at ${i} still marked outside a collection`);
    if (h & 1) {
      used += size;
      chunks++;
    }
    i += size;
  }
  if (i !== a.capacity) problems.push(`${name}: chunks end at word ${i}, not at the capacity ${a.capacity}`);
  if (used !== a.usedWords) problems.push(`${name}: chunks in use hold ${used} words, the arena counts ${a.usedWords}`);
  if (chunks !== a.liveChunks) problems.push(`${name}: ${chunks} chunks in use, the arena counts ${a.liveChunks}`);
  return problems;
}


/** The largest run of adjacent free chunks (what first fit could hand out after coalescing). */
export function largestFreeRun(a: Arena): number {
  let best = 0;
  let run = 0;
  let i = 0;
  while (i < a.capacity) {
    const h = a.words[i]!;
    const size = h >>> 2;
    if (size < 1) break;
    if (h & 1) run = 0;
    else best = Math.max(best, (run += size));
    i += size;
  }
  return best;
}
