/**
 * Remote variables (concurrency module, src/runtime/remote-memory.ts): values and types cross
 * cores, errors are clear, and the accesses load the read mesh between the two cores (the trace's
 * link load shows more rMesh traffic than the same program without the remote accesses).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, type RunConfig } from "../../src/config/run-config.js";
import { compileProgram } from "../../src/lang/compiler.js";
import { MESH_R } from "../../src/machine/mesh.js";
import { bundledResolver } from "../../src/pipeline/modules.js";
import { recordRun } from "../../src/pipeline/recording.js";
import { simulate } from "../../src/runtime/simulate.js";
import { playInto } from "../../src/trace/events.js";
import { readTrace } from "../../src/trace/reader.js";
import { NULL_SINK, type TraceSink } from "../../src/trace/sink.js";

const EXAMPLES = join(import.meta.dirname, "..", "..", "examples");

function config(cores: number): RunConfig {
  return { ...DEFAULT_CONFIG, cores: Array.from({ length: cores }, (_, i) => i) };
}

function run(source: string, cores = 2): { lines: string[]; ok: boolean; error: string } {
  const { image } = compileProgram(source, "t.py", bundledResolver());
  const lines: string[] = [];
  const r = simulate(image, config(cores), { output: (l) => lines.push(l), input: () => null });
  return { lines, ok: r.ok, error: r.error?.message ?? "" };
}

/** rMesh busy cycles per link over a recorded run of an example on 2 cores. */
function readMeshBusy(name: string): number {
  const source = readFileSync(join(EXAMPLES, name), "utf8");
  const { image, files } = compileProgram(source, name, bundledResolver());
  const trace = readTrace(recordRun(image, files, config(2)));
  let busy = 0;
  const sink = new Proxy({} as TraceSink, {
    get: (_t, method: string) =>
      method === "link"
        ? (_time: number, mesh: number, _from: number, _to: number, b: number) => {
            if (mesh === MESH_R) busy += b;
          }
        : (NULL_SINK as unknown as Record<string, unknown>)[method],
  });
  playInto(trace, sink);
  return busy;
}

const PRELUDE = "import parallel\nimport concurrency\nimport array\n";

describe("remote variables", () => {
  it("reads and writes keep their type (int, real, boolean, none)", () => {
    const src = `${PRELUDE}if coreid() == 0:
\tx=1.5
\tb=true
\texpose(x, 1)
\texpose(b, 1)
\tsync()
\tsync()
\tprint x
\tprint b
else:
\tr=access(0)
\ts=access(0)
\tsync()
\tprint r
\tprint s
\tr=7
\ts=none
\tsync()
`;
    const out = run(src);
    expect(out.ok).toBe(true);
    expect(out.lines).toEqual(["[device 1] 1.500000", "[device 1] true", "[device 0] 7", "[device 0] NONE"]);
  });

  it("an exposed local of a function that returned is a clear error", () => {
    const src = `${PRELUDE}def f():
\tv=5
\texpose(v, 1)
if coreid() == 0:
\tf()
\tsync()
else:
\tr=access(0)
\tsync()
\tprint r
`;
    const out = run(src);
    expect(out.ok).toBe(false);
    expect(out.error).toContain("has returned");
  });

  it("a string can not be written to another core", () => {
    const src = `${PRELUDE}if coreid() == 0:
\tv=5
\texpose(v, 1)
\tsync()
else:
\tr=access(0)
\tr="text"
\tsync()
`;
    const out = run(src);
    expect(out.ok).toBe(false);
    expect(out.error).toContain("can not write a string");
  });

  it("an out-of-bounds remote index is a clear error", () => {
    const src = `${PRELUDE}if coreid() == 0:
\tv=[1, 2]
\texpose(v, 1)
\tsync()
else:
\tr=access(0)
\tprint r[5]
\tsync()
`;
    const out = run(src);
    expect(out.ok).toBe(false);
    expect(out.error).toContain("out of bounds");
  });

  it("alias() of an id that names no variable is a clear error", () => {
    const out = run("x=1\nalias(x, 999)\n", 1);
    expect(out.ok).toBe(false);
    expect(out.error).toContain("is not the symbol id of a variable");
  });

  it("the remote accesses show in the trace's link load on the read mesh", () => {
    const withAccesses = readMeshBusy("remote_access.py");
    const without = readMeshBusy("remote_access_plain.py");
    expect(withAccesses).toBeGreaterThan(without);
  });
});
