/**
 * The messaging client: turns a messaging or collective request of the byte code into an
 * operation sequence (src/runtime/process.ts OpCode) and runs it on the postboxes, blocking the
 * process while it waits for a message, an acknowledgement, a free slot or the barrier, and
 * waking it when the event it waits for happens. The timing of each step comes from the postbox
 * model (src/runtime/postbox.ts) and the C runtime's cost per call (runtime-costs.ts).
 */
import type { ReduceAlgorithm } from "../config/names.js";
import { POSTBOX_POLL_CYCLES } from "../machine/costs.js";
import { CoreState } from "../trace/sink.js";
import { Tag } from "../vm/values.js";
import { Req } from "../vm/vm.js";
import type { Barrier } from "./barrier.js";
import { applyLocal, planBcast, planReduce } from "./collectives.js";
import type { RuntimeContext } from "./context.js";
import { MSG_BYTES, Postbox } from "./postbox.js";
import { OpCode, type Proc, Result, WaitKind } from "./process.js";
import { describeActive, livelockMessage, LIVELOCK_PROBES } from "./reports.js";
import { RUNTIME_MESSAGE_CALL_CYCLES } from "./runtime-costs.js";

export class Messaging {
  messages = 0;
  messageBytes = 0;
  /** core cycles of the C runtime around each message call: the same on every chip */
  private readonly callCycles = RUNTIME_MESSAGE_CALL_CYCLES;
  /** pid -> process index (-1 when the pid is not active) */
  private readonly procOfPid: Int32Array;

  constructor(
    private readonly ctx: RuntimeContext,
    private readonly postbox: Postbox,
    /** the processes that take part in bcast and reduce, in id order */
    private readonly members: readonly number[],
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
  }

