/**
 * What each of ePython's device runtime functions does, access by access, as an operation
 * sequence (process.ts OpCode): every read of shared DRAM is a DramRead and every store a
 * DramStore (the eLink model prices and books each one, in time order), messages and flags go
 * over the mesh (postbox.ts, barrier.ts), and the local work in between is a Local with the
 * cycles of c-runtime.ts. Citations: R = devices/epiphany/epiphany-runtime.c,
 * M = devices/epiphany/main.c of ePython `dev` (see c-runtime.ts); the counts are tabled in
 * docs/research/epython-runtime-accesses.md.
 *
 * `ids` maps a device core id to the process index running on it (-1: not active); ePython's
 * loops over "all cores" run over those ids, to TOTAL_CORES (c-runtime.ts).
 */
import * as C from "./c-runtime.js";
import { HostKind } from "../trace/sink.js";
import type { ChipSpec } from "../machine/chip.js";
import { OpCode, type OpSequence, type Proc } from "./process.js";

const { DramRead, DramStore, Local } = OpCode;

/** The active cores as ePython's loops see them. */
export interface CoreIds {
  /** device core id -> process index, -1 when that core is not active; length TOTAL_CORES */
  readonly ids: Int32Array;
  /** processes on host virtual cores, in id order (ePython's device loops never reach them) */
  readonly hostProcs: readonly number[];
  /** process index -> ePython pid */
  readonly pidOf: Int32Array;
}

/**
 * Runs at least this long of back-to-back DRAM reads (ePython's loops over every core id, the
 * byte code's copy at start-up) are one DramReads operation: priced at the zero-load round trip
 * each and booked on the eLink as one demand (Mesh.elinkTraffic, as the byte code's own DRAM
 * traffic is), instead of one event per read. A simulation choice, not hardware.
 */
const LONG_RUN = 8;

/** `n` back-to-back DRAM reads, each followed by `local` cycles of the loop's own work. */
function reads(seq: OpSequence, n: number, local = 0): void {
  if (n <= 0) return;
  if (n < LONG_RUN) {
    for (let i = 0; i < n; i++) {
      seq.add(DramRead, 0);
      if (local > 0) seq.add(Local, local);
    }
    return;
  }
  seq.add(OpCode.DramReads, n);
  if (local > 0) seq.add(Local, n * local);
}

/**
 * ePython's view of the active cores: its loops run over core ids to TOTAL_CORES, 16 on the E16
 * (epiphany-shared.h:30); a build for a larger chip would take the chip's core count.
 */
export function coreIdsOf(spec: ChipSpec, procs: readonly Proc[]): CoreIds {
  const ids = new Int32Array(Math.max(C.EPYTHON_TOTAL_CORES_E16, spec.rows * spec.cols)).fill(-1);
  const pidOf = new Int32Array(procs.length);
  const hostProcs: number[] = [];
  for (const p of procs) {
    pidOf[p.idx] = p.pid;
    if (p.isHost) hostProcs.push(p.idx);
    else ids[p.pid] = p.idx;
  }
  return { ids, hostProcs, pidOf };
}

/**
 * `getLargestCoreId(x)` (R:694-707) for process q: baseHostPid (R:695) and num_procs (R:696); a
 * core id at or above num_procs (cores placed with -c away from 0: num_procs counts processes)
 * also reads core_ctrl[x].active and every core's (R:697-700).
 */
function largestCoreId(seq: OpSequence, cores: CoreIds, q: number): void {
  seq.add(Local, C.LARGEST_CORE_ID_LOCAL_CYCLES);
  seq.addN(DramRead, 0, 2);
  const pid = cores.pidOf[q]!;
  if (pid >= cores.pidOf.length && pid < cores.ids.length && cores.ids[pid]! >= 0) {
    reads(seq, 1 + cores.ids.length, C.CORE_LOOP_ITERATION_CYCLES);
  }
}

/** The native call's dispatch and its integer argument (R:65-136, getInt R:958-962). */
export function planDispatch(seq: OpSequence, position: number, intArgs: number): void {
  seq.add(Local, C.nativeDispatch(position) + intArgs * C.GET_INT_CYCLES);
}

