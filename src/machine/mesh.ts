/**
 * The eMesh: three 2-D meshes (cMesh on-chip writes, rMesh read requests, xMesh off-chip
 * traffic), static X/Y dimension-order routing (X first, then Y), per-link occupancy, the
 * eLink to shared DRAM and the ARM host that serves print/input/maths requests.
 *
 * Model (all times float64 chip cycles):
 * - A packet carries at most 8 bytes. It passes, in order: the source core's injection port
 *   (one packet per cycle), MESH_INJECT_CYCLES of latency, one directed link per hop
 *   (hopCycles each), the destination's ejection port (one packet per cycle), and
 *   MESH_EJECT_CYCLES to land in SRAM. Each port/link is a FCFS server with a "busy until"
 *   time: a packet starts on it at max(arrival, busyUntil) and holds it for the packet time.
 * - Calls must come (roughly) in simulated-time order, as a conservative discrete-event
 *   kernel issues them; a call reserves its whole transfer at once, so a long transfer
 *   reserves links ahead and later calls queue behind it (FCFS rather than the chip's
 *   round-robin; buffers are unbounded, there is no back-pressure to the sender).
 * - In-order delivery between the same endpoints on the same mesh holds by construction:
 *   such packets take the same ports and links, every one FCFS in call order, so a later
 *   call's packet starts every stage at least one packet time after the earlier one; its
 *   arrival is strictly later. No per-pair state is needed.
 * - Off-chip traffic goes east along the core's row on the xMesh to the east edge, then
 *   through the eLink (GUESS: the Parallella's shared DRAM at 0x8E000000 lies east of the
 *   E16's columns 8-11, so X-first routing sends it out of the east edge). The eLink has
 *   an outbound (write / read request) and an inbound (read reply) server shared by all cores.
 *
 * Hot paths allocate nothing: routes are walked arithmetically over typed arrays.
 */
import { type ChipSpec, fromReferenceCycles } from "./chip.js";
import {
  CMESH_PACKET_CYCLES,
  CORE_OFFCHIP_STORE_INTERVAL,
  DMA_PACKET_INTERVAL_CYCLES,
  DMA_SETUP_CYCLES,
  DRAM_READ_LATENCY,
  DRAM_READ_SAMPLE_OFFSET,
  DRAM_WRITE_LATENCY,
  ELINK_RX_PACKET_CYCLES,
  ELINK_TX_PACKET_CYCLES,
  HOST_COMMAND_BYTES,
  HOST_POLL_PERIOD_CYCLES,
  HOST_REPLY_WRITE_CYCLES,
  MESH_EJECT_CYCLES,
  MESH_INJECT_CYCLES,
  MESH_PACKET_BYTES,
  REMOTE_READ_SERVICE_CYCLES,
  RMESH_PACKET_CYCLES,
  XMESH_PACKET_CYCLES,
} from "./costs.js";
import { LoadWindows } from "./link-load.js";
import { describeLoadIndex, EAST, EDGE_IN, EJ, INJ, type LinkLoad, MESH_C, MESH_R, MESH_X, NORTH, PORTS, route, SOUTH, WEST } from "./mesh-ports.js";

export { LOAD_WINDOWS, WINDOW_CYCLES_MIN } from "./link-load.js";
export { MESH_C, MESH_R, MESH_X, OFF_CHIP, type LinkLoad } from "./mesh-ports.js";

export class Mesh {
  readonly spec: ChipSpec;
  /**
   * Set by every transfer: the time the issuing core may go on with its next instruction
   * (posted writes: just after its last store entered the network; blocking operations: the
   * completion time). Lets a caller charge a posted write without waiting for its arrival.
   */
  lastIssueDone = 0;
  /** Set by `packet()`: when the packet got through the source's injection port. */
  injectedAt = 0;

  private readonly cores: number;
  private readonly cols: number;
  private readonly hop: number;
  private readonly busy: Float64Array;
  private readonly storeBusy: Float64Array;
  private txBusy = 0;
  private rxBusy = 0;
  /** load indices of the eLink's outbound and inbound servers (after the mesh ports) */
  private readonly elinkTx: number;
  private readonly elinkRx: number;
  /** busy cycles per load index per time window: where the traffic of a run went when */
  private readonly loads: LoadWindows;
  private readonly routeScratch: Int32Array;
  /** byteStores(): each packet's arrival at the next port */
  private storeArr = new Float64Array(8);
  /** byteStores(): when each packet took the current port */
  private storeHeld = new Float64Array(8);
  private hostBusy = 0;
  // off-chip and host constants converted to this chip's cycles
  private readonly txOcc: number;
  private readonly rxOcc: number;
  private readonly readLat: number;
  private readonly writeLat: number;
  private readonly readSample: number;
  private readonly storeInterval: number;
  private readonly hostPoll: number;
  private readonly replyWrite: number;

