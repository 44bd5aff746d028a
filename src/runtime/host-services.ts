/**
 * The host's services to the cores: print, input, string concatenation, maths and rand(). A
 * device core asks through its command block in shared DRAM and waits for the host's monitor to
 * notice, serve and reply (Mesh.hostRoundTrip prices the whole round trip); a host virtual core
 * does the work itself, a function call on the ARM.
 */
import { type ChipSpec, fromReferenceCycles } from "../machine/chip.js";
import { HOST_CONCAT_SERVICE_CYCLES, HOST_INPUT_SERVICE_CYCLES, HOST_MATH_SERVICE_CYCLES, HOST_SERVICE_CYCLES } from "../machine/costs.js";
import type { Mesh } from "../machine/mesh.js";
import { CoreState, HostKind } from "../trace/sink.js";
import { Tag } from "../vm/values.js";
import { HOST_CONCAT, Req } from "../vm/vm.js";
import type { RuntimeContext } from "./context.js";
import type { Proc } from "./process.js";
import type { HostIo } from "./run-result.js";
import { HOST_LOCAL_SERVICE_FRACTION } from "./runtime-costs.js";

export class HostServices {
  // service times are fixed in seconds (the ARM), so in cycles of the simulated chip's clock
  private readonly printCycles: number;
  private readonly inputCycles: number;
  private readonly concatCycles: number;
  private readonly mathsCycles: number;

  constructor(
    private readonly ctx: RuntimeContext,
    spec: ChipSpec,
    private readonly mesh: Mesh,
    private readonly io: HostIo,
  ) {
    this.printCycles = fromReferenceCycles(spec, HOST_SERVICE_CYCLES);
    this.inputCycles = fromReferenceCycles(spec, HOST_INPUT_SERVICE_CYCLES);
    this.concatCycles = fromReferenceCycles(spec, HOST_CONCAT_SERVICE_CYCLES);
    this.mathsCycles = fromReferenceCycles(spec, HOST_MATH_SERVICE_CYCLES);
  }

  /** Serve p's request at t if it is a host service; false when it is not one. */
  serve(p: Proc, t: number): boolean {
    const vm = p.vm;
    switch (vm.req) {
      case Req.Print: {
        const end = this.service(p, t, this.printCycles, HostKind.Print);
        const text = vm.reqText ?? "";
        this.io.output(`[${p.label}] ${text}`);
        this.ctx.sink.output(end, p.idx, text);
        this.ctx.resume(p, end);
        return true;
      }
      case Req.Host: {
        const concat = vm.reqValA === HOST_CONCAT;
        const end = this.service(p, t, concat ? this.concatCycles : this.mathsCycles, concat ? HostKind.Concat : HostKind.Maths);
        this.ctx.resume(p, end);
        return true;
      }
      case Req.Rand: {
        const end = this.service(p, t, this.mathsCycles, HostKind.Rand);
        vm.push(Tag.Int, p.rng.nextInt31());
        this.ctx.resume(p, end);
        return true;
      }
      case Req.Input: {
        const end = this.service(p, t, this.inputCycles, HostKind.Input);
        const line = this.io.input(vm.reqText, p.label);
        if (!vm.pushInput(line ?? "")) this.ctx.fail(p, end, "runtime", vm.error, vm.pc);
        else this.ctx.resume(p, end);
        return true;
      }
      default:
        return false;
    }
  }

  /** When a service of `cycles` host cycles asked for at t is done; records it in the trace. */
  private service(p: Proc, t: number, cycles: number, kind: number): number {
    const end = p.isHost ? t + cycles * HOST_LOCAL_SERVICE_FRACTION : this.mesh.hostRoundTrip(p.core, t, cycles);
    this.ctx.sink.coreState(t, p.idx, CoreState.Host, p.vm.line());
    this.ctx.sink.host(t, end, p.idx, kind);
    return end;
  }
}