/** sendData to a device core up to the sequence bookkeeping after the post (R:628-660). */
function planPost(seq: OpSequence, q: number, cores: CoreIds): void {
  seq.add(Local, 2); // the string type check (R:629)
  largestCoreId(seq, cores, q); // R:630
  seq.add(DramRead, 0); // core_ctrl[target].active (R:649)
  // message record, first sequence update, target / group_cols (R:652-657)
  seq.add(Local, C.BUILD_MESSAGE_CYCLES + 2 * C.SYNC_VALUE_UPDATE_CYCLES + C.SOFTWARE_DIVIDE_CYCLES + 4);
  seq.add(DramRead, 0); // core_ctrl[target].postbox_start (R:658)
  seq.add(Local, C.GLOBAL_ADDRESS_CYCLES + C.CPY_CALL_CYCLES); // e_get_global_address, cpy call (R:658-659)
  seq.add(OpCode.NbSend, q); // cpy(remoteMemory, communication_data, 6): six posted byte stores (R:659)
  seq.add(Local, C.SYNC_VALUE_UPDATE_CYCLES); // R:660
}

/** `send` (blocking: wait for the acknowledgement, R:661-665) or `send` non-blocking. */
export function planSend(seq: OpSequence, q: number, blocking: boolean, cores: CoreIds): void {
  planPost(seq, q, cores);
  if (blocking) seq.add(OpCode.WaitAck, q);
}

/** `recv` from a device core (recvData R:725-731, recvDataFromDeviceCore R:749-767). */
export function planRecv(seq: OpSequence, q: number, cores: CoreIds): void {
  largestCoreId(seq, cores, q); // R:726
  seq.add(DramRead, 0); // core_ctrl[source].active (R:751)
  seq.add(DramRead, 0); // core_ctrl[myId].postbox_start, the first copy's source (R:754)
  seq.add(Local, C.cpyLocal(6)); // the first copy of my slot, its sequence byte last (R:754)
  // what that copy saw; then syncValues (R:755) and, until the sequence byte matches, the poll
  // loop that re-reads postbox_start from DRAM on every iteration (R:756-758)
  seq.add(OpCode.Recv, q);
  seq.add(Local, C.SYNC_VALUE_UPDATE_CYCLES + 3); // R:759-760
  seq.add(DramRead, 0); // postbox_start again for the acknowledgement (R:761)
  seq.add(OpCode.Ack, q); // the 6-byte record written back, sequence byte last (R:761)
  seq.add(Local, 2 + C.cpyLocal(4) + C.VALUE_RETURN_CYCLES); // R:762-766
}

/** `sendrecv` with a device core (sendRecvData R:774-781, sendRecvDataWithDeviceCore R:798-818). */
export function planSendRecv(seq: OpSequence, q: number, cores: CoreIds): void {
  seq.add(Local, 2); // R:775
  largestCoreId(seq, cores, q); // R:776
  seq.add(DramRead, 0); // core_ctrl[target].active (R:800)
  seq.add(Local, C.BUILD_MESSAGE_CYCLES + 4 + C.SOFTWARE_DIVIDE_CYCLES + 4); // R:803-807
  seq.add(DramRead, 0); // core_ctrl[target].postbox_start (R:808)
  seq.add(Local, C.GLOBAL_ADDRESS_CYCLES + C.CPY_CALL_CYCLES);
  seq.add(OpCode.NbSend, q); // R:809
  planRecv(seq, q, cores); // R:810
  seq.add(Local, 6); // communication_data[5] = syncValues - 1: the ack poll runs at least once (R:811)
  seq.add(OpCode.WaitAck, q); // R:812-814
  seq.add(Local, C.VALUE_RETURN_CYCLES);
}

