/**
 * The runtime's engine: turns a messaging, collective or host request of the byte code into an
 * operation sequence (runtime-calls.ts: what ePython's C runtime does, access by access) and runs
 * it, blocking the process while it waits for a message, an acknowledgement, a free slot, a
 * barrier flag or the host, and waking it when that happens. Each shared-DRAM access is priced
 * and booked by the eLink model (Mesh.dramRead / dramWrite) at the simulated time it is made;
 * messages go through the postboxes (postbox.ts), flags through the barrier (barrier.ts).
 */
import type { ReduceAlgorithm } from "../config/names.js";
import type { Mesh } from "../machine/mesh.js";
import { CoreState } from "../trace/sink.js";
import { Tag } from "../vm/values.js";
import { Req } from "../vm/vm.js";
import type { Barrier } from "./barrier.js";
import { NATIVE_CHAIN_POSITION, SYNC_VALUE_UPDATE_CYCLES } from "./c-runtime.js";
import { applyLocal, planReduce } from "./collectives.js";
import type { RuntimeContext } from "./context.js";
import { HOST_CORE_SPEED_FACTOR } from "./interpreter-costs.js";
import { MSG_BYTES, type Postbox } from "./postbox.js";
import { OpCode, type Proc, Result, WaitKind } from "./process.js";
import { describeActive, livelockMessage, LIVELOCK_PROBES } from "./reports.js";
import { type CoreIds, planBarrier, planBcast, planDispatch, planProbe, planRecv, planSend, planSendRecv, planTestOrWait } from "./runtime-calls.js";

/** What the host services tell the engine (host-services.ts). */
export interface HostHooks {
  /** host cycles (chip cycles) the host spends serving a request of this HostKind */
  serviceCycles(kind: number): number;
  /** cycles a host virtual core spends doing the same itself */
  localCycles(kind: number): number;
  /** a host request's sequence is done at t: hand its result to the byte code and resume it */
  done(p: Proc, t: number): void;
}

export class Messaging {
  messages = 0;
  messageBytes = 0;
  /** pid -> process index (-1 when the pid is not active) */
  private readonly procOfPid: Int32Array;
  /** the lowest active device core's process, the root of ePython's barrier (-1: none) */
  readonly barrierRoot: number;
  /** set by the host services */
  host: HostHooks | null = null;

  constructor(
    private readonly ctx: RuntimeContext,
    private readonly mesh: Mesh,
    private readonly postbox: Postbox,
    readonly cores: CoreIds,
    private readonly reduce: ReduceAlgorithm,
    private readonly barrier: Barrier,
  ) {
    let maxPid = 0;
    for (const p of ctx.procs) maxPid = Math.max(maxPid, p.pid);
    this.procOfPid = new Int32Array(maxPid + 2).fill(-1);
    for (const p of ctx.procs) {
      if (this.procOfPid[p.pid] !== -1) throw new Error(`process id ${p.pid} is taken twice`);
      this.procOfPid[p.pid] = p.idx;
    }
    let root = -1;
    for (let id = 0; id < cores.ids.length && root < 0; id++) root = cores.ids[id]!;
    this.barrierRoot = root;
  }