  /**
   * `scales` multiplies uncertain constants for sensitivity studies (src/runtime/cost-registry.ts):
   * `dram` the off-chip latency of DRAM reads and writes, `host` the host monitor's sweep period.
   */
  constructor(spec: ChipSpec, scales: { readonly dram?: number; readonly host?: number } = {}) {
    this.spec = spec;
    this.cores = spec.rows * spec.cols;
    this.cols = spec.cols;
    this.hop = spec.hopCycles;
    this.busy = new Float64Array(3 * this.cores * PORTS);
    this.elinkTx = 3 * this.cores * PORTS;
    this.elinkRx = this.elinkTx + 1;
    // the mesh's packets hold a port for whole cycles, so their load sums are exact in any order
    // (link-load.ts); the eLink's do not
    if (![CMESH_PACKET_CYCLES, RMESH_PACKET_CYCLES, XMESH_PACKET_CYCLES].every(Number.isInteger)) throw new Error("Mesh: packet cycles must be whole");
    this.loads = new LoadWindows(this.elinkRx + 1, this.elinkTx);
    this.routeScratch = new Int32Array(spec.rows + spec.cols + 2);
    this.storeBusy = new Float64Array(this.cores);
    this.txOcc = fromReferenceCycles(spec, ELINK_TX_PACKET_CYCLES);
    this.rxOcc = fromReferenceCycles(spec, ELINK_RX_PACKET_CYCLES);
    const dram = scales.dram ?? 1;
    this.readLat = fromReferenceCycles(spec, DRAM_READ_LATENCY) * dram;
    this.writeLat = fromReferenceCycles(spec, DRAM_WRITE_LATENCY) * dram;
    this.readSample = fromReferenceCycles(spec, DRAM_READ_SAMPLE_OFFSET) * dram;
    this.storeInterval = fromReferenceCycles(spec, CORE_OFFCHIP_STORE_INTERVAL);
    this.hostPoll = fromReferenceCycles(spec, HOST_POLL_PERIOD_CYCLES) * (scales.host ?? 1);
    this.replyWrite = fromReferenceCycles(spec, HOST_REPLY_WRITE_CYCLES);
  }

  /** The time the host finishes the last request it has accepted. */
  get hostBusyUntil(): number {
    return this.hostBusy;
  }

  /** Forget all occupancy, loads and host state. */
  reset(): void {
    this.busy.fill(0);
    this.storeBusy.fill(0);
    this.loads.reset();
    this.txBusy = this.rxBusy = this.hostBusy = 0;
    this.lastIssueDone = 0;
    this.injectedAt = 0;
  }

  /**
   * Send one packet (<= 8 bytes) from core `src` to core `dst` on mesh `m` (MESH_C/R/X),
   * issued at `t`. Returns when it lands in dst's SRAM; sets `injectedAt`.
   */
  packet(m: number, src: number, dst: number, t: number): number {
    const cores = this.cores;
    if (!(src >= 0 && src < cores && dst >= 0 && dst < cores)) {
      throw new RangeError(`Mesh: core out of range (${src} -> ${dst}, ${cores} cores)`);
    }
    const occ = m === MESH_C ? CMESH_PACKET_CYCLES : m === MESH_R ? RMESH_PACKET_CYCLES : XMESH_PACKET_CYCLES;
    const busy = this.busy;
    const loads = this.loads;
    const win = loads.windows;
    const hop = this.hop;
    const cols = this.cols;
    const base = m * cores * PORTS;
    // the injection port, then each link (one hop each; X first, then Y: route()), then the
    // ejection port; held at ever later times, so their load windows are booked as a chain (baseOf)
    let l = base + src * PORTS + INJ;
    let s = busy[l]! > t ? busy[l]! : t;
    busy[l] = s + occ;
    let wb = loads.baseOf(s);
    let hi = loads.hi;
    win[wb + l] += occ;
    this.injectedAt = s + occ;
    let arr = s + MESH_INJECT_CYCLES;
    let node = src;
    const c1 = dst % cols;
    const dx = c1 > src % cols ? 1 : -1;
    const xPort = dx > 0 ? EAST : WEST;
    for (let c = src % cols; c !== c1; c += dx) {
      l = base + node * PORTS + xPort;
      s = busy[l]! > arr ? busy[l]! : arr;
      busy[l] = s + occ;
      if (s >= hi) {
        wb = loads.baseOf(s);
        hi = loads.hi;
      }
      win[wb + l] += occ;
      arr = s + hop;
      node += dx;
    }
    const r1 = (dst / cols) | 0;
    const dy = r1 > ((src / cols) | 0) ? 1 : -1;
    const yPort = dy > 0 ? SOUTH : NORTH;
    for (let r = (src / cols) | 0; r !== r1; r += dy) {
      l = base + node * PORTS + yPort;
      s = busy[l]! > arr ? busy[l]! : arr;
      busy[l] = s + occ;
      if (s >= hi) {
        wb = loads.baseOf(s);
        hi = loads.hi;
      }
      win[wb + l] += occ;
      arr = s + hop;
      node += dy * cols;
    }
    // the ejection port: the packet lands MESH_EJECT_CYCLES after it takes it
    l = base + dst * PORTS + EJ;
    s = busy[l]! > arr ? busy[l]! : arr;
    busy[l] = s + occ;
    win[(s >= hi ? loads.baseOf(s) : wb) + l] += occ;
    return s + MESH_EJECT_CYCLES;
  }