/** `probe(source)` (probeForMessage R:709-723). */
export function planProbe(seq: OpSequence, q: number, cores: CoreIds): void {
  largestCoreId(seq, cores, q); // R:713
  seq.add(DramRead, 0); // core_ctrl[source].active (R:714)
  seq.add(DramRead, 0); // core_ctrl[myId].postbox_start (R:715)
  seq.add(Local, C.cpyLocal(6)); // copy of my slot (R:715)
  seq.add(OpCode.Probe, q); // what the copy saw
  seq.add(Local, C.SYNC_VALUE_UPDATE_CYCLES + 4 + C.cpyLocal(4) + C.VALUE_RETURN_CYCLES); // R:716-719
}

/** `test_for_send` / `wait_for_send` (test_or_wait_for_sent_message R:669-692): no `active` check. */
export function planTestOrWait(seq: OpSequence, q: number, wait: boolean, cores: CoreIds): void {
  largestCoreId(seq, cores, q); // R:673
  seq.add(Local, C.SOFTWARE_DIVIDE_CYCLES + 4); // R:674-675
  seq.add(DramRead, 0); // core_ctrl[target].postbox_start (R:677)
  seq.add(Local, C.GLOBAL_ADDRESS_CYCLES);
  // a 6-byte remote copy of my slot in the target's postbox, repeated until acknowledged for wait
  seq.add(wait ? OpCode.WaitAck : OpCode.TestSent, q); // R:678-686
  seq.add(Local, C.cpyLocal(4) + C.VALUE_RETURN_CYCLES); // R:687-691
}

/**
 * ePython's loop over the active cores (R:866, R:891): one DRAM read of `active` per core id until
 * `count` active ones have been seen; calls `each` with each active process, then with the host
 * processes (which ePython's device loop never reaches; we include them so mixed runs work).
 * A generator that yields after each call of `each` (forActive runs it through, a lazy plan a
 * part at a time).
 */
function* activeParts(seq: OpSequence, cores: CoreIds, count: number, each: (q: number) => void): Generator<void> {
  let seen = 0;
  yield* scanParts(seq, cores, 0, (q) => {
    each(q);
    return ++seen < count;
  });
  for (const q of cores.hostProcs) {
    each(q);
    yield;
  }
}

function forActive(seq: OpSequence, cores: CoreIds, count: number, each: (q: number) => void): void {
  for (const _ of activeParts(seq, cores, count, each)) {
    // each part is appended as it comes
  }
}

/**
 * ePython's loop over the core ids from `from` to TOTAL_CORES, reading each one's `active` flag
 * from DRAM (with the loop's own work): `visit` gets the process of each active id right after
 * its read (false stops the loop there); an id `skip` names is read but not visited. Yields after
 * each visit.
 */
function* scanParts(seq: OpSequence, cores: CoreIds, from: number, visit: (q: number) => boolean | void, skip = -1): Generator<void> {
  let scanned = 0; // ids whose flag is read but not yet planned
  for (let id = from; id < cores.ids.length; id++) {
    scanned++; // core_ctrl[i].active
    const q = cores.ids[id]!;
    if (q < 0 || q === skip) continue;
    reads(seq, scanned, C.CORE_LOOP_ITERATION_CYCLES);
    scanned = 0;
    const more = visit(q);
    yield;
    if (more === false) return;
  }
  reads(seq, scanned, C.CORE_LOOP_ITERATION_CYCLES);
}

function scanIds(seq: OpSequence, cores: CoreIds, from: number, visit: (q: number) => boolean | void, skip = -1): void {
  for (const _ of scanParts(seq, cores, from, visit, skip)) {
    // each part is appended as it comes
  }
}

/** `bcast(v, root)` (bcastData R:863-877): the root sends to each active core in id order and blocks on each. */
export function planBcast(seq: OpSequence, self: number, root: number, cores: CoreIds, nProcs: number): "acc" | "got" {
  if (self !== root) {
    planRecv(seq, root, cores);
    return "got";
  }
  forActive(seq, cores, nProcs, (q) => {
    if (q !== self) planSend(seq, q, true, cores); // sendData(to_send, i, 1) (R:870)
  });
  return "acc";
}

/**
 * ePython's all-pairs `reduce` (reduceData R:882-919): a sendrecv with every other active core, in
 * id order. Planned a partner at a time as it runs (OpSequence.follow): on 1,024 cores the whole
 * plan is some 30,000 operations per core.
 */
