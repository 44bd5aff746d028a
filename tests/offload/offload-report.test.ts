/**
 * The offload study's report is written from its rows: on rows made from known linear costs, the
 * sentences give back those costs, the crossover, the scaling with the cores and the break-even;
 * other rows give other sentences. (The study's run itself, with python3: offload.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { linearFit, offloadStudy } from "../../experiments/offload/study.js";
import type { Row } from "../../experiments/lib/study.js";

/** Rows as measure() gives them, from costs linear in N with copies serial over the cores. */
function rows(copyPerValue: number): Row[] {
  const out: Row[] = [];
  for (const cores of [1, 4]) {
    for (const n of [1, 2, 8, 32]) {
      const time = { resident: 100 + 10 * n, args: 200 + (10 + copyPerValue * cores) * n, roundtrip: 300 + (10 + 2 * copyPerValue * cores) * n };
      for (const mode of ["resident", "args", "roundtrip"] as const) {
        out.push({
          point: out.length, mode, elements: n, cores, iterations: 3, us_per_iteration: time[mode], host_words: 1, us_per_host_word: 1,
          us_setup: mode === "resident" ? 1000 + copyPerValue * cores * n : null, us_back: mode === "resident" ? 500 + copyPerValue * cores * n : null, check: 1,
        });
      }
    }
  }
  return offloadStudy.derive!(out, []);
}

describe("the offload study's report", () => {
  it("a least-squares line through exact points gives them back", () => {
    expect(linearFit([[1, 3], [2, 5], [10, 21]])).toEqual({ a: 1, b: 2, worst: 0 });
  });

  it("states the costs per real, the core scaling, the crossover and the break-even that the rows hold", () => {
    const r = rows(5);
    const text = offloadStudy.explain(r);
    // 4 cores: resident 100 + 10 N, args 200 + 30 N, roundtrip 300 + 50 N
    expect(text).toContain("each point within 0.0% of its line): 100 + 10.00·N us with device-resident data, 200 + 30.00·N us copied in as the argument, 300 + 50.00·N us copied in and returned");
    expect(text).toContain("copying one more real per core in adds 20.00 us, 5.00 us for each value that crosses the host link");
    expect(text).toContain("returning it 20.00 us more");
    // slowdown of args at 32 reals: 1 core 680/420, 4 cores 1160/420
    expect(text).toContain(`x${(680 / 420).toFixed(1)} on 1, x${(1160 / 420).toFixed(1)} on 4`);
    // args against resident: on 1 core at most 215/110 < 2; on 4 cores 230/110 > 2 at once
    expect(text).toContain(`not within the grid on 1 core (x${(680 / 420).toFixed(2)} at 32 reals)`);
    expect(text).toContain(`already at 1 real per core on 4 (x${(230 / 110).toFixed(2)})`);
    // break-even against roundtrip: (1500 + 10 C N) / (200 + 10 C N), the most at N=1 on 1 core, the least at N=32 on 4 cores
    expect(text).toContain(`paid back after ${(2780 / 1480).toFixed(2)} (32 reals on 4 cores) to ${(1510 / 210).toFixed(2)} (1 real on 1 core) iterations`);
    expect(text).toContain(`from iteration ${Math.ceil(1510 / 210)} on`);
    const breakeven = r.find((x) => x["mode"] === "roundtrip" && x["elements"] === 1 && x["cores"] === 1)!["breakeven_iterations"];
    expect(breakeven).toBeCloseTo(1510 / 210, 10);
  });

  it("other rows, other sentences", () => {
    const cheap = offloadStudy.explain(rows(0.5));
    expect(cheap).toContain("0.50 us for each value that crosses the host link");
    // copies this cheap never double the iteration on 4 cores either: (200 + 12 N) / (100 + 10 N) < 2
    expect(cheap).toContain("not within the grid on 4 cores");
    expect(cheap).toContain("tutorial 7's point holds only weakly");
    expect(offloadStudy.explain(rows(5))).toContain("the slowdown of copying in grows with the cores");
    expect(offloadStudy.explain(rows(5))).toContain("That is tutorial 7's point");
    expect(cheap).not.toBe(offloadStudy.explain(rows(5)));
  });
});
