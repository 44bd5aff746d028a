/**
 * The validation suite: published measurements and statements the model was NOT fitted to, each
 * with its source, what runs on the model, and how it is compared. The numbers that set the
 * model's constants are a separate list (FITTING_TARGETS, fitting-targets.ts) and never appear here.
 * Whether a case is expected to pass today is data in expected.ts, not here.
 *
 * Tolerance rules (the same for every case of a kind, never chosen per case):
 *  - SINGLE_BOARD: a figure measured once on one Parallella, published without an error bar:
 *    within +-25%. Boards, firmware and measurement loops differ and nothing better is published.
 *  - SIGNIFICANT: a statement that one run is "significantly" or "much" faster or longer: the
 *    ratio must exceed 1.25, i.e. be a difference outside the +-25% band of SINGLE_BOARD.
 *  - ABOUT: "about N" cores: within +-25% of N.
 *  - A plain ordering ("slower", "faster", "increases") must hold strictly on the model.
 */
import { fmt, cyclesPerWord, e16Microbenchmarks, runExample, seconds } from "./model.js";
import type { Check, Observation, Source, ValidationCase } from "./types.js";

export { FITTING_TARGETS } from "./fitting-targets.js";

const FACTS = "epiphany-facts.md (the project's hardware facts, shared/design/)";
const TUTORIAL = (n: number, lines: string): Source => ({
  citation: `ePython tutorial ${n}, docs/tutorial${n}.md (github.com/mesham/epython, branch dev, commit 78e126a)`,
  where: lines,
});

const SINGLE_BOARD = "SINGLE_BOARD: a single-board measurement without a published error bar, +-25%";
const SIGNIFICANT = 1.25;
const SIGNIFICANT_RULE = "SIGNIFICANT: ratio > 1.25, outside the +-25% single-board band";
const ORDER_RULE = "an ordering must hold strictly";

function within(value: number, unit: string): Check {
  return { kind: "within", value, unit, relTol: 0.25, rule: SINGLE_BOARD };
}
function relation(statement: string, rule: string): Check {
  return { kind: "relation", statement, rule };
}

// ---------------------------------------------------------------------------------------------
// the tutorials' programs, as the tutorials run them
// ---------------------------------------------------------------------------------------------

/** Tutorial 3's Jacobi program (the tutorial's own code block, examples/epython/tutorial3-block1.py). */
const JACOBI = "tutorial3-block1.py";
function jacobi(cores: number, dataSize: number, maxIts?: number): number {
  const params: Record<string, number> = { DATA_SIZE: dataSize };
  if (maxIts !== undefined) params.MAX_ITS = maxIts;
  return seconds({ file: JACOBI, cores, params });
}
/** Iterations for the core-count sweep: the tutorial says each iteration progresses the same on any core count. */
const SWEEP_ITS = 1000;
/** Iterations for the 200-point comparison, for the same reason. */
const N200_ITS = 2000;

/** Tutorial 2's PI program (its own code block, tutorial2-block6.py), answering its prompt. */
const PI = "tutorial2-block6.py";
function pi(rounds: number): number {
  return seconds({ file: PI, cores: 16, input: [String(rounds)] });
}

function s(x: number): string {
  return fmt(x, "s");
}

/** Tutorial 4's executable programs (examples/pipeline.py, split_pipeline.py, parallel_pipeline.py) on 16 cores. */
function pipelineSeconds(file: string): number {
  return seconds({ file, cores: 16 });
}

