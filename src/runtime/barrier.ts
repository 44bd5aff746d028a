/**
 * sync(): every process waits until all have arrived. Two algorithms, keyed by the names in
 * src/config/names.ts:
 *
 * - `epython`: ePython's flip-flop barrier rooted at the lowest active core (performBarrier,
 *   R = devices/epiphany/epiphany-runtime.c:837-858). It is an operation sequence per process
 *   (runtime-calls.ts planBarrier) whose flag steps this class runs: each core sets its flag in the
 *   root's barrier array with a posted byte store and spins on its own release flag; the root
 *   spins on each flag in id order, then releases each core in id order. Host processes meet the
 *   root through the host (command 8, R:824-828).
 * - `wand`: the hardware wired-AND line, a rendezvous: everyone is released together once the last
 *   has arrived. Not in ePython; for studies.
 */
import type { BarrierAlgorithm } from "../config/names.js";
import { type ChipSpec, fromReferenceCycles } from "../machine/chip.js";
import { BARRIER_WAND_CYCLES, localSpinResume } from "../machine/costs.js";
import type { Mesh } from "../machine/mesh.js";
import { type Proc, WaitKind } from "./process.js";
import { HOST_TO_HOST_MESSAGE_CYCLES } from "./runtime-costs.js";

/** Wake a process that waited at the barrier: its operation completed at t. */
export type Wake = (p: Proc, t: number) => void;

/** The state of the barriers of one run: ePython's flags, the host meeting and the WAND rendezvous. */
export class Barrier {
  /** when process i's flag landed in the root's barrier array, -1 if not set */
  private readonly flagAt: Float64Array;
  /** when process i's release flag landed, -1 if not set */
  private readonly releaseAt: Float64Array;
  // the host's meeting of the host processes and the device root (command 8)
  private hostArrived = 0;
  private hostLast = 0;
  private rootWaiting: Proc | null = null;
  private rootLanded = 0;
  private readonly hostWaiting: Proc[] = [];
  private readonly hostCount: number;
  // the WAND rendezvous
  private wandArrived = 0;
  private wandLast = 0;

  constructor(
    readonly algorithm: BarrierAlgorithm,
    private readonly procs: readonly Proc[],
    private readonly machine: { spec: ChipSpec; mesh: Mesh },
    /** the device root of the epython barrier, or null when only host processes run */
    private readonly root: Proc | null,
    private readonly wake: Wake,
  ) {
    this.flagAt = new Float64Array(procs.length).fill(-1);
    this.releaseAt = new Float64Array(procs.length).fill(-1);
    this.hostCount = procs.filter((p) => p.isHost).length;
  }

  /** p sets its flag on the root at t (a posted byte store); returns when p goes on. */
  flagRoot(p: Proc, root: Proc, t: number): number {
    return this.setFlag(p, root, this.flagAt, p.idx, t);
  }

  /** The root spins on q's flag from t: when it goes on, or -1 when it must wait. */
  waitFlag(q: number, t: number): number {
    return this.takeFlag(this.flagAt, q, t); // the root clears the flags after the scan (R:846-848)
  }

  /** The root releases q at t (a posted byte store); returns when the root goes on. */
  release(root: Proc, q: Proc, t: number): number {
    return this.setFlag(root, q, this.releaseAt, q.idx, t);
  }

  /** p spins on its release flag from t: when it goes on, or -1 when it must wait. */
  waitRelease(p: Proc, t: number): number {
    return this.takeFlag(this.releaseAt, p.idx, t);
  }

  /**
   * `writer` stores a flag byte into `reader`'s SRAM at t (posted): a reader spinning on it (it
   * waits on the writer) goes on when it lands; otherwise the flag stays set in `flags[slot]`.
   * Returns when the writer goes on.
   */
  private setFlag(writer: Proc, reader: Proc, flags: Float64Array, slot: number, t: number): number {
    const landed = this.machine.mesh.write(writer.core, reader.core, 1, t);
    if (reader.wait.kind === WaitKind.Barrier && reader.wait.on === writer.idx) {
      reader.wait.kind = WaitKind.None;
      this.wake(reader, localSpinResume(reader.wait.start, landed));
    } else flags[slot] = landed;
    return t + 1;
  }

  /** A spin from t on the flag in `flags[slot]`: when it sees it (and clears it), or -1 when it is not set. */
  private takeFlag(flags: Float64Array, slot: number, t: number): number {
    const landed = flags[slot]!;
    if (landed < 0) return -1;
    flags[slot] = -1;
    return localSpinResume(t, landed);
  }

  /**
   * p arrives at the host's meeting at t (p waits; everyone is woken when the meeting is done):
   * the device root with its command stores landed at `landed`, or a host process. When the last
   * one is in, the host answers the root (Mesh.hostReply) and lets its own processes go.
   */
  hostSync(p: Proc, t: number, landed: number): void {
    p.wait.kind = WaitKind.Barrier;
    p.wait.on = -1;
    p.wait.start = t;
    if (p.isHost) {
      this.hostArrived++;
      this.hostLast = Math.max(this.hostLast, t);
      this.hostWaiting.push(p);
    } else {
      this.rootWaiting = p;
      this.rootLanded = landed;
    }
    if (this.hostArrived < this.hostCount || (this.root !== null && this.rootWaiting === null)) return;
    const hostStep = fromReferenceCycles(this.machine.spec, HOST_TO_HOST_MESSAGE_CYCLES);
    const root = this.rootWaiting;
    this.hostArrived = 0;
    this.rootWaiting = null;
    if (root === null) {
      // only host processes: they meet among themselves
      this.releaseHosts(this.hostLast);
      return;
    }
    const asked = Math.max(this.rootLanded, this.hostLast);
    const resume = this.machine.mesh.hostReply(root.core, asked, root.wait.start, hostStep);
    root.wait.kind = WaitKind.None;
    this.wake(root, resume);
  }

  /** The root has released the device cores at t: the host processes go (they hear it through the host). */
  releaseHosts(t: number): void {
    const at = Math.max(t, this.hostLast) + fromReferenceCycles(this.machine.spec, HOST_TO_HOST_MESSAGE_CYCLES);
    for (const q of this.hostWaiting) {
      q.wait.kind = WaitKind.None;
      this.wake(q, at);
    }
    this.hostWaiting.length = 0;
    this.hostLast = 0;
  }

  /** p arrives at the WAND rendezvous at t and waits; the last arrival releases everyone. */
  wand(p: Proc, t: number): void {
    p.wait.kind = WaitKind.Barrier;
    p.wait.on = -1;
    p.wait.start = t;
    this.wandLast = Math.max(this.wandLast, t);
    if (++this.wandArrived < this.procs.length) return;
    const release = this.wandLast + fromReferenceCycles(this.machine.spec, BARRIER_WAND_CYCLES);
    this.wandArrived = 0;
    this.wandLast = 0;
    for (const q of this.procs) {
      q.wait.kind = WaitKind.None;
      this.wake(q, release);
    }
  }
}