  /**
   * Posted remote write of `bytes` from src into dst's SRAM at `t`, as back-to-back packets of
   * up to 8 bytes on the cMesh. Returns when the last byte lands; sets `lastIssueDone`.
   * Zero bytes: nothing is sent, returns t.
   */
  write(src: number, dst: number, bytes: number, t: number): number {
    let n = Math.ceil(bytes / MESH_PACKET_BYTES);
    let arr = t;
    this.lastIssueDone = t;
    while (n-- > 0) arr = this.packet(MESH_C, src, dst, t);
    if (bytes > 0) this.lastIssueDone = this.injectedAt;
    return arr;
  }

  /**
   * `count` (>= 1) one-byte posted stores from src into dst's SRAM, the i-th issued at
   * t + i * step * scale (cpy()'s byte loop), each its own cMesh packet: the same as write(src,
   * dst, 1, ...) for each in turn, computed port by port along their common route (a packet only
   * waits for the ones before it on each port, so the order of the work does not matter). Returns
   * when the last byte lands; sets `lastIssueDone` and `injectedAt` as the last write() would.
   */
  byteStores(src: number, dst: number, count: number, t: number, step: number, scale: number): number {
    const cores = this.cores;
    if (!(src >= 0 && src < cores && dst >= 0 && dst < cores && count >= 1)) {
      throw new RangeError(`Mesh: byte stores out of range (${src} -> ${dst}, ${count} bytes, ${cores} cores)`);
    }
    if (this.storeArr.length < count) {
      this.storeArr = new Float64Array(count);
      this.storeHeld = new Float64Array(count);
    }
    const arr = this.storeArr;
    const busy = this.busy;
    const loads = this.loads;
    const occ = CMESH_PACKET_CYCLES;
    const hop = this.hop;
    let l = MESH_C * cores * PORTS + src * PORTS + INJ;
    for (let i = 0; i < count; i++) {
      const issue = t + i * step * scale;
      const s = busy[l]! > issue ? busy[l]! : issue;
      busy[l] = s + occ;
      loads.book(l, s, occ);
      this.injectedAt = s + occ;
      arr[i] = s + MESH_INJECT_CYCLES;
    }
    // then the links (X first, then Y) and the ejection port, the last of the route
    const route = this.routeScratch;
    const n = this.route(MESH_C, src, dst, route);
    const held = this.storeHeld;
    const win = loads.windows;
    for (let j = 1; j < n; j++) {
      l = route[j]!;
      let b = busy[l]!;
      for (let i = 0; i < count; i++) {
        const a = arr[i]!;
        const s = b > a ? b : a;
        b = s + occ;
        arr[i] = s + hop;
        held[i] = s;
      }
      busy[l] = b;
      // the port is held at ever later times: one window for all, unless the last is past its end
      const wb = loads.baseOf(held[0]!);
      if (held[count - 1]! < loads.hi) win[wb + l] += count * occ;
      else for (let i = 0; i < count; i++) loads.book(l, held[i]!, occ);
    }
    const last = held[count - 1]!;
    this.lastIssueDone = this.injectedAt;
    // the last byte lands MESH_EJECT_CYCLES after it takes the ejection port
    return last + MESH_EJECT_CYCLES;
  }