export function planEpythonReduce(seq: OpSequence, self: number, cores: CoreIds, nProcs: number): void {
  seq.add(Local, C.cpyLocal(4)); // R:886-890
  seq.follow(new EpythonReduceRest(seq, self, cores, nProcs));
}

const MORE: IteratorResult<void> = Object.freeze({ done: false, value: undefined });
const ALL: IteratorResult<void> = Object.freeze({ done: true, value: undefined });

/**
 * The rest of ePython's reduce, a part per next(): activeParts (the scan of the core ids, then the
 * host processes) with the exchange as its visit, and the final copy; written out as a plain
 * iterator, since a 1,024-core run calls it a million times per reduce.
 */
class EpythonReduceRest implements Iterator<void> {
  /** the next core id to scan */
  private id = 0;
  private seen = 0;
  /** 0: scanning the core ids, 1: the host processes, 2: planned */
  private phase = 0;
  private host = 0;

  constructor(
    private readonly seq: OpSequence,
    private readonly self: number,
    private readonly cores: CoreIds,
    private readonly count: number,
  ) {}

  next(): IteratorResult<void> {
    const { seq, cores } = this;
    if (this.phase === 0) {
      let scanned = 0; // ids whose flag is read but not yet planned (scanParts)
      while (this.id < cores.ids.length) {
        scanned++; // core_ctrl[i].active
        const q = cores.ids[this.id++]!;
        if (q < 0) continue;
        reads(seq, scanned, C.CORE_LOOP_ITERATION_CYCLES);
        this.exchange(q);
        if (++this.seen >= this.count) this.phase = 1;
        return MORE;
      }
      reads(seq, scanned, C.CORE_LOOP_ITERATION_CYCLES);
      this.phase = 1;
    }
    if (this.phase === 1) {
      if (this.host < cores.hostProcs.length) {
        this.exchange(cores.hostProcs[this.host++]!);
        return MORE;
      }
      this.phase = 2;
      seq.add(Local, C.cpyLocal(4) + C.VALUE_RETURN_CYCLES); // R:910-918
    }
    return ALL;
  }

  private exchange(q: number): void {
    if (q === this.self) return;
    planSendRecv(this.seq, q, this.cores); // R:895
    this.seq.add(Local, C.REDUCE_COMBINE_CYCLES);
    this.seq.add(OpCode.Combine, 0); // R:896-908
  }
}

/**
 * ePython's barrier (syncCores R:823-831, performBarrier R:837-858), for process `self`; `root`
 * is the lowest active device core. `global` is false for the start-up barrier (M:68), which
 * skips the host-process check. Host processes (`hostProc`) meet the root through the host.
 */
export function planBarrier(seq: OpSequence, self: number, root: number, cores: CoreIds, global: boolean, hostProc: boolean): void {
  if (hostProc) {
    seq.add(OpCode.HostSync, root);
    return;
  }
  if (self !== root) {
    seq.add(Local, 4); // target_barrier_array[0] (R:854)
    seq.add(OpCode.FlagRoot, root); // *(target_barrier_array[0]) = 1 (R:854)
    seq.add(OpCode.WaitRelease, root); // while (barrier_array[0] == 0) (R:855)
    seq.add(Local, 2); // barrier_array[0] = 0 (R:856)
    return;
  }
  if (global) {
    seq.addN(DramRead, 0, 2); // baseHostPid != num_procs (R:824)
    if (cores.hostProcs.length > 0) {
      // command 8: the host meets its processes, then answers (R:825-828)
      seq.add(DramRead, 0); // pb = core_busy (R:825)
      seq.add(DramStore, 0); // core_command = 8 (R:826)
      seq.add(DramStore, 0); // core_busy = 0 (R:827)
      seq.add(OpCode.HostSync, root);
    }
  }
  seq.add(Local, 2); // barrier_array[myId] = 1 (R:841)
  // core_ctrl[i].active for i >= 1, then while (barrier_array[i] == 0) for the active ones (R:843-845)
  scanIds(seq, cores, 1, (q) => void seq.add(OpCode.WaitFlag, q), root);
  // core_ctrl[i].active, then barrier_array[i] = 0 for the active ones (R:846-848)
  reads(seq, cores.ids.length, C.CORE_LOOP_ITERATION_CYCLES);
  seq.add(Local, 2 * (cores.pidOf.length - cores.hostProcs.length));
  // core_ctrl[i].active, then *(target_barrier_array[i]) = 1 for the active ones (R:850-852)
  scanIds(seq, cores, 1, (q) => {
    seq.add(Local, 1 + 3); // load target_barrier_array[i]
    seq.add(OpCode.Release, q);
  }, root);
  // ePython's host processes leave sync() once the root has met them (host-functions.c:699-730),
  // before the other device cores may have arrived; we keep sync() a barrier for everyone: the
  // host processes go when the root has released the device cores
  if (global && cores.hostProcs.length > 0) seq.add(OpCode.HostRelease, 0);
}

