/**
 * ePython's postboxes: one message slot per ordered pair of processes, in the receiver's SRAM
 * (device/device-functions.c:628-919, semantics 3.4). The sender writes a 6-byte record byte by
 * byte into its slot of the receiver's postbox (posted writes on the cMesh), then polls that slot
 * remotely (rMesh round trips) until the receiver has acknowledged; the receiver spins on its
 * local slot, consumes the value and writes the sequence byte back as the acknowledgement. One
 * message per ordered pair may be in flight.
 *
 * This class keeps the slots and prices each step on the machine model; who waits and who is
 * woken is the messaging client's business (src/runtime/operations.ts). Processes are numbered by
 * their index in the run; `cores[i]` is process i's logical core, or -1 for a host virtual core,
 * whose postboxes live in shared DRAM (host/host-functions.c:524-610).
 */
import { type ChipSpec, fromReferenceCycles, hops as meshHops } from "../machine/chip.js";
import { LOCAL_WORD_ACCESS_CYCLES, POSTBOX_POLL_CYCLES, localSpinResume } from "../machine/costs.js";
import { Mesh } from "../machine/mesh.js";
import { HOST_TO_HOST_MESSAGE_CYCLES } from "./runtime-costs.js";

/** [type:u8][payload:4][seq:u8] (semantics 3.4) */
export const MSG_BYTES = 6;
/** GUESS: one byte store issued per cycle by the sending core */
export const STORE_ISSUE_CYCLES = 1;

export class Postbox {
  private readonly n: number;
  private readonly full: Uint8Array;
  private readonly tags: Uint8Array;
  private readonly vals: Float64Array;
  private readonly visibleAt: Float64Array;
  /** time the receiver consumed the last message of the pair (its acknowledgement), -1 if never */
  private readonly ackAt: Float64Array;
  private readonly readRtByHops: Float64Array;
  /** the value last taken by consume() */
  gotTag = 0;
  gotVal = 0;

  constructor(
    private readonly spec: ChipSpec,
    private readonly mesh: Mesh,
    private readonly cores: readonly number[],
  ) {
    this.n = cores.length;
    const pairs = this.n * this.n;
    this.full = new Uint8Array(pairs);
    this.tags = new Uint8Array(pairs);
    this.vals = new Float64Array(pairs);
    this.visibleAt = new Float64Array(pairs);
    this.ackAt = new Float64Array(pairs).fill(-1);
    // zero-load remote read round trips by hop count, measured on a scratch mesh
    const scratch = new Mesh(spec);
    const maxH = spec.rows + spec.cols;
    this.readRtByHops = new Float64Array(maxH + 1);
    for (let h = 0; h <= maxH; h++) {
      scratch.reset();
      const r = Math.min(h, spec.cols - 1);
      const d = Math.min(h - r, spec.rows - 1);
      this.readRtByHops[h] = scratch.read(0, d * spec.cols + r, 4, 0);
    }
  }

  private slot(src: number, dst: number): number {
    return src * this.n + dst;
  }

  /** src's message to dst has not been consumed yet. */
  isFull(src: number, dst: number): boolean {
    return this.full[this.slot(src, dst)] === 1;
  }

  /** When dst acknowledged src's last message, -1 if it never did. */
  ackTime(src: number, dst: number): number {
    return this.ackAt[this.slot(src, dst)]!;
  }

  /** dst's probe(src) at t: a message is there and has landed. */
  probe(src: number, dst: number, t: number): boolean {
    const s = this.slot(src, dst);
    return this.full[s] === 1 && this.visibleAt[s]! <= t;
  }

  /** Mesh hops of a message from src to dst (0 through shared DRAM). */
  hops(src: number, dst: number): number {
    const a = this.cores[src]!;
    const b = this.cores[dst]!;
    return a < 0 || b < 0 ? 0 : meshHops(this.spec, a, b);
  }

  /** Zero-load round trip of a remote read from p's core to q's postbox. */
  readRoundTrip(p: number, q: number): number {
    const pc = this.cores[p]!;
    const qc = this.cores[q]!;
    if (pc < 0 || qc < 0) return this.mesh.dramReadLatency(pc < 0 ? Math.max(0, qc) : pc);
    return this.readRtByHops[meshHops(this.spec, pc, qc)]!;
  }

  /**
   * src writes (tag, val) into its slot of dst's postbox, its stores issued from t on; returns
   * when the record (its sequence byte last) is visible to dst. The slot must be empty.
   */
  post(src: number, dst: number, tag: number, val: number, t: number): number {
    const s = this.slot(src, dst);
    const sc = this.cores[src]!;
    const dc = this.cores[dst]!;
    let visible = t;
    if (sc < 0 || dc < 0) {
      // host virtual cores talk to device cores through shared DRAM (host-functions.c:524-610)
      const devCore = sc < 0 ? dc : sc;
      visible = devCore >= 0 ? this.mesh.dramWrite(devCore, MSG_BYTES, t) : t + fromReferenceCycles(this.spec, HOST_TO_HOST_MESSAGE_CYCLES);
    } else {
      // byte by byte: each store is its own cMesh packet; the sequence byte lands last
      for (let i = 0; i < MSG_BYTES; i++) visible = this.mesh.write(sc, dc, 1, t + i * STORE_ISSUE_CYCLES);
    }
    this.full[s] = 1;
    this.tags[s] = tag;
    this.vals[s] = val;
    this.visibleAt[s] = visible;
    this.ackAt[s] = -1;
    return visible;
  }

  /** When the sender's stores of a message posted at t are all issued. */
  static issuedBy(t: number): number {
    return t + MSG_BYTES * STORE_ISSUE_CYCLES;
  }

  /**
   * dst, spinning on its slot for src since `since`, takes src's message (into gotTag/gotVal)
   * and acknowledges it; returns the time of the acknowledgement, when dst goes on.
   */
  consume(dst: number, src: number, since: number): number {
    const s = this.slot(src, dst);
    const seen = localSpinResume(since, this.visibleAt[s]!);
    this.gotTag = this.tags[s]!;
    this.gotVal = this.vals[s]!;
    this.full[s] = 0;
    const ack = seen + LOCAL_WORD_ACCESS_CYCLES; // write the sequence byte back as the ACK
    this.ackAt[s] = ack;
    return ack;
  }

  /**
   * When p, polling q's postbox with back-to-back remote reads since `pollStart`, first sees the
   * acknowledgement that became visible at `ack`: a read samples the slot half-way through its
   * round trip; p resumes when that read returns. The polls load the read mesh (and their
   * replies the write mesh), at zero load (see readRoundTrip).
   */
  pollSeen(p: number, q: number, pollStart: number, ack: number): number {
    const rt = this.readRoundTrip(p, q);
    const period = rt + POSTBOX_POLL_CYCLES;
    const k = Math.max(0, Math.ceil((ack - pollStart - rt / 2) / period));
    const pc = this.cores[p]!;
    const qc = this.cores[q]!;
    if (pc >= 0 && qc >= 0) this.mesh.accountPolls(pc, qc, pollStart, period, k + 1);
    return pollStart + k * period + rt;
  }

  /**
   * src's test of its send to dst at t (one remote read of the slot): true when the slot is
   * empty or the acknowledgement had landed by the time the read samples it.
   */
  testSent(src: number, dst: number, t: number): boolean {
    const s = this.slot(src, dst);
    const rt = this.readRoundTrip(src, dst);
    return !this.full[s] || (this.ackAt[s]! >= 0 && this.ackAt[s]! <= t + rt / 2);
  }
}