  /**
   * Blocking remote read of `bytes` of dst's SRAM by src at `t`: one round trip per 8-byte
   * load, one after the other (request on the rMesh, reply on the cMesh, which may take a
   * different X/Y path back). Returns when the data is in src's registers.
   */
  read(src: number, dst: number, bytes: number, t: number): number {
    let n = Math.ceil(bytes / MESH_PACKET_BYTES);
    while (n-- > 0) {
      const atDst = this.packet(MESH_R, src, dst, t);
      t = this.packet(MESH_C, dst, src, atDst + REMOTE_READ_SERVICE_CYCLES);
    }
    this.lastIssueDone = t;
    return t;
  }

  /**
   * DMA copy of `bytes` from src's SRAM into dst's SRAM started by src at `t`: set-up, then one
   * 8-byte packet per DMA_PACKET_INTERVAL_CYCLES on the cMesh. Returns when the last byte lands.
   */
  dma(src: number, dst: number, bytes: number, t: number): number {
    const n = Math.ceil(bytes / MESH_PACKET_BYTES);
    let arr = t + DMA_SETUP_CYCLES;
    for (let i = 0; i < n; i++) arr = this.packet(MESH_C, src, dst, this.dmaIssueTime(t, i));
    this.lastIssueDone = arr;
    return arr;
  }

  /**
   * When a DMA channel started at `t` issues its packet number `i` (0-based): after the set-up,
   * one 8-byte packet per DMA_PACKET_INTERVAL_CYCLES. For callers that interleave several
   * DMA streams packet by packet in time order through `packet()`.
   */
  dmaIssueTime(t: number, i: number): number {
    return t + DMA_SETUP_CYCLES + i * DMA_PACKET_INTERVAL_CYCLES;
  }

  /**
   * Blocking read of `bytes` of shared DRAM by `core` at `t`, one 8-byte load after another:
   * xMesh to the east edge, eLink out, off-chip latency, eLink back, xMesh to the core.
   * Returns when the data is in the core's registers.
   */
  dramRead(core: number, bytes: number, t: number): number {
    let n = Math.ceil(bytes / MESH_PACKET_BYTES);
    while (n-- > 0) {
      const atEdge = this.toElink(core, t);
      let s = this.txBusy > atEdge ? this.txBusy : atEdge;
      this.txBusy = s + this.txOcc;
      this.loads.bookExact(this.elinkTx, s, this.txOcc);
      const back = s + this.txOcc + this.readLat;
      s = this.rxBusy > back ? this.rxBusy : back;
      this.rxBusy = s + this.rxOcc;
      this.loads.bookExact(this.elinkRx, s, this.rxOcc);
      t = this.fromElink(core, s + this.rxOcc);
    }
    this.lastIssueDone = t;
    return t;
  }

  /**
   * Posted write of `bytes` into shared DRAM by `core` at `t`, 8 bytes per store; a core issues
   * off-chip stores at most one per CORE_OFFCHIP_STORE_INTERVAL and all cores share the eLink.
   * Returns when the last byte is in DRAM; sets `lastIssueDone` (the core goes on after
   * issuing its last store).
   */
  dramWrite(core: number, bytes: number, t: number): number {
    let n = Math.ceil(bytes / MESH_PACKET_BYTES);
    let arr = t;
    this.lastIssueDone = t;
    const sb = this.storeBusy;
    while (n-- > 0) {
      const issue = sb[core]! > t ? sb[core]! : t;
      sb[core] = issue + this.storeInterval;
      this.lastIssueDone = issue + CMESH_PACKET_CYCLES;
      const atEdge = this.toElink(core, issue);
      const s = this.txBusy > atEdge ? this.txBusy : atEdge;
      this.txBusy = s + this.txOcc;
      this.loads.bookExact(this.elinkTx, s, this.txOcc);
      arr = s + this.txOcc + this.writeLat;
    }
    return arr;
  }

