/**
 * Remote variables of the `concurrency` module: a core reads and writes another core's variable
 * (or its array's elements) over the mesh, as ePython does with plain loads and stores through a
 * global address (research §4.2; interpreter.c:998-1047, device cpy at epiphany-runtime.c:924-930
 * copies byte by byte).
 *
 * Timing: a read is `WORD_BYTES` one-byte remote reads one after the other (each a round trip:
 * request on the rMesh, reply on the cMesh, Mesh.read); a write is `WORD_BYTES` posted one-byte
 * stores on the cMesh (Mesh.write), after which the writer goes on. An array element access
 * first reads the array's header word remotely (ePython checks the bounds in the remote header:
 * GUESS one word, range 1-3 words for the dimensions). All of it is booked on the mesh, so it
 * shows in the trace's link load.
 *
 * Memory model: the access reads or writes the owner's VM storage at the simulated time the
 * request is served (the writer's stores are applied at once, not when they land). The owner runs
 * on its own clock between its own requests, so it may already have executed past that time, or
 * not reached it: as on the chip, programs must synchronise (e.g. sync()) around remote accesses.
 * Nothing is atomic (x += k on a remote x is a read, then a write).
 */
import { LOCAL_WORD_ACCESS_CYCLES } from "../machine/costs.js";
import type { Mesh } from "../machine/mesh.js";
import { CoreState } from "../trace/sink.js";
import { RemoteKind, Req, Served, serveRemote } from "../vm/vm.js";
import type { RuntimeContext } from "./context.js";
import { STORE_ISSUE_CYCLES } from "./postbox.js";
import type { Proc } from "./process.js";

/** an ePython value's data: 4 bytes, copied one byte at a time (epiphany-runtime.c:924-930) */
const WORD_BYTES = 4;

export class RemoteMemory {
  private readonly served = new Served();
  /** remote accesses served (reads, writes) */
  reads = 0;
  writes = 0;

  constructor(
    private readonly ctx: RuntimeContext,
    private readonly mesh: Mesh,
  ) {}

  /** Serve p's request at t if it is a remote access; false when it is not one. */
  serve(p: Proc, t: number): boolean {
    const vm = p.vm;
    if (vm.req !== Req.Remote) return false;
    const r = vm.remote;
    const owner = this.ctx.procs.find((q) => q.pid === r.owner && !q.isHost);
    if (!owner || p.isHost) {
      this.ctx.fail(p, t, "runtime", owner ? "remote variables are only simulated between device cores" : `there is no device core ${r.owner} to access a variable of`, vm.pc);
      return true;
    }
    const out = this.served;
    serveRemote(owner.vm, owner.pid, r, out);
    if (out.error !== "") {
      this.ctx.fail(p, t, "runtime", out.error, vm.pc);
      return true;
    }
    const from = p.core;
    const to = owner.core;
    let end = t;
    // an element access reads the array's header first
    if (out.element) end = this.readWord(from, to, end);
    const isRead = r.kind === RemoteKind.Load || r.kind === RemoteKind.Element || r.kind === RemoteKind.Length || r.kind === RemoteKind.Inc;
    const isWrite = r.kind === RemoteKind.Store || r.kind === RemoteKind.StoreElement || r.kind === RemoteKind.Inc;
    if (isRead && r.kind !== RemoteKind.Length) end = this.readWord(from, to, end);
    if (isWrite) end = this.writeWord(from, to, end);
    if (isRead) this.reads++;
    if (isWrite) this.writes++;
    if (r.kind === RemoteKind.Load || r.kind === RemoteKind.Element || r.kind === RemoteKind.Length) vm.push(out.tag, out.val);
    if (from === to) end = t + LOCAL_WORD_ACCESS_CYCLES;
    this.ctx.sink.coreState(t, p.idx, CoreState.Running, vm.line());
    this.ctx.resume(p, end);
    return true;
  }

  /** A word read byte by byte: one round trip each; returns when the last byte is back. */
  private readWord(from: number, to: number, t: number): number {
    let end = t;
    for (let i = 0; i < WORD_BYTES; i++) end = this.mesh.read(from, to, 1, end);
    return end;
  }

  /** A word written byte by byte as posted stores; returns when the writer has issued them. */
  private writeWord(from: number, to: number, t: number): number {
    for (let i = 0; i < WORD_BYTES; i++) this.mesh.write(from, to, 1, t + i * STORE_ISSUE_CYCLES);
    return t + WORD_BYTES * STORE_ISSUE_CYCLES;
  }
}
