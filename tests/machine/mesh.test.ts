import { describe, expect, it } from "vitest";
import { CHIPS } from "../../src/machine/chip.js";
import { HOST_SERVICE_CYCLES, MESH_EJECT_CYCLES, MESH_INJECT_CYCLES } from "../../src/machine/costs.js";
import { MESH_C, MESH_R, MESH_X, Mesh, OFF_CHIP } from "../../src/machine/mesh.js";
import { Prng } from "../../src/machine/prng.js";

const e16 = CHIPS.e16!;

describe("Mesh on-chip traffic", () => {
  it("a one-packet write takes inject + hops * hopCycles + eject with no load", () => {
    const m = new Mesh(e16);
    expect(m.write(0, 1, 4, 100)).toBe(100 + MESH_INJECT_CYCLES + 1.5 + MESH_EJECT_CYCLES);
    m.reset();
    expect(m.write(0, 15, 8, 0)).toBe(MESH_INJECT_CYCLES + 6 * 1.5 + MESH_EJECT_CYCLES);
    m.reset();
    expect(m.write(5, 5, 4, 0)).toBe(MESH_INJECT_CYCLES + MESH_EJECT_CYCLES); // own SRAM via own router
    expect(m.write(0, 1, 0, 42)).toBe(42); // nothing sent
  });

  it("byteStores is write() of one byte per store in turn: same landing, issue times and loads, also among other traffic", () => {
    for (const chip of [e16, CHIPS.e1024!]) {
      const rng = Prng.forStream(99, chip.cores);
      const a = new Mesh(chip);
      const b = new Mesh(chip);
      let t = 0;
      for (let k = 0; k < 300; k++) {
        const src = rng.nextBelow(chip.cores);
        const dst = rng.nextBelow(chip.cores);
        t += rng.nextBelow(40) / 4;
        if (rng.nextFloat() < 0.4) {
          // other traffic crossing the same ports, in both meshes alike
          const x = rng.nextBelow(chip.cores);
          const bytes = 1 + rng.nextBelow(16);
          expect(b.write(x, dst, bytes, t + 1)).toBe(a.write(x, dst, bytes, t + 1));
        }
        const scale = rng.nextFloat() < 0.5 ? 1 : 1.25;
        let landed = 0;
        for (let i = 0; i < 6; i++) landed = a.write(src, dst, 1, t + i * 2 * scale);
        expect(b.byteStores(src, dst, 6, t, 2, scale)).toBe(landed);
        expect([b.lastIssueDone, b.injectedAt]).toEqual([a.lastIssueDone, a.injectedAt]);
      }
      expect(b.linkLoadWindows()).toEqual(a.linkLoadWindows());
    }
  });

  it("a multi-packet write streams one 8-byte packet per cycle", () => {
    const m = new Mesh(e16);
    const one = m.write(0, 3, 8, 0);
    m.reset();
    expect(m.write(0, 3, 64, 0)).toBe(one + 7); // 8 packets, the last 7 cycles behind the first
    expect(m.lastIssueDone).toBe(8);
  });

  it("contention: a packet crossing a busy link arrives later than alone", () => {
    const alone = new Mesh(e16).write(0, 3, 8, 0);
    const m = new Mesh(e16);
    m.write(1, 2, 64, 0); // 8 packets hold link 1->2 for 8 cycles
    const contended = m.write(0, 3, 8, 0); // needs link 1->2 too
    expect(contended).toBeGreaterThan(alone);
    // a packet on disjoint links is not delayed
    expect(m.write(4, 7, 8, 0)).toBe(alone);
  });

  it("contention: sixteen cores writing one core at once queue at its ejection port", () => {
    const m = new Mesh(e16);
    const arrivals: number[] = [];
    for (let src = 0; src < 16; src++) arrivals.push(m.write(src, 0, 4, 0));
    arrivals.sort((a, b) => a - b);
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(1);
    expect(arrivals[15]! - arrivals[0]!).toBeGreaterThanOrEqual(15);
  });

  it("delivers in order between the same endpoints despite cross traffic", () => {
    const rng = Prng.forStream(2024, 0);
    const m = new Mesh(e16);
    const last = new Map<string, number>();
    let t = 0;
    for (let i = 0; i < 5000; i++) {
      const src = rng.nextBelow(16);
      const dst = rng.nextBelow(16);
      // times mostly advance but sometimes step back, as interleaved cores' local clocks do
      t = Math.max(0, t + rng.nextBelow(5) - 1.5);
      const mesh = rng.nextBelow(2) === 0 ? MESH_C : MESH_R;
      const bytes = 1 + rng.nextBelow(24);
      const arr = mesh === MESH_C ? m.write(src, dst, bytes, t) : m.packet(MESH_R, src, dst, t);
      const key = `${mesh}:${src}:${dst}`;
      const prev = last.get(key);
      if (prev !== undefined) expect(arr).toBeGreaterThan(prev);
      last.set(key, arr);
    }
    expect(last.size).toBeGreaterThan(400);
  });

  it("reads take 18 + 3 * hops on an idle E16 and queue at a busy target", () => {
    const m = new Mesh(e16);
    expect(m.read(0, 1, 4, 0)).toBe(21);
    m.reset();
    expect(m.read(0, 15, 4, 0)).toBe(36);
    m.reset();
    expect(m.read(0, 15, 16, 0)).toBe(72); // two loads, one after the other
    m.reset();
    const first = m.read(1, 0, 4, 0);
    const second = m.read(4, 0, 4, 0); // both requests reach core 0 at the same time
    expect(first).toBe(21);
    expect(second).toBeGreaterThan(21);
  });

  it("DMA runs at about 2.3 bytes per cycle and slows when streams share links", () => {
    const m = new Mesh(e16);
    const alone = m.dma(0, 15, 4096, 0);
    expect(4096 / alone).toBeGreaterThan(1.8);
    m.reset();
    for (let s = 1; s < 4; s++) m.dma(s, 15, 4096, 0); // earlier transfers reserve the column
    expect(m.dma(0, 15, 4096, 0)).toBeGreaterThan(alone);
  });

  it("reports link load deterministically and forgets it on reset", () => {
    const m = new Mesh(e16);
    m.write(0, 5, 8, 0);
    const load = m.linkLoad();
    expect(load).toEqual([
      { mesh: MESH_C, from: 0, to: 1, busyCycles: 1, kind: "link" },
      { mesh: MESH_C, from: 0, to: 0, busyCycles: 1, kind: "inject" },
      { mesh: MESH_C, from: 1, to: 5, busyCycles: 1, kind: "link" },
      { mesh: MESH_C, from: 5, to: 5, busyCycles: 1, kind: "eject" },
    ]);
    m.read(0, 1, 4, 10);
    expect(m.linkLoad().filter((l) => l.mesh === MESH_R)).toHaveLength(3);
    m.dramRead(3, 4, 20);
    const x = m.linkLoad().filter((l) => l.mesh === MESH_X);
    expect(x.some((l) => l.kind === "elink-tx" && l.busyCycles > 0)).toBe(true);
    expect(x.some((l) => l.from === 3 && l.to === OFF_CHIP)).toBe(true);
    expect(x.some((l) => l.from === OFF_CHIP && l.to === 3)).toBe(true);
    m.reset();
    expect(m.linkLoad()).toEqual([]);
    expect(m.hostBusyUntil).toBe(0);
  });

  it("handles the 1024-core chip", () => {
    const m = new Mesh(CHIPS.e1024!);
    expect(m.write(0, 1023, 4, 0)).toBe(MESH_INJECT_CYCLES + 62 + MESH_EJECT_CYCLES);
    expect(() => m.write(0, 1024, 4, 0)).toThrow(RangeError);
  });
});