  /** Turn p's messaging or collective request into a sequence of operations and start it at t. */
  start(p: Proc, t: number): void {
    const vm = p.vm;
    const seq = p.seq;
    seq.reset(vm.reqTagA, vm.reqValA);
    const P = NATIVE_CHAIN_POSITION;
    switch (vm.req) {
      case Req.Send:
      case Req.NbSend:
      case Req.SendRecv: {
        const q = this.target(p, t, vm.reqValB, vm.req === Req.SendRecv ? "sendrecv with" : "send to");
        if (q < 0) return;
        if (vm.req === Req.SendRecv) {
          planDispatch(seq, P.sendrecv, 1);
          planSendRecv(seq, q, this.cores);
          seq.result = Result.Got;
        } else {
          planDispatch(seq, vm.req === Req.Send ? P.send : P.sendNonBlocking, 1);
          planSend(seq, q, vm.req === Req.Send, this.cores);
        }
        break;
      }
      case Req.Recv:
      case Req.Probe:
      case Req.TestSent:
      case Req.WaitSent: {
        const what = vm.req === Req.Recv ? "receive from" : vm.req === Req.Probe ? "probe" : "test a send to";
        const q = this.target(p, t, vm.reqValA, what);
        if (q < 0) return;
        if (vm.req === Req.Recv) {
          planDispatch(seq, P.recv, 1);
          planRecv(seq, q, this.cores);
        } else if (vm.req === Req.Probe) {
          planDispatch(seq, P.probe, 1);
          planProbe(seq, q, this.cores);
        } else {
          planDispatch(seq, vm.req === Req.WaitSent ? P.wait : P.test, 1);
          planTestOrWait(seq, q, vm.req === Req.WaitSent, this.cores);
        }
        seq.result = vm.req === Req.WaitSent ? Result.None : Result.Got;
        break;
      }
      case Req.Bcast: {
        const root = this.target(p, t, vm.reqValB, "broadcast from");
        if (root < 0) return;
        planDispatch(seq, P.bcast, 1);
        seq.result = planBcast(seq, p.idx, root, this.cores, this.ctx.procs.length) === "acc" ? Result.Acc : Result.Got;
        break;
      }
      case Req.Reduce:
        seq.reduceOp = vm.reqValB;
        planDispatch(seq, P.reduce, 1);
        planReduce(this.reduce, seq, p.idx, this.cores, this.ctx.procs.length);
        seq.result = Result.Acc;
        break;
      case Req.Sync:
        planDispatch(seq, P.sync, 0);
        if (this.barrier.algorithm === "wand") seq.add(OpCode.Barrier, 0);
        else planBarrier(seq, p.idx, this.barrierRoot, this.cores, true, p.isHost);
        break;
      default:
        return this.ctx.fail(p, t, "runtime", `internal error: unknown request ${vm.req}`, vm.pc);
    }
    const state = vm.req === Req.Reduce || vm.req === Req.Bcast ? CoreState.Collective : vm.req === Req.Sync ? CoreState.Barrier : vm.req === Req.Recv ? CoreState.BlockedRecv : CoreState.BlockedSend;
    this.ctx.sink.coreState(t, p.idx, state, vm.line());
    this.continue(p, t);
  }

  /** Check a pid named by a request; fails the run and returns -1 when it is not active. */
  private target(p: Proc, t: number, pid: number, what: string): number {
    const q = pid >= 0 && pid < this.procOfPid.length ? this.procOfPid[pid]! : -1;
    if (q < 0) this.ctx.fail(p, t, "runtime", `attempting to ${what} core ${pid}, which is not an active core (active: ${describeActive(this.ctx.procs)})`, p.vm.pc);
    return q;
  }

  /** Run p's operation sequence from where it stands at time t until it blocks or completes. */
  continue(p: Proc, t: number): void {
    const seq = p.seq;
    while (!seq.done) {
      if (this.ctx.failed()) return;
      const op = seq.ops[seq.pos]!;
      const q = seq.ops[seq.pos + 1]!;
      const next = (op <= OpCode.Local && op >= OpCode.DramRead) || op === OpCode.DramReads ? this.access(p, op, q, t) : this.step(p, op, q, t);
      if (next < 0) return; // p waits; whoever it waits for wakes it
      seq.pos += 2;
      if (next > t) {
        // time passes: let everything due before `next` happen first
        if (next > this.ctx.nextEventTime()) {
          this.ctx.continueAt(p, next);
          return;
        }
        t = next;
      }
    }
    this.finish(p, t);
  }