function pipelineCases(): ValidationCase[] {
  const simpleMethod = "examples/pipeline.py (the executable version tutorial 4 links) unchanged on 16 cores (epython's default; stages on cores 0-3)";
  const busy = () => runExample({ file: "pipeline.py", cores: 16 }).busyCycles.slice(0, 4);
  const stages = (b: number[]) => b.map((c, i) => `stage ${i + 1} ${fmt(c / 600e3, "ms")}`).join(", ");
  return [
    {
      id: "t4-sort-stage-most-expensive",
      title: "simple pipeline: the sorting stage (3) is the most expensive",
      quantity: "tutorial4.pipeline-busiest-stage",
      source: TUTORIAL(4, "line 97: 'stage 3 (the sorting stage) will take much longer'; line 137: 'In our example the sorting (stage 3) is the most expensive'"),
      published: "argmax over stages of busy time = stage 3",
      method: `${simpleMethod}; busy time = running byte code + being served by the host (not waiting for messages)`,
      check: relation("stage 3 has the largest busy time", ORDER_RULE),
      measure: (): Observation => {
        const b = busy();
        const top = b.indexOf(Math.max(...b)) + 1;
        return { model: top, shown: `stage ${top}`, reference: 3, holds: top === 3, detail: `busiest: stage ${top}; ${stages(b)}` };
      },
    },
    {
      id: "t4-stage1-quick",
      title: "simple pipeline: stage 1 progresses very quickly, stage 3 takes much longer",
      quantity: "tutorial4.pipeline-stage1-vs-stage3",
      source: TUTORIAL(4, "line 97: 'stage 1 will progress very quickly, whereas stage 3 (the sorting stage) will take much longer'"),
      published: `busy(stage 3) / busy(stage 1) > ${SIGNIFICANT}`,
      method: `${simpleMethod}; busy time as above`,
      check: relation(`busy(stage 3) / busy(stage 1) > ${SIGNIFICANT}`, SIGNIFICANT_RULE),
      measure: (): Observation => {
        const b = busy();
        const r = b[2]! / b[0]!;
        return { model: r, reference: SIGNIFICANT, holds: r > SIGNIFICANT, detail: `${stages(b)}; model column: stage 3 / stage 1` };
      },
    },
    {
      id: "t4-split-faster",
      title: "split pipeline significantly faster than the simple one",
      quantity: "tutorial4.split-vs-simple",
      source: TUTORIAL(4, "line 134: 'Time both the simple and split versions ... You should see quite a significant performance improvement'"),
      published: `T(simple) / T(split) > ${SIGNIFICANT}`,
      method: "examples/pipeline.py and examples/split_pipeline.py (the executable versions tutorial 4 links) unchanged on 16 cores; both handle 10 sequences of at most 100 numbers",
      check: relation(`T(simple) / T(split) > ${SIGNIFICANT}`, SIGNIFICANT_RULE),
      measure: (): Observation => {
        const [a, b] = [pipelineSeconds("pipeline.py"), pipelineSeconds("split_pipeline.py")];
        return { model: a / b, reference: SIGNIFICANT, holds: a / b > SIGNIFICANT, detail: `T(simple)=${s(a)} T(split)=${s(b)}; model column: speedup` };
      },
    },
    {
      id: "t4-parallel-stage-faster",
      title: "parallelising the sorting stage gives a significant gain",
      quantity: "tutorial4.parallel-stage-vs-simple",
      source: TUTORIAL(4, "line 211: 'If you have an uneven distribution of compution amongst the cores, or lots of idle cores, then splitting the pipeline or parallelising a specific stage can provide a significant gain'"),
      published: `T(simple) / T(parallel stage) > ${SIGNIFICANT}`,
      method: "examples/pipeline.py and examples/parallel_pipeline.py (the executable versions tutorial 4 links) unchanged on 16 cores; both handle 10 sequences of at most 100 numbers",
      check: relation(`T(simple) / T(parallel stage) > ${SIGNIFICANT}`, SIGNIFICANT_RULE),
      measure: (): Observation => {
        const [a, b] = [pipelineSeconds("pipeline.py"), pipelineSeconds("parallel_pipeline.py")];
        return { model: a / b, reference: SIGNIFICANT, holds: a / b > SIGNIFICANT, detail: `T(simple)=${s(a)} T(parallel stage)=${s(b)}; model column: speedup` };
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// the cases
// ---------------------------------------------------------------------------------------------

export const VALIDATION_CASES: ValidationCase[] = [
  {
    id: "hw-neighbour-read",
    title: "core reads a neighbour's SRAM, cycles per 4-byte word",
    quantity: "mesh.neighbour-read-memcpy",
    source: { citation: FACTS, where: "Shared memory table, row 'core reads neighbour SRAM (memcpy)': 116 MB/s, about 20 cycles per 4-byte read (MEAS)" },
    published: "116 MB/s = 19.7 cycles per 4-byte read at 600 MHz",
    method: "epython calibrate's blocking one-word remote read at 1 hop (mean of 16 back-to-back reads)",
    check: within(cyclesPerWord(116), "cycles"),
    measure: () => {
      const c = e16Microbenchmarks().remote_read_cycles[0]!;
      return { model: c, detail: `remote read, 1 hop: ${fmt(c)} cycles` };
    },
  },
  {
    id: "hw-dma-contended",
    title: "4 KB DMA to the far core with three competing streams, cycles",
    quantity: "dma.contended-4k",
    source: { citation: FACTS, where: "Network on chip: with three competing streams on the path 4 KB slows from about 2075 to 2647 cycles (MEAS)" },
    published: "2647 cycles",
    method: "epython calibrate: core 0 and cores 1-3 each DMA 4 KB to the far corner at once; core 0's completion",
    check: within(2647, "cycles"),
    measure: () => {
      const c = e16Microbenchmarks().dma_4k_contended_cycles;
      return { model: c, detail: `alone ${fmt(e16Microbenchmarks().dma_4k_cycles)}, contended ${fmt(c)} cycles` };
    },
  },
  {
    id: "t2-pi-rounds",
    title: "PI: more rounds, longer run (10, 50, 100, 500 rounds)",
    quantity: "tutorial2.pi-rounds-runtime",
    source: TUTORIAL(2, "line 122: 'By increasing the number of rounds we increase the accuracy ... but the cost is an increase in runtime ... run with 10, 50, 100 and 500 rounds and you will see the difference'"),
    published: "T(10) < T(50) < T(100) < T(500)",
    method: "tutorial 2's PI program unchanged on 16 cores (epython's default), the rounds typed at its prompt",
    check: relation("runtime increases with the rounds", ORDER_RULE),
    measure: (): Observation => {
      const t = [10, 50, 100, 500].map(pi);
      const holds = t.every((x, i) => i === 0 || x > t[i - 1]!);
      return { model: t[3]! / t[0]!, holds, detail: `T(10)=${s(t[0]!)} T(50)=${s(t[1]!)} T(100)=${s(t[2]!)} T(500)=${s(t[3]!)}; model column: T(500)/T(10)` };
    },
  },
  {
    id: "t2-pi-500-seconds",
    title: "PI with 500 rounds takes a few seconds",
    quantity: "tutorial2.pi-500-runtime",
    source: TUTORIAL(2, "line 122: 'be patient with 500 rounds it takes a few seconds!'"),
    published: "a few seconds: 2 s <= T < 10 s",
    method: "tutorial 2's PI program unchanged on 16 cores, 500 typed at its prompt; simulated time of the run (ePython's start-up and loading on the host are not modelled)",
    check: relation("2 s <= T(500 rounds) < 10 s", "'a few seconds' read as at least 2 and fewer than 10 seconds"),
    measure: (): Observation => {
      const t = pi(500);
      return { model: t, shown: s(t), reference: 2, holds: t >= 2 && t < 10, detail: `T(500)=${s(t)}; ratio column: T / 2 s` };
    },
  },
  {
    id: "t3-n100-3-vs-16",
    title: "Jacobi, 100 points: 3 cores slower than 16",
    quantity: "tutorial3.jacobi100-3-vs-16",
    source: TUTORIAL(3, "line 115: 'time a run with all 16 Epiphany cores and then run it only using 3 (-d 3) cores, the runtime will increase'"),
    published: "T(3) / T(16) > 1",
    method: "tutorial 3's Jacobi program unchanged (DATA_SIZE=100, to convergence, about 8500 iterations) with -d 3 and -d 16",
    check: relation("T(3) > T(16)", ORDER_RULE),
    measure: (): Observation => {
      const [t3, t16] = [jacobi(3, 100), jacobi(16, 100)];
      return { model: t3 / t16, reference: 1, holds: t3 > t16, detail: `T(3)=${s(t3)} T(16)=${s(t16)}; model column: T(3)/T(16)` };
    },
  },
  {
    id: "t3-n100-8-vs-16",
    title: "Jacobi, 100 points: 16 cores slower than 8 (16 chunks too many)",
    quantity: "tutorial3.jacobi100-8-vs-16",
    source: TUTORIAL(3, "line 117: 'With this default pipe length of 100, 3 chunks is too few but actually 16 chunks is too many ... beyond a specific optimum (8 cores here), increasing the number of cores will actually slow down your code'"),
    published: "T(16) / T(8) > 1",
    method: "tutorial 3's Jacobi program unchanged (DATA_SIZE=100, to convergence) with -d 8 and -d 16",
    check: relation("T(16) > T(8)", ORDER_RULE),
    measure: (): Observation => {
      const [t8, t16] = [jacobi(8, 100), jacobi(16, 100)];
      return { model: t16 / t8, reference: 1, holds: t16 > t8, detail: `T(8)=${s(t8)} T(16)=${s(t16)}; model column: T(16)/T(8)` };
    },
  },
  {
    id: "t3-n100-3-vs-8",
    title: "Jacobi, 100 points: 3 cores slower than 8 (3 chunks too few)",
    quantity: "tutorial3.jacobi100-3-vs-8",
    source: TUTORIAL(3, "line 117: '3 chunks is too few ... Smaller core counts are slower because computations rule'"),
    published: "T(3) / T(8) > 1",
    method: "tutorial 3's Jacobi program unchanged (DATA_SIZE=100, to convergence) with -d 3 and -d 8",
    check: relation("T(3) > T(8)", ORDER_RULE),
    measure: (): Observation => {
      const [t3, t8] = [jacobi(3, 100), jacobi(8, 100)];
      return { model: t3 / t8, reference: 1, holds: t3 > t8, detail: `T(3)=${s(t3)} T(8)=${s(t8)}; model column: T(3)/T(8)` };
    },
  },
  {
    id: "t3-n100-optimum",
    title: "Jacobi, 100 points: the fastest core count is about 8",
    quantity: "tutorial3.jacobi100-optimum",
    source: TUTORIAL(3, "line 117: 'running with about 8 Epiphany cores is the optimum'"),
    published: "argmin over 1..16 cores of T = about 8 (6 to 10)",
    method: `tutorial 3's Jacobi program (DATA_SIZE=100) on 1..16 cores with MAX_ITS=${SWEEP_ITS} instead of convergence (about 8500): the tutorial (line 115) says every core count progresses the same per iteration, so the ordering of core counts does not depend on the iteration count; this keeps the suite fast`,
    check: relation("the fastest core count lies in 6..10", "ABOUT: within +-25% of 8 cores"),
    measure: (): Observation => {
      const t = Array.from({ length: 16 }, (_, i) => jacobi(i + 1, 100, SWEEP_ITS));
      let best = 0;
      t.forEach((x, i) => {
        if (x < t[best]!) best = i;
      });
      const cores = best + 1;
      const at = (c: number) => `T(${c})=${s(t[c - 1]!)}`;
      return { model: cores, shown: `${cores} cores`, reference: 8, holds: cores >= 6 && cores <= 10, detail: `fastest on ${cores} cores; ${[1, 3, 6, 8, 10, 12, 16].map(at).join(" ")} (${SWEEP_ITS} iterations)` };
    },
  },
  {
    id: "t3-n200-16-vs-8",
    title: "Jacobi, 200 points: 16 cores faster than 8",
    quantity: "tutorial3.jacobi200-16-vs-8",
    source: TUTORIAL(3, "line 119: 'double the global problem size to 200 via the DATA_SIZE variable and rerun with 8 and 16 cores then you will see that 16 cores is faster than 8 cores'"),
    published: "T(8) / T(16) > 1",
    method: `tutorial 3's Jacobi program with DATA_SIZE=200 (the change the tutorial asks for), -d 8 and -d 16, with MAX_ITS=${N200_ITS} instead of convergence (some 30,000 iterations, 40 s of wall time): as for the sweep, the tutorial (line 115) says every core count progresses the same per iteration`,
    check: relation("T(16) < T(8)", ORDER_RULE),
    measure: (): Observation => {
      const [t8, t16] = [jacobi(8, 200, N200_ITS), jacobi(16, 200, N200_ITS)];
      return { model: t8 / t16, reference: 1, holds: t16 < t8, detail: `T(8)=${s(t8)} T(16)=${s(t16)}; model column: T(8)/T(16)` };
    },
  },
  ...pipelineCases(),
];