describe("Mesh off-chip traffic", () => {
  it("a DRAM read costs about 546 cycles and equals its zero-load latency", () => {
    const m = new Mesh(e16);
    const t = m.dramRead(0, 4, 0);
    expect(t).toBeCloseTo(546.2, 0);
    expect(t).toBeCloseTo(m.dramReadLatency(0), 9);
    expect(m.dramReadLatency(3)).toBeLessThan(m.dramReadLatency(0)); // closer to the east eLink
  });

  it("cores reading DRAM at once contend on the eLink", () => {
    const m = new Mesh(e16);
    const alone = m.dramRead(4, 4, 0);
    m.reset();
    const ends: number[] = [];
    for (let c = 0; c < 16; c++) ends.push(m.dramRead(c, 4, 0));
    const slowest = Math.max(...ends);
    expect(slowest).toBeGreaterThan(alone + 10 * 29); // replies serialise on the inbound eLink
  });

  it("posted DRAM writes: one core is throttled to ~16 cycles a word, many cores share the eLink", () => {
    const m = new Mesh(e16);
    let t = 0;
    let first = 0;
    let last = 0;
    for (let i = 0; i < 100; i++) {
      last = m.dramWrite(0, 4, t);
      if (i === 0) first = last;
      t = m.lastIssueDone;
    }
    expect((last - first) / 99).toBeCloseTo(16, 0);
    m.reset();
    let end = 0;
    for (let c = 0; c < 16; c++) end = Math.max(end, m.dramWrite(c, 400, 0)); // 50 packets each
    // 800 packets at ~9.3 cycles each on the shared eLink, far slower than one core's 50 * 16
    expect(end).toBeGreaterThan(800 * 9);
  });

  it("host requests are served one at a time, in call order", () => {
    const m = new Mesh(e16);
    const a = m.hostRoundTrip(0, 0, HOST_SERVICE_CYCLES);
    expect(a).toBeGreaterThan(HOST_SERVICE_CYCLES + 546);
    const busyAfterA = m.hostBusyUntil;
    const b = m.hostRoundTrip(1, 0, HOST_SERVICE_CYCLES);
    expect(m.hostBusyUntil).toBeGreaterThanOrEqual(busyAfterA + HOST_SERVICE_CYCLES);
    expect(b).toBeGreaterThan(a + HOST_SERVICE_CYCLES - 600);
    // the same request alone is quicker
    const alone = new Mesh(e16).hostRoundTrip(1, 0, HOST_SERVICE_CYCLES);
    expect(b).toBeGreaterThan(alone);
    // a cheaper service returns sooner
    expect(new Mesh(e16).hostRoundTrip(0, 0, 600)).toBeLessThan(a);
  });
});