  /** Turn p's messaging or collective request into a sequence of operations and start it at t. */
  start(p: Proc, t: number): void {
    const vm = p.vm;
    const seq = p.seq;
    seq.reset(vm.reqTagA, vm.reqValA);
    switch (vm.req) {
      case Req.Send:
      case Req.NbSend:
      case Req.SendRecv: {
        const q = this.target(p, t, vm.reqValB, vm.req === Req.SendRecv ? "sendrecv with" : "send to");
        if (q < 0) return;
        if (vm.req === Req.Send) seq.add(OpCode.Send, q);
        else if (vm.req === Req.NbSend) seq.add(OpCode.NbSend, q);
        else {
          // write to q, receive from q, then wait for q's acknowledgement (device-functions.c:798-818)
          seq.add(OpCode.NbSend, q);
          seq.add(OpCode.Recv, q);
          seq.add(OpCode.WaitAck, q);
          seq.result = Result.Got;
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
        const op = vm.req === Req.Recv ? OpCode.Recv : vm.req === Req.Probe ? OpCode.Probe : vm.req === Req.TestSent ? OpCode.TestSent : OpCode.WaitAck;
        seq.add(op, q);
        seq.result = vm.req === Req.WaitSent ? Result.None : Result.Got;
        break;
      }
      case Req.Bcast: {
        const root = this.target(p, t, vm.reqValB, "broadcast from");
        if (root < 0) return;
        seq.result = planBcast(seq, p.idx, root, this.members) === "acc" ? Result.Acc : Result.Got;
        break;
      }
      case Req.Reduce:
        seq.reduceOp = vm.reqValB;
        planReduce(this.reduce, seq, p.idx, this.members);
        seq.result = Result.Acc;
        break;
      case Req.Sync:
        seq.add(OpCode.Barrier, 0);
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
      let next = t; // time the operation completes
      switch (op) {
        case OpCode.Send:
        case OpCode.NbSend:
        case OpCode.WaitAck: {
          if (op !== OpCode.WaitAck) {
            if (this.postbox.isFull(p.idx, q)) {
              // my previous message to q has not been consumed: wait for it first
              this.waitFor(p, WaitKind.Slot, q, t);
              return;
            }
            next = this.post(p, q, t + this.callCycles);
            if (op === OpCode.NbSend) break;
          }
          const ack = this.postbox.ackTime(p.idx, q);
          if (this.postbox.isFull(p.idx, q) || ack < 0) {
            if (!this.postbox.isFull(p.idx, q)) break; // nothing outstanding
            this.waitFor(p, WaitKind.Ack, q, next);
            seq.pos += 2;
            return;
          }
          next = this.postbox.pollSeen(p.idx, q, next, ack);
          break;
        }
        case OpCode.Recv: {
          const spinFrom = t + this.callCycles;
          if (!this.postbox.isFull(q, p.idx)) {
            this.waitFor(p, WaitKind.Recv, q, spinFrom);
            seq.pos += 2;
            return;
          }
          next = this.consume(p, q, spinFrom);
          break;
        }
        case OpCode.Probe:
          if (!this.probe(p, q, t)) return;
          next = t + POSTBOX_POLL_CYCLES;
          break;
        case OpCode.TestSent:
          seq.gotTag = Tag.Bool;
          seq.gotVal = this.postbox.testSent(p.idx, q, t) ? 1 : 0;
          next = t + this.postbox.readRoundTrip(p.idx, q);
          break;
        case OpCode.Barrier:
          seq.pos += 2;
          this.waitFor(p, WaitKind.Barrier, -1, t);
          this.barrier.enter(p, t);
          return;
        default:
          if (!applyLocal(seq, op)) throw new Error(`internal: unknown runtime operation ${op}`);
      }
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

  private waitFor(p: Proc, kind: WaitKind, on: number, since: number): void {
    p.wait.kind = kind;
    if (on >= 0) p.wait.on = on;
    p.wait.start = since;
  }

  /**
   * p probes q's postbox at t (the result goes to got). A core spinning on probe() of a core
   * that has finished, with nothing left in its postbox, would spin forever: the deadlock check
   * cannot see it, as the core runs; returns false when the run has failed as a livelock.
   */
  private probe(p: Proc, q: number, t: number): boolean {
    const seq = p.seq;
    seq.gotTag = Tag.Bool;
    seq.gotVal = this.postbox.probe(q, p.idx, t) ? 1 : 0;
    const other = this.ctx.procs[q]!;
    if (seq.gotVal === 0 && other.finish >= 0 && !this.postbox.isFull(q, p.idx)) {
      if (++p.hopelessProbes >= LIVELOCK_PROBES) {
        this.ctx.fail(p, t, "deadlock", livelockMessage(p, other, this.ctx.image), p.vm.pc);
        return false;
      }
    } else p.hopelessProbes = 0;
    return true;
  }

  /** The sequence is complete at t: hand its result to the byte code and resume it. */
  private finish(p: Proc, t: number): void {
    const seq = p.seq;
    p.wait.kind = WaitKind.None;
    if (seq.result === Result.Got) p.vm.push(seq.gotTag, seq.gotVal);
    else if (seq.result === Result.Acc) p.vm.push(seq.accTag, seq.accVal);
    else p.vm.push(Tag.None, 0);
    this.ctx.resume(p, t);
  }

  /** Resume a waiting process: its current operation has completed at t. */
  private wake(p: Proc, t: number): void {
    p.wait.kind = WaitKind.None;
    this.ctx.continueAt(p, t);
  }

  /** The barrier released p at t. */
  releaseFromBarrier(p: Proc, t: number): void {
    p.wait.kind = WaitKind.None;
    if (!p.seq.done) this.wake(p, t);
    else {
      // the barrier was the last operation: hand `none` back to the byte code
      p.vm.push(Tag.None, 0);
      this.ctx.resume(p, t);
    }
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
      const c = this.consume(qp, p.idx, qp.wait.start);
      this.wake(qp, c);
    }
    return Postbox.issuedBy(t);
  }

  /**
   * p (spinning on its slot for q since `since`) consumes q's message; returns when p continues.
   * Wakes q if it waits for the acknowledgement or for the slot.
   */
  private consume(p: Proc, q: number, since: number): number {
    p.hopelessProbes = 0;
    const ack = this.postbox.consume(p.idx, q, since);
    p.seq.gotTag = this.postbox.gotTag;
    p.seq.gotVal = this.postbox.gotVal;
    const sender = this.ctx.procs[q]!;
    if (sender.wait.on === p.idx && (sender.wait.kind === WaitKind.Ack || sender.wait.kind === WaitKind.Slot)) {
      const seenAt = this.postbox.pollSeen(q, p.idx, sender.wait.start, ack);
      this.wake(sender, seenAt);
    }
    return ack;
  }
}