/** Shared-heap allocation of a chunk for a temporary string (getHeapMemory R:383-393, one chunk walked R:542-577). */
function planSharedAlloc(seq: OpSequence): void {
  seq.add(DramRead, 0); // allInSharedMemory (R:384)
  seq.add(DramRead, 0); // shared_heap_start (R:542)
  seq.addN(DramRead, 0, 5); // the first chunk's 4-byte length and in-use byte (R:552, R:557)
  seq.add(Local, 40);
  seq.addN(DramStore, 0, 9); // the two headers of the split (R:563-577)
}

/** copyStringToSharedMemoryAndSetLocation (R:935-943) for a string of `bytes` bytes with its terminator. */
function planStringToShared(seq: OpSequence, bytes: number): void {
  planSharedAlloc(seq);
  seq.add(Local, C.CPY_CALL_CYCLES);
  seq.addN(DramStore, 0, bytes); // the string, byte by byte (R:939)
  seq.add(DramRead, 0); // shared_heap_start (R:940)
  seq.add(Local, C.CPY_CALL_CYCLES);
  seq.addN(DramStore, 0, 4); // its relative location into data[] (R:941)
}

/**
 * freeMemoryInHeap of that temporary (R:416-421, consolidateHeapChunks R:479-532) over a shared
 * heap of two chunks; strings the host made (concatenations) that are still held make the walk
 * longer, which is not counted.
 */
function planSharedFree(seq: OpSequence): void {
  seq.add(DramStore, 0); // in-use byte (R:419)
  seq.addN(DramRead, 0, 14); // heap start, headers, bounds checks (R:486-526)
  seq.addN(DramStore, 0, 4); // the merged chunk's 4-byte length (R:518)
  seq.add(Local, 60);
}

/** The command handshake of every host request (e.g. R:222-225): command, busy flag, the wait and its last read. */
function planHostHandshake(seq: OpSequence, kind: number): void {
  seq.add(DramStore, 0); // core_command
  seq.add(DramRead, 0); // pb = core_busy
  seq.add(DramStore, 0); // core_busy = 0
  seq.add(OpCode.HostCall, kind); // while (core_busy == 0 || core_busy <= pb)
}

/** A value into the command block's data[]: its type byte and 4 payload bytes (e.g. R:213, R:220). */
function planValueOut(seq: OpSequence): void {
  seq.add(DramStore, 0);
  seq.add(Local, C.CPY_CALL_CYCLES);
  seq.addN(DramStore, 0, 4);
}

/** A value back from data[]: type byte and 4 payload bytes (e.g. R:303-304). */
function planValueIn(seq: OpSequence): void {
  seq.add(DramRead, 0);
  seq.add(Local, C.CPY_CALL_CYCLES);
  seq.addN(DramRead, 0, 4);
}

/** print (displayToUser R:212-227); `stringBytes` >= 0 for a string (with terminator), -1 otherwise. */
export function planPrint(seq: OpSequence, stringBytes: number): void {
  planDispatch(seq, C.NATIVE_CHAIN_POSITION.print, 0);
  if (stringBytes >= 0) {
    seq.add(DramStore, 0); // data[0] = type (R:213)
    planStringToShared(seq, stringBytes); // R:218
  } else planValueOut(seq); // R:213, R:220
  planHostHandshake(seq, HostKind.Print); // R:222-225
  if (stringBytes >= 0) planSharedFree(seq); // R:226
}