describe("Mesh link load over time", () => {
  const sumWindows = (m: Mesh): Map<string, number> => {
    const out = new Map<string, number>();
    for (const list of m.linkLoadWindows().windows) {
      for (const l of list) {
        const k = `${l.mesh} ${l.kind} ${l.from} ${l.to}`;
        out.set(k, (out.get(k) ?? 0) + l.busyCycles);
      }
    }
    return out;
  };
  const totals = (m: Mesh): Map<string, number> => new Map(m.linkLoad().map((l) => [`${l.mesh} ${l.kind} ${l.from} ${l.to}`, l.busyCycles]));

  it("books each packet in the window where it takes the link, and the windows add up to the totals", () => {
    const m = new Mesh(e16);
    m.write(0, 3, 8, 10); // window 0
    m.write(0, 3, 8, 5000); // window 4 of 1024 cycles
    const { windowCycles, windows } = m.linkLoadWindows();
    expect(windowCycles).toBe(1024);
    expect(windows).toHaveLength(5);
    expect(windows[0]!.length).toBeGreaterThan(0);
    expect(windows[1]).toEqual([]);
    expect(windows[4]!.map((l) => l.busyCycles)).toEqual(windows[0]!.map((l) => l.busyCycles));
    expect(sumWindows(m)).toEqual(totals(m));
  });

  it("keeps at most 64 windows however long the run, merging pairs (totals unchanged)", () => {
    const m = new Mesh(e16);
    const rng = new Prng(3);
    for (let i = 0; i < 400; i++) m.write(rng.nextBelow(16), rng.nextBelow(16), 8, i * 3000 + rng.nextBelow(1000));
    m.dramRead(5, 8, 1_000_000);
    const { windowCycles, windows } = m.linkLoadWindows();
    expect(windows.length).toBeLessThanOrEqual(64);
    expect(windowCycles * 64).toBeGreaterThan(400 * 3000);
    expect(sumWindows(m)).toEqual(totals(m));
  });

  it("counts postbox polls on the read mesh and their replies on the write mesh, reserving nothing", () => {
    const m = new Mesh(e16);
    m.accountPolls(0, 2, 0, 30, 100); // 100 polls, every 30 cycles from 0: windows 0, 1 and 2
    const load = m.linkLoad();
    const east = load.find((l) => l.mesh === MESH_R && l.kind === "link" && l.from === 0 && l.to === 1);
    expect(east?.busyCycles).toBeGreaterThan(0);
    expect(load.some((l) => l.mesh === MESH_C && l.kind === "link" && l.from === 2 && l.to === 1)).toBe(true);
    expect(m.linkLoadWindows().windows).toHaveLength(3);
    expect(sumWindows(m)).toEqual(totals(m));
    // no link time was reserved: a write right after is as fast as on an idle mesh
    expect(m.write(0, 2, 8, 0)).toBe(new Mesh(e16).write(0, 2, 8, 0));
  });
});
