/**
 * ePython's postboxes: one message slot per ordered pair of processes, in the receiver's SRAM
 * (R = devices/epiphany/epiphany-runtime.c:628-818, semantics 3.4). The sender writes a 6-byte
 * record byte by byte into its slot of the receiver's postbox (posted writes on the cMesh, from
 * cpy()'s byte loop), then polls that slot with 6-byte remote copies (rMesh round trips) until the
 * receiver has acknowledged; the receiver copies its local slot until the sequence byte
 * matches, re-reading the slot's address from shared DRAM on every iteration (R:757), and then
 * writes the record back with the new sequence byte as the acknowledgement (R:761). One message
 * per ordered pair may be in flight.
 *
 * This class keeps the slots and prices each step on the machine model; who waits and who is
 * woken is the messaging client's business (src/runtime/operations.ts). Processes are numbered by
 * their index in the run; `cores[i]` is process i's logical core, or -1 for a host virtual core,
 * whose postboxes live in shared DRAM (host/host-functions.c:524-610).
 */
import { type ChipSpec, fromReferenceCycles, hops as meshHops } from "../machine/chip.js";
import { LOAD_LATENCY_CYCLES, localSpinResume } from "../machine/costs.js";
import { Mesh } from "../machine/mesh.js";
import { CPY_BYTE_CYCLES, CPY_CALL_CYCLES, POLL_TEST_CYCLES, cpyLocal } from "./c-runtime.js";
import { HOST_TO_HOST_MESSAGE_CYCLES } from "./runtime-costs.js";

/** [type:u8][payload:4][seq:u8] (semantics 3.4) */
export const MSG_BYTES = 6;
/** cpy() issues one byte store per iteration of its loop (c-runtime.ts CPY_BYTE_CYCLES). */
export const STORE_ISSUE_CYCLES = CPY_BYTE_CYCLES;
/** A remote byte load in cpy()'s loop replaces the local load's issue and latency (1 + 3) by the round trip. */
const REMOTE_COPY_LOOP_CYCLES = CPY_BYTE_CYCLES - (1 + LOAD_LATENCY_CYCLES);

/**
 * A slot's fields, side by side in one Float64Array (SLOT_WORDS per slot, 32 bytes: one cache
 * line holds all a message step touches; on 1,024 cores the slots take 32 MB and are visited in
 * no particular order):
 * - STATE: the message's type tag, plus FULL while a message is in the slot and not taken
 * - VAL: its payload
 * - VISIBLE: when it lands in the receiver's slot
 * - ACK: when the receiver's acknowledgement of the pair's last message was visible in its slot:
 *   -1 while one is outstanding, 0 before the first message (the sequence bytes start equal)
 */
const SLOT_WORDS = 4;
const STATE = 0;
const VAL = 1;
const VISIBLE = 2;
const ACK = 3;
/** added to a tag (0..255) in STATE while the message is in the slot */
const FULL = 256;

export class Postbox {
  private readonly n: number;
  private readonly slots: Float64Array;
  private readonly readRtByHops: Float64Array;
  /** scale of the C runtime's local work in copies and polls (1; sensitivity studies, the `runtime` group) */
  localScale = 1;
  /** the value last taken by take() */
  gotTag = 0;
  gotVal = 0;