/** input() and input(prompt) (R:244-285): the answer read back as a string. */
export function planInput(seq: OpSequence, promptBytes: number): void {
  planDispatch(seq, promptBytes >= 0 ? C.NATIVE_CHAIN_POSITION.inputPrint : C.NATIVE_CHAIN_POSITION.input, 0);
  seq.add(DramStore, 0); // data[0] (R:245 / R:264)
  if (promptBytes >= 0) planStringToShared(seq, promptBytes);
  planHostHandshake(seq, HostKind.Input); // R:271-274
  seq.add(DramRead, 0); // data[0] (R:275)
  seq.addN(DramRead, 0, 4); // the location (R:278)
  seq.add(DramRead, 0); // shared_heap_start (R:279)
  if (promptBytes >= 0) planSharedFree(seq);
}

/** A maths function or rand() on the host (performMathsOp R:290-307; rand is operation 14, which sends no value). */
export function planMaths(seq: OpSequence, rand: boolean): void {
  planDispatch(seq, C.NATIVE_CHAIN_POSITION.math, 1);
  if (!rand) planValueOut(seq); // R:294-295
  planHostHandshake(seq, rand ? HostKind.Rand : HostKind.Maths); // R:298-302
  planValueIn(seq); // R:303-304
}

/**
 * String concatenation on the host (performStringConcatenation R:312-345): each operand goes out
 * as a shared string (`bytes` >= 0, with terminator) or a value (-1); the result's location comes back.
 */
export function planConcat(seq: OpSequence, bytesA: number, bytesB: number): void {
  for (const b of [bytesA, bytesB]) {
    if (b >= 0) {
      seq.add(DramStore, 0); // the type byte (R:316, R:324)
      planStringToShared(seq, b);
    } else planValueOut(seq);
  }
  planHostHandshake(seq, HostKind.Concat); // R:331-334
  seq.add(Local, C.CPY_CALL_CYCLES);
  seq.addN(DramRead, 0, 4); // data[11..14] (R:338)
  seq.add(DramRead, 0); // shared_heap_start (R:339)
  for (const b of [bytesA, bytesB]) if (b >= 0) planSharedFree(seq); // R:341-342
}

/**
 * A device core's start-up (M:44-70) up to the first byte code: wait for core_run, flag busy and
 * running, find the lowest active core, copy the byte code from shared DRAM when it is to run
 * from the core's SRAM (byte by byte), the start-up barrier, and the interpreter's arguments.
 */
export function planStartup(seq: OpSequence, self: number, root: number, cores: CoreIds, codeCopyBytes: number): void {
  seq.add(DramRead, 0); // core_run (M:48), already set by the host
  seq.addN(DramStore, 0, 2); // core_busy = 1, core_run = 1 (M:49-50)
  reads(seq, cores.ids.length, C.CORE_LOOP_ITERATION_CYCLES + 2); // core_ctrl[i].active (M:56)
  // init_barrier twice (M:61-62, M:79-95): the root computes every core's flag address
  const perCore = self === root ? cores.ids.length : 1;
  seq.add(Local, 2 * perCore * (C.SOFTWARE_DIVIDE_CYCLES + C.GLOBAL_ADDRESS_CYCLES) + 2 * cores.ids.length * 3);
  seq.add(DramRead, 0); // codeOnCores (M:64)
  if (codeCopyBytes > 0) {
    seq.addN(DramRead, 0, 3); // edata, esdata, length (M:65)
    seq.add(Local, C.CPY_CALL_CYCLES);
    reads(seq, codeCopyBytes); // cpy from shared DRAM, one byte load each (M:65)
  }
  planBarrier(seq, self, root, cores, false, false); // syncCores(0) (M:68)
  seq.addN(DramRead, 0, 5); // edata, length, symbol_size, num_procs, baseHostPid (M:69)
}