  /**
   * The shared-DRAM traffic a core's byte code made between t0 and t1, which the interpreter
   * charged at zero load (a blocking read or a posted write per word): book it on the eLink as
   * a fluid first-come-first-served demand (a read holds the outbound path for its request and
   * the inbound path for its reply, a write the outbound path) and return how much later than
   * t1 the core finishes because the eLink was busy with other traffic (0 when it kept up).
   * The runtime calls this for short consecutive slices of every such core, so the demands of
   * cores running at the same time meet in roughly time order. (The xMesh legs to the eLink are
   * not charged here: the eLink is the narrow part.)
   */
  elinkTraffic(t0: number, t1: number, reads: number, writes: number): number {
    let late = 0;
    const out = (reads + writes) * this.txOcc;
    if (out > 0) {
      const s = this.txBusy > t0 ? this.txBusy : t0;
      this.txBusy = s + out;
      this.loads.bookExact(this.elinkTx, s, out);
      if (this.txBusy - t1 > late) late = this.txBusy - t1;
    }
    const back = reads * this.rxOcc;
    if (back > 0) {
      const s = this.rxBusy > t0 ? this.rxBusy : t0;
      this.rxBusy = s + back;
      this.loads.bookExact(this.elinkRx, s, back);
      if (this.rxBusy - t1 > late) late = this.rxBusy - t1;
    }
    return late;
  }

  /** Zero-load round trip of one blocking DRAM read by `core` (no reservation made). */
  dramReadLatency(core: number): number {
    const legs = 2 * (this.cols - (core % this.cols)) * this.hop;
    return MESH_INJECT_CYCLES + legs + this.txOcc + this.readLat + this.rxOcc + MESH_EJECT_CYCLES;
  }

  /**
   * A request from `core` to the host at `t` (print, input, string concat, maths, rand), the
   * host spending `serviceCycles` (chip cycles; convert the @600 MHz HOST_* constants with
   * fromReferenceCycles) on it: the core writes a command block of HOST_COMMAND_BYTES into
   * shared DRAM, then waits as in hostReply. Returns the time the core resumes. (The runtime
   * issues ePython's own stores and reads one by one and calls hostReply; this whole-request form
   * is for calibration.)
   */
  hostRoundTrip(core: number, t: number, serviceCycles: number): number {
    const landed = this.dramWrite(core, HOST_COMMAND_BYTES, t);
    return this.hostReply(core, landed, this.lastIssueDone, serviceCycles);
  }

  /**
   * The host's side of a request whose last store landed in DRAM at `landed`: the host monitor
   * notices it at its next sweep boundary (multiples of HOST_POLL_PERIOD_CYCLES from time 0),
   * serves requests one at a time in call order, and writes the reply; the core, which has been
   * polling its core_busy word with blocking DRAM reads since `pollStart`, sees it at the first
   * poll whose sampling point falls at or after the reply is visible, and makes one more read
   * (ePython's `core_busy <= pb` test re-reads the volatile word). Returns when the core resumes.
   * The polls are booked on the eLink as load only: reserving them ahead of time would block
   * other cores' earlier traffic in this call-order model.
   */
  hostReply(core: number, landed: number, pollStart: number, serviceCycles: number): number {
    const period = this.hostPoll;
    const noticed = Math.ceil(landed / period) * period;
    const start = noticed > this.hostBusy ? noticed : this.hostBusy;
    const visible = start + serviceCycles + this.replyWrite;
    this.hostBusy = visible;
    const round = this.dramReadLatency(core);
    const sample =
      MESH_INJECT_CYCLES + (this.cols - (core % this.cols)) * this.hop + this.txOcc + this.readSample;
    let k = Math.ceil((visible - pollStart - sample) / round);
    if (k < 0) k = 0;
    this.accountDramPolls(pollStart, round, k + 2);
    const resume = pollStart + (k + 2) * round;
    this.lastIssueDone = resume;
    return resume;
  }

  /**
   * Charge the eLink load of `count` blocking DRAM reads by a core, one every `period` cycles
   * from `start` (a core polling a word in shared DRAM): the request on the outbound path, the
   * reply on the inbound one. Load only, like accountPolls: the caller computed their timing at
   * zero load.
   */
  accountDramPolls(start: number, period: number, count: number): void {
    if (count <= 0) return;
    this.loads.bookRepeated(this.elinkTx, start, period, count, this.txOcc);
    this.loads.bookRepeated(this.elinkRx, start, period, count, this.rxOcc);
  }

  /**
   * Charge the link load of `count` blocking reads of dst's SRAM by src, issued every `period`
   * cycles from `start` (a core polling a remote postbox): each request's packet on the rMesh
   * route and each reply's on the cMesh route back. Load only: the reads reserve no link time
   * (the caller computed their timing at zero load), so they show where polling traffic goes
   * without delaying other packets.
   */
  accountPolls(src: number, dst: number, start: number, period: number, count: number): void {
    if (count <= 0 || src === dst) return;
    const route = this.routeScratch;
    let n = this.route(MESH_R, src, dst, route);
    this.loads.bookRepeatedRoute(route, n, start, period, count, RMESH_PACKET_CYCLES);
    n = this.route(MESH_C, dst, src, route);
    this.loads.bookRepeatedRoute(route, n, start, period, count, CMESH_PACKET_CYCLES);
  }