  /** A DRAM access or local work of the C runtime at t; returns when p goes on. */
  private access(p: Proc, op: number, arg: number, t: number): number {
    if (op === OpCode.Local) return t + (p.isHost ? arg / HOST_CORE_SPEED_FACTOR : arg) * this.postbox.localScale;
    if (p.isHost) return t; // a host thread's own memory
    if (op === OpCode.DramRead) return this.mesh.dramRead(p.core, 4, t);
    if (op === OpCode.DramReads) {
      const end = t + arg * this.mesh.dramReadLatency(p.core);
      return end + this.mesh.elinkTraffic(t, end, arg, 0);
    }
    p.seq.storeLanded = this.mesh.dramWrite(p.core, 1, t);
    return this.mesh.lastIssueDone;
  }

  /** One messaging, barrier or host operation at t; returns when p goes on, or -1 when it waits (its position unchanged or advanced). */
  private step(p: Proc, op: number, q: number, t: number): number {
    const seq = p.seq;
    switch (op) {
      case OpCode.NbSend:
        if (this.postbox.isPending(p.idx, q)) {
          // my previous message to q has not been acknowledged: wait for it first (ePython would overwrite it)
          this.waitFor(p, WaitKind.Slot, q, t);
          return -1;
        }
        return this.post(p, q, t);
      case OpCode.WaitAck: {
        if (this.postbox.isPending(p.idx, q)) {
          this.waitFor(p, WaitKind.Ack, q, t);
          seq.pos += 2;
          return -1;
        }
        return this.postbox.pollSeen(p.idx, q, t, this.postbox.ackTime(p.idx, q));
      }
      case OpCode.Recv: {
        // what the first copy of my slot saw (it ends now, its sequence byte copied last, R:754);
        // then the syncValues update (R:755) before the poll loop's test
        const afterUpdate = t + SYNC_VALUE_UPDATE_CYCLES * this.postbox.localScale;
        if (this.postbox.sample(q, p.idx, t)) {
          this.take(p, q);
          return afterUpdate;
        }
        this.waitFor(p, WaitKind.Recv, q, afterUpdate);
        seq.pos += 2;
        if (this.postbox.isFull(q, p.idx)) {
          // in flight: it lands while p spins
          const seen = this.postbox.recvSeen(p.idx, p.wait.start, this.postbox.visibleTime(q, p.idx));
          this.take(p, q);
          this.wake(p, seen);
        }
        return -1;
      }
      case OpCode.Ack: {
        const visible = this.postbox.ack(p.idx, q, t);
        const sender = this.ctx.procs[q]!;
        if (sender.wait.on === p.idx && (sender.wait.kind === WaitKind.Ack || sender.wait.kind === WaitKind.Slot)) {
          this.wake(sender, this.postbox.pollSeen(q, p.idx, sender.wait.start, visible));
        }
        return visible;
      }
      case OpCode.Probe:
        return this.probe(p, q, t);
      case OpCode.TestSent:
        seq.gotTag = Tag.Bool;
        seq.gotVal = this.postbox.testSent(p.idx, q, t) ? 1 : 0;
        return t + this.postbox.copyCycles(p.idx, q);
      case OpCode.FlagRoot:
        return this.barrier.flagRoot(p, this.ctx.procs[q]!, t);
      case OpCode.WaitFlag:
      case OpCode.WaitRelease: {
        const go = op === OpCode.WaitFlag ? this.barrier.waitFlag(q, t) : this.barrier.waitRelease(p, t);
        if (go >= 0) return go;
        this.waitFor(p, WaitKind.Barrier, q, t);
        seq.pos += 2;
        return -1;
      }
      case OpCode.Release:
        return this.barrier.release(p, this.ctx.procs[q]!, t);
      case OpCode.HostSync:
        seq.pos += 2;
        this.barrier.hostSync(p, t, seq.storeLanded);
        return -1;
      case OpCode.HostRelease:
        this.barrier.releaseHosts(t);
        return t;
      case OpCode.Barrier:
        seq.pos += 2;
        this.barrier.wand(p, t);
        return -1;
      case OpCode.HostCall:
        return this.hostCall(p, q, t);
      default:
        if (!applyLocal(seq, op)) throw new Error(`internal: unknown runtime operation ${op}`);
        return t;
    }
  }

