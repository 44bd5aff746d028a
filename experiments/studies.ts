/**
 * The studies `epython experiment NAME` knows, by name. A static list (rather than scanning
 * folders) so the worker threads and the CLI agree on it and the build type-checks every study.
 */
import type { AnyStudy } from "./lib/study.js";
import { collectives } from "./collectives/study.js";
import { gc } from "./gc/study.js";
import { latency } from "./latency/study.js";
import { offloadStudy } from "./offload/study.js";
import { scaling } from "./scaling/study.js";
import { sharedmem } from "./sharedmem/study.js";

export const STUDIES: readonly AnyStudy[] = [scaling, latency, sharedmem, collectives, gc, offloadStudy];

export function findStudy(name: string): AnyStudy | undefined {
  return STUDIES.find((s) => s.name === name);
}

export function studyNames(): string[] {
  return STUDIES.map((s) => s.name);
}