  /** The load indices a packet from src to dst takes on mesh m (mesh-ports.ts route). */
  private route(m: number, src: number, dst: number, out: Int32Array): number {
    return route(m, src, dst, this.cores, this.cols, out);
  }

  /** What load index `l` is: its mesh, ends and kind. */
  private describe(l: number, busyCycles: number): LinkLoad {
    return describeLoadIndex(l, this.cores, this.cols, this.elinkTx, busyCycles);
  }

  /**
   * Busy cycles of every port, link and eLink direction that carried traffic, in a fixed
   * order: meshes c, r, x; nodes ascending; east, west, north, south, inject, eject, edge-in;
   * then the eLink out and in. Allocates: for statistics at the end of a run, not hot paths.
   */
  linkLoad(): LinkLoad[] {
    const out: LinkLoad[] = [];
    for (let l = 0; l < this.loads.n; l++) {
      const v = this.loads.total(l);
      if (v > 0) out.push(this.describe(l, v));
    }
    return out;
  }

  /**
   * The same, per time window: window w covers cycles [w * windowCycles, (w + 1) * windowCycles)
   * and holds the busy cycles of the packets that took a link in it. Windows in time order, links
   * in linkLoad()'s order within each. Allocates: for the end of a run.
   */
  linkLoadWindows(): { windowCycles: number; windows: LinkLoad[][] } {
    const n = this.loads.n;
    const windows: LinkLoad[][] = [];
    for (let w = 0; w < this.loads.windowsUsed; w++) {
      const list: LinkLoad[] = [];
      for (let l = 0; l < n; l++) {
        const v = this.loads.inWindow(w, l);
        if (v > 0) list.push(this.describe(l, v));
      }
      windows.push(list);
    }
    return { windowCycles: this.loads.windowCycles, windows };
  }

  /**
   * xMesh from `core` east along its row and out of the east edge; returns arrival at the eLink.
   * (Its ports are held at ever later times: their load windows are booked as a chain, baseOf.)
   */
  private toElink(core: number, t: number): number {
    const busy = this.busy;
    const loads = this.loads;
    const win = loads.windows;
    const occ = XMESH_PACKET_CYCLES;
    const hop = this.hop;
    const base = MESH_X * this.cores * PORTS;
    let l = base + core * PORTS + INJ;
    let s = busy[l]! > t ? busy[l]! : t;
    busy[l] = s + occ;
    let wb = loads.baseOf(s);
    let hi = loads.hi;
    win[wb + l] += occ;
    let arr = s + MESH_INJECT_CYCLES;
    const rowEnd = core - (core % this.cols) + this.cols; // one past the row's last node
    for (let node = core; node < rowEnd; node++) {
      l = base + node * PORTS + EAST; // the last one leaves the chip
      s = busy[l]! > arr ? busy[l]! : arr;
      busy[l] = s + occ;
      if (s >= hi) {
        wb = loads.baseOf(s);
        hi = loads.hi;
      }
      win[wb + l] += occ;
      arr = s + hop;
    }
    return arr;
  }

  /** xMesh from the eLink into the row's east-edge node and west to `core`; returns landing time (booked as toElink). */
  private fromElink(core: number, t: number): number {
    const busy = this.busy;
    const loads = this.loads;
    const win = loads.windows;
    const occ = XMESH_PACKET_CYCLES;
    const hop = this.hop;
    const base = MESH_X * this.cores * PORTS;
    const edge = core - (core % this.cols) + this.cols - 1;
    let l = base + edge * PORTS + EDGE_IN;
    let s = busy[l]! > t ? busy[l]! : t;
    busy[l] = s + occ;
    let wb = loads.baseOf(s);
    let hi = loads.hi;
    win[wb + l] += occ;
    let arr = s + hop;
    for (let node = edge; node >= core; node--) {
      // the west links down to core's, then core's ejection port
      l = base + node * PORTS + (node > core ? WEST : EJ);
      s = busy[l]! > arr ? busy[l]! : arr;
      busy[l] = s + occ;
      if (s >= hi) {
        wb = loads.baseOf(s);
        hi = loads.hi;
      }
      win[wb + l] += occ;
      arr = s + hop;
    }
    return s + MESH_EJECT_CYCLES;
  }
}