  constructor(
    private readonly spec: ChipSpec,
    private readonly mesh: Mesh,
    private readonly cores: readonly number[],
  ) {
    this.n = cores.length;
    this.slots = new Float64Array(this.n * this.n * SLOT_WORDS);
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

  /** The first word of the pair's slot in `slots`. */
  private slot(src: number, dst: number): number {
    return (src * this.n + dst) * SLOT_WORDS;
  }

  /** src's last message to dst has not been acknowledged: src may not write the slot again. */
  isPending(src: number, dst: number): boolean {
    return this.slots[this.slot(src, dst) + ACK]! < 0;
  }

  /** src's message to dst is in the slot, not taken yet. */
  isFull(src: number, dst: number): boolean {
    return this.slots[this.slot(src, dst) + STATE]! >= FULL;
  }

  /** When dst's acknowledgement of src's last message was visible, -1 while outstanding. */
  ackTime(src: number, dst: number): number {
    return this.slots[this.slot(src, dst) + ACK]!;
  }

  /** When src's message to dst lands in dst's slot (valid while it is full). */
  visibleTime(src: number, dst: number): number {
    return this.slots[this.slot(src, dst) + VISIBLE]!;
  }

  /** dst's copy of its slot for src, sampled at t: a message is there and has landed. */
  sample(src: number, dst: number, t: number): boolean {
    const s = this.slot(src, dst);
    return this.slots[s + STATE]! >= FULL && this.slots[s + VISIBLE]! <= t;
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
    if (pc < 0 && qc < 0) return fromReferenceCycles(this.spec, HOST_TO_HOST_MESSAGE_CYCLES); // both in the host's memory
    if (pc < 0 || qc < 0) return this.mesh.dramReadLatency(pc < 0 ? qc : pc);
    return this.readRtByHops[meshHops(this.spec, pc, qc)]!;
  }

  /**
   * src writes (tag, val) into its slot of dst's postbox, cpy()'s byte stores issued from t on;
   * returns when the record (its sequence byte last) is visible to dst. The slot must be free.
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
      visible = this.mesh.byteStores(sc, dc, MSG_BYTES, t, STORE_ISSUE_CYCLES, this.localScale);
    }
    this.slots[s + STATE] = FULL + (tag & 255);
    this.slots[s + VAL] = val;
    this.slots[s + VISIBLE] = visible;
    this.slots[s + ACK] = -1;
    return visible;
  }

  /** When the sender's stores of a message posted at t are all issued. */
  issuedBy(t: number): number {
    return t + MSG_BYTES * STORE_ISSUE_CYCLES * this.localScale;
  }

  /** dst takes src's message into gotTag/gotVal (the acknowledgement comes later, ack()). */
  take(dst: number, src: number): void {
    const s = this.slot(src, dst);
    const tag = this.slots[s + STATE]! & 255;
    this.gotTag = tag;
    this.gotVal = this.slots[s + VAL]!;
    this.slots[s + STATE] = tag;
  }

  /** dst writes the acknowledgement of src's message back into its slot from t; returns when it is visible. */
  ack(dst: number, src: number, t: number): number {
    const visible = t + cpyLocal(MSG_BYTES) * this.localScale;
    this.slots[this.slot(src, dst) + ACK] = visible;
    return visible;
  }

  /**
   * The receiver's poll (R:756-758), spinning since `spinStart` for a message visible at
   * `visible`: each iteration reads postbox_start from DRAM (a blocking round trip) and then
   * copies the 6-byte slot, the sequence byte last. Returns when the loop exits on the first copy
   * that sees it; books the iterations' DRAM reads on the eLink as load.
   */
  recvSeen(p: number, spinStart: number, visible: number): number {
    const pc = this.cores[p]!;
    if (pc < 0) return localSpinResume(spinStart, visible); // the host's thread spins on its own memory
    // an iteration: the loop test of the last copy, the DRAM read of the slot's address, the copy
    const rd = this.mesh.dramReadLatency(pc);
    const sampleAt = rd + (POLL_TEST_CYCLES + CPY_CALL_CYCLES + MSG_BYTES * CPY_BYTE_CYCLES) * this.localScale;
    const period = sampleAt;
    const k = Math.max(0, Math.ceil((visible - spinStart - sampleAt) / period));
    this.mesh.accountDramPolls(spinStart, period, k + 1);
    return spinStart + k * period + sampleAt + POLL_TEST_CYCLES;
  }

  /** set by remoteCopy(): the period of one copy and when in it the sequence byte is read */
  private copyPeriod = 0;
  private copySample = 0;

  /**
   * Period and sampling point of one 6-byte remote copy of q's slot by p (cpy() with remote
   * loads), into copyPeriod and copySample (fields, not an object: it is on every poll's path).
   */
  private remoteCopy(p: number, q: number): void {
    const rt = this.readRoundTrip(p, q);
    if (this.cores[p]! < 0 && this.cores[q]! < 0) {
      // a host thread reads the host's memory
      this.copyPeriod = rt;
      this.copySample = rt / 2;
      return;
    }
    const k = this.localScale;
    const perByte = rt + REMOTE_COPY_LOOP_CYCLES * k;
    this.copyPeriod = (CPY_CALL_CYCLES + POLL_TEST_CYCLES) * k + MSG_BYTES * perByte;
    this.copySample = CPY_CALL_CYCLES * k + (MSG_BYTES - 1) * perByte + rt / 2;
  }

  /**
   * When p, copying q's slot over and over from `pollStart` (the sender's acknowledgement poll,
   * R:662-664, R:680-682, R:812-814: at least one copy), first sees the acknowledgement visible at
   * `ack`: the sequence byte is the last of each copy's six remote reads; p resumes when that
   * copy's loop test fails. The reads load the read mesh (and their replies the write mesh), at
   * zero load.
   */
  pollSeen(p: number, q: number, pollStart: number, ack: number): number {
    this.remoteCopy(p, q);
    const period = this.copyPeriod;
    const sample = this.copySample;
    const k = Math.max(0, Math.ceil((ack - pollStart - sample) / period));
    const pc = this.cores[p]!;
    const qc = this.cores[q]!;
    if (pc >= 0 && qc >= 0) this.mesh.accountPolls(pc, qc, pollStart, period / MSG_BYTES, (k + 1) * MSG_BYTES);
    return pollStart + (k + 1) * period;
  }

  /**
   * src's test of its send to dst at t: one 6-byte remote copy of the slot (R:678, R:684).
   * Returns true when the acknowledgement was visible when the copy read the sequence byte; the
   * copy's duration is copyCycles().
   */
  testSent(src: number, dst: number, t: number): boolean {
    const a = this.slots[this.slot(src, dst) + ACK]!;
    this.remoteCopy(src, dst);
    return a >= 0 && a <= t + this.copySample;
  }

  /** Cycles of one 6-byte remote copy of dst's slot by src, its loop test included. */
  copyCycles(src: number, dst: number): number {
    this.remoteCopy(src, dst);
    return this.copyPeriod;
  }
}
