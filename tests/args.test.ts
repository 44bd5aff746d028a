/** The `epython FILE` flags, parsed without running anything. */
import { Effect, Exit } from "effect";
import { describe, expect, it } from "vitest";
import { parseRunArgs, USAGE } from "../src/cli/args.js";
import { CHIP_NAMES, REDUCE_ALGORITHMS } from "../src/config/names.js";
import { DEFAULT_CONFIG, MAX_SEED } from "../src/config/run-config.js";

const parse = (argv: string[]) => Effect.runSyncExit(parseRunArgs(argv));

describe("run flags", () => {
  it("accepts ePython's documented spellings -corecode and -coreshared as -codecore and -codeshared", () => {
    const a = parse(["-corecode", "x.py"]);
    const b = parse(["-CoreShared", "x.py"]);
    expect(Exit.isSuccess(a) && a.value.codeCore).toBe(true);
    expect(Exit.isSuccess(b) && b.value.codeShared).toBe(true);
    expect(Exit.isFailure(parse(["-corecode", "-coreshared", "x.py"]))).toBe(true);
  });

  it("takes its defaults and ranges from the one configuration schema", () => {
    const a = parse(["x.py"]);
    expect(Exit.isSuccess(a) && a.value.seed).toBe(DEFAULT_CONFIG.seed);
    expect(Exit.isSuccess(a) && a.value.chip).toBe(DEFAULT_CONFIG.chip);
    expect(Exit.isSuccess(parse(["--seed", String(MAX_SEED), "x.py"]))).toBe(true);
    expect(Exit.isFailure(parse(["--seed", String(MAX_SEED + 1), "x.py"]))).toBe(true);
  });

  it("names every chip and reduce algorithm of the name tables in its help", () => {
    for (const c of CHIP_NAMES) expect(USAGE).toContain(c);
    for (const r of Object.keys(REDUCE_ALGORITHMS)) expect(USAGE).toContain(r);
    const bad = parse(["--reduce", "butterfly", "x.py"]);
    expect(Exit.isFailure(bad) && String(bad.cause)).toContain(Object.keys(REDUCE_ALGORITHMS).join(", "));
  });
});