  private waitFor(p: Proc, kind: WaitKind, on: number, since: number): void {
    p.wait.kind = kind;
    p.wait.on = on;
    p.wait.start = since;
  }

  /**
   * p probes its slot for q at t (the result goes to got). A core spinning on probe() of a core
   * that has finished, with nothing left in its postbox, would spin forever: the deadlock check
   * cannot see it, as the core runs; returns -1 when the run has failed as a livelock.
   */
  private probe(p: Proc, q: number, t: number): number {
    const seq = p.seq;
    const sampled = t; // the copy of my slot (R:715) ends now
    seq.gotTag = Tag.Bool;
    seq.gotVal = this.postbox.sample(q, p.idx, sampled) ? 1 : 0;
    const other = this.ctx.procs[q]!;
    if (seq.gotVal === 0 && other.finish >= 0 && !this.postbox.isFull(q, p.idx)) {
      if (++p.hopelessProbes >= LIVELOCK_PROBES) {
        this.ctx.fail(p, t, "deadlock", livelockMessage(p, other, this.ctx.image), p.vm.pc);
        return -1;
      }
    } else p.hopelessProbes = 0;
    return sampled;
  }

  /** A host request from p at t whose command stores are issued: the host's answer (Mesh.hostReply). */
  private hostCall(p: Proc, kind: number, t: number): number {
    const host = this.host!;
    const end = p.isHost ? t + host.localCycles(kind) : this.mesh.hostReply(p.core, Math.max(t, p.seq.storeLanded), t, host.serviceCycles(kind));
    this.ctx.sink.host(t, end, p.idx, kind);
    return end;
  }

  /** The sequence is complete at t: hand its result to the byte code and resume it. */
  private finish(p: Proc, t: number): void {
    const seq = p.seq;
    p.wait.kind = WaitKind.None;
    switch (seq.result) {
      case Result.Host:
        return this.host!.done(p, t);
      case Result.Start:
        return this.ctx.resume(p, t);
      case Result.Got:
        p.vm.push(seq.gotTag, seq.gotVal);
        break;
      case Result.Acc:
        p.vm.push(seq.accTag, seq.accVal);
        break;
      default:
        p.vm.push(Tag.None, 0);
    }
    this.ctx.resume(p, t);
  }

  /** Resume a waiting process: its current operation has completed at t. */
  wake(p: Proc, t: number): void {
    p.wait.kind = WaitKind.None;
    this.ctx.continueAt(p, t);
  }

  /** Write p's message (its `cur` value) into q's postbox at t; returns when p's stores are issued. */
  private post(p: Proc, q: number, t: number): number {
    const visible = this.postbox.post(p.idx, q, p.seq.curTag, p.seq.curVal, t);
    this.messages++;
    this.messageBytes += MSG_BYTES;
    this.ctx.sink.message(t, visible, p.idx, q, this.postbox.hops(p.idx, q), MSG_BYTES);
    // the receiver may already be spinning on this slot
    const qp = this.ctx.procs[q]!;
    if (qp.wait.kind === WaitKind.Recv && qp.wait.on === p.idx) {
      const seen = this.postbox.recvSeen(q, qp.wait.start, visible);
      this.take(qp, p.idx);
      this.wake(qp, seen);
    }
    return this.postbox.issuedBy(t);
  }

  /** p takes q's message into its got register. */
  private take(p: Proc, q: number): void {
    p.hopelessProbes = 0;
    this.postbox.take(p.idx, q);
    p.seq.gotTag = this.postbox.gotTag;
    p.seq.gotVal = this.postbox.gotVal;
  }
}
