/**
 * sync(): every process waits until all have arrived. The algorithm is a row of BARRIERS, keyed
 * by the names in src/config/names.ts; given when each process arrived, it books its traffic on
 * the machine and says when each one is released.
 */
import type { BarrierAlgorithm } from "../config/names.js";
import { type ChipSpec, fromReferenceCycles } from "../machine/chip.js";
import { BARRIER_WAND_CYCLES, localSpinResume } from "../machine/costs.js";
import type { Mesh } from "../machine/mesh.js";
import { STORE_ISSUE_CYCLES } from "./postbox.js";
import type { Proc } from "./process.js";

/** Release every process in `parts` (all arrived, at p.barrierEntry) through `release(p, t)`. */
export type BarrierAlgorithmImpl = (parts: readonly Proc[], machine: { spec: ChipSpec; mesh: Mesh }, release: (p: Proc, t: number) => void) => void;

export const BARRIERS = {
  // ePython's flip-flop barrier rooted at the lowest active core (device/main.c:79-95): each
  // core sets its flag on the root with a posted write; the root spins until all are set, then
  // releases each core in id order with another posted write. Host virtual cores reach the root
  // through shared DRAM.
  epython(parts, { mesh }, release) {
    const root = parts[0]!;
    let allIn = root.barrierEntry;
    for (const q of parts) {
      if (q === root) continue;
      const arrive = q.isHost || root.isHost ? q.barrierEntry + mesh.dramReadLatency(Math.max(0, root.core)) : mesh.write(q.core, root.core, 1, q.barrierEntry);
      allIn = Math.max(allIn, arrive);
    }
    let tRoot = localSpinResume(root.barrierEntry, allIn);
    for (const q of parts) {
      if (q === root) continue;
      const arrive = q.isHost || root.isHost ? tRoot + mesh.dramReadLatency(Math.max(0, root.core)) : mesh.write(root.core, q.core, 1, tRoot);
      tRoot += STORE_ISSUE_CYCLES;
      release(q, localSpinResume(q.barrierEntry, arrive));
    }
    release(root, tRoot);
  },
  // the hardware wired-AND line: everyone is released together once the last has arrived
  wand(parts, { spec }, release) {
    let last = 0;
    for (const q of parts) last = Math.max(last, q.barrierEntry);
    const t = last + fromReferenceCycles(spec, BARRIER_WAND_CYCLES);
    for (const q of parts) release(q, t);
  },
} satisfies Record<BarrierAlgorithm, BarrierAlgorithmImpl>;

/** Counts arrivals; when the last process arrives, runs the configured algorithm. */
export class Barrier {
  private arrived = 0;

  constructor(
    private readonly algorithm: BarrierAlgorithm,
    private readonly parts: readonly Proc[],
    private readonly machine: { spec: ChipSpec; mesh: Mesh },
    private readonly release: (p: Proc, t: number) => void,
  ) {}

  /** p arrives at t (its wait state is the caller's business). */
  enter(p: Proc, t: number): void {
    p.barrierEntry = t;
    if (++this.arrived < this.parts.length) return;
    this.arrived = 0;
    BARRIERS[this.algorithm](this.parts, this.machine, this.release);
  }
}
