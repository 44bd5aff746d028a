/**
 * Golden traces (traces/*.trace, listed in traces/manifest.json): re-recording each with the CLI
 * must give the same bytes, so any change to timing, scheduling or output shows up here.
 * Regenerate deliberately with `UPDATE_GOLDEN=1 npm test -- tests/trace/golden.test.ts` (see traces/README.md).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { storedResolver } from "../../src/pipeline/modules.js";
import { recordRun } from "../../src/pipeline/recording.js";
import { compileProgram } from "../../src/lang/compiler.js";
import { firstDivergence, formatDivergence, headerDifferences } from "../../src/trace/compare.js";
import { readTrace, type Trace } from "../../src/trace/reader.js";
import { ROOT, runEpython } from "../helpers/cli.js";

interface Golden {
  trace: string;
  args: string[];
}

const manifest = JSON.parse(readFileSync(join(ROOT, "traces", "manifest.json"), "utf8")) as Golden[];
const update = process.env.UPDATE_GOLDEN === "1";
const dir = mkdtempSync(join(tmpdir(), "epython-golden-"));

function headerText(t: Trace): string {
  return t.headerText;
}

/** Why two traces differ, for a failure message that says more than "bytes differ". */
function explain(golden: Trace, fresh: Trace): string {
  const header = headerDifferences(golden.header, fresh.header);
  const d = firstDivergence(golden, fresh);
  if (d) return [...header, `first divergence at event #${d.index}:`, ...formatDivergence(d, golden, fresh, ["golden", "now"])].join("\n");
  if (headerText(golden) !== headerText(fresh)) return "headers differ";
  return `footers differ:\n  golden: ${JSON.stringify(golden.footer)}\n  now:    ${JSON.stringify(fresh.footer)}`;
}

describe("golden traces", () => {
  it("has a few small goldens listed in the manifest", () => {
    expect(manifest.length).toBeGreaterThanOrEqual(3);
    for (const g of manifest) expect(existsSync(join(ROOT, "traces", g.trace)) || update).toBe(true);
  });

  for (const g of manifest) {
    const goldenPath = join(ROOT, "traces", g.trace);

    it(`re-records ${g.trace} (epython ${g.args.join(" ")}) byte for byte`, () => {
      const out = join(dir, g.trace);
      const r = runEpython([...g.args, "--trace", out]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const fresh = new Uint8Array(readFileSync(out));
      if (update) {
        writeFileSync(goldenPath, fresh);
        return;
      }
      const golden = new Uint8Array(readFileSync(goldenPath));
      const a = readTrace(golden);
      const b = readTrace(fresh);
      if (a.header.toolVersion === b.header.toolVersion && a.header.node === b.header.node) {
        if (!Buffer.from(golden).equals(Buffer.from(fresh))) throw new Error(`${g.trace} changed (regenerate with UPDATE_GOLDEN=1 if intended)\n${explain(a, b)}`);
      } else {
        // recorded by another epython-sim or Node version: everything but those two fields must agree
        const neutral = (t: Trace) => headerText(t).replace(/"toolVersion":"[^"]*","node":\d+/, "");
        expect(neutral(b)).toBe(neutral(a));
        if (firstDivergence(a, b) !== null) throw new Error(`${g.trace} changed\n${explain(a, b)}`);
        expect(b.footer).toEqual(a.footer);
      }
    });

    it(`re-records ${g.trace} through the API, with its recorded tool and Node versions, to the same bytes`, () => {
      if (update) return;
      const golden = readTrace(new Uint8Array(readFileSync(goldenPath)));
      const h = golden.header;
      const main = h.sources[0]!;
      const { image, files } = compileProgram(main.text, main.name, storedResolver(h.sources));
      const bytes = recordRun(image, files, { ...h.config, cores: [...h.config.cores] }, { info: { toolVersion: h.toolVersion, nodeMajor: h.node } });
      if (!Buffer.from(bytes).equals(Buffer.from(golden.bytes))) throw new Error(explain(golden, readTrace(bytes)));
    });

    it(`replays ${g.trace}`, () => {
      const r = runEpython(["replay", goldenPath]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/replay OK: .*: all \d+ events and the footer identical/);
    });

    it(`keeps ${g.trace} small (under 128 KB)`, () => {
      expect(readFileSync(goldenPath).length).toBeLessThan(128 * 1024);
    });
  }
});
