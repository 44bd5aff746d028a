/**
 * The host's services to the cores: print, input, string concatenation, maths and rand(). A
 * device core asks through its command block in shared DRAM with ePython's protocol, store by
 * store and read by read (runtime-calls.ts planPrint etc.), and waits for the host's monitor to
 * notice, serve and reply (Mesh.hostReply); a host virtual core does the work itself, a function
 * call on the ARM. The operation engine (operations.ts) runs the request and hands it back here.
 */
import { type ChipSpec, fromReferenceCycles } from "../machine/chip.js";
import { HOST_CONCAT_SERVICE_CYCLES, HOST_INPUT_SERVICE_CYCLES, HOST_MATH_SERVICE_CYCLES, HOST_SERVICE_CYCLES } from "../machine/costs.js";
import { CoreState, HOST_KIND_NAMES, HostKind } from "../trace/sink.js";
import { Tag } from "../vm/values.js";
import { HOST_CONCAT, Req } from "../vm/vm.js";
import type { RuntimeContext } from "./context.js";
import type { HostHooks, Messaging } from "./operations.js";
import { type Proc, Result } from "./process.js";
import type { HostIo } from "./run-result.js";
import { planConcat, planInput, planMaths, planPrint } from "./runtime-calls.js";
import { HOST_LOCAL_SERVICE_FRACTION } from "./runtime-costs.js";

export class HostServices implements HostHooks {
  /** host service cycles by HostKind: fixed in seconds (the ARM), so in cycles of the chip's clock */
  private readonly cycles: Float64Array;
  /** scale of the host's service times (1; other values for sensitivity studies) */
  serviceScale = 1;

  constructor(
    private readonly ctx: RuntimeContext,
    spec: ChipSpec,
    private readonly engine: Messaging,
    private readonly io: HostIo,
  ) {
    this.cycles = new Float64Array(HOST_KIND_NAMES.length);
    this.cycles[HostKind.Print] = fromReferenceCycles(spec, HOST_SERVICE_CYCLES);
    this.cycles[HostKind.Input] = fromReferenceCycles(spec, HOST_INPUT_SERVICE_CYCLES);
    this.cycles[HostKind.Concat] = fromReferenceCycles(spec, HOST_CONCAT_SERVICE_CYCLES);
    this.cycles[HostKind.Maths] = fromReferenceCycles(spec, HOST_MATH_SERVICE_CYCLES);
    this.cycles[HostKind.Rand] = this.cycles[HostKind.Maths]!;
    engine.host = this;
  }

  serviceCycles(kind: number): number {
    return this.cycles[kind]! * this.serviceScale;
  }

  localCycles(kind: number): number {
    return this.serviceCycles(kind) * HOST_LOCAL_SERVICE_FRACTION;
  }

  /** Start p's request at t if it is a host service; false when it is not one. */
  serve(p: Proc, t: number): boolean {
    const vm = p.vm;
    const seq = p.seq;
    switch (vm.req) {
      case Req.Print:
        seq.reset(0, 0);
        planPrint(seq, vm.reqTagA === Tag.Str ? (vm.reqText ?? "").length + 1 : -1);
        break;
      case Req.Host:
        seq.reset(0, 0);
        if (vm.reqValA === HOST_CONCAT) planConcat(seq, vm.reqTagB, vm.reqValB);
        else planMaths(seq, false);
        break;
      case Req.Rand:
        seq.reset(0, 0);
        planMaths(seq, true);
        break;
      case Req.Input:
        seq.reset(0, 0);
        planInput(seq, vm.reqText === null ? -1 : vm.reqText.length + 1);
        break;
      default:
        return false;
    }
    seq.result = Result.Host;
    this.ctx.sink.coreState(t, p.idx, CoreState.Host, vm.line());
    this.engine.continue(p, t);
    return true;
  }

  /** p's request is done at t: its effect, its result to the byte code, and on. */
  done(p: Proc, t: number): void {
    const vm = p.vm;
    switch (vm.req) {
      case Req.Print: {
        const text = vm.reqText ?? "";
        this.io.output(`[${p.label}] ${text}`);
        this.ctx.sink.output(t, p.idx, text);
        break;
      }
      case Req.Rand:
        vm.push(Tag.Int, p.rng.nextInt31());
        break;
      case Req.Input: {
        const line = this.io.input(vm.reqText, p.label);
        this.ctx.sink.input(t, p.idx, line === null ? 1 : 0, line ?? "");
        if (!vm.pushInput(line ?? "")) return this.ctx.fail(p, t, "runtime", vm.error, vm.pc);
        break;
      }
      default:
        break;
    }
    this.ctx.resume(p, t);
  }
}
