// Runs a batch of corpus cases in one process, as the `epython` command runs one: the built
// compiler with the module search of the program's folder, then the simulation with the default
// configuration on cores 0..N-1 (what `epython -d N FILE` does). corpus.test.ts starts a few of
// these side by side, so the corpus costs a few process start-ups rather than one per case.
//
// argv[2]: JSON [{ file, cores, stdin: string[] }]. Prints JSON [{ lines, prompts, ok, error }].
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { compileProgram } from "../../dist/src/lang/compiler.js";
import { moduleResolver } from "../../dist/src/pipeline/modules.js";
import { DEFAULT_CONFIG } from "../../dist/src/config/run-config.js";
import { simulate } from "../../dist/src/runtime/simulate.js";

const cases = JSON.parse(process.argv[2]);
const results = [];
for (const c of cases) {
  const lines = [];
  const prompts = [];
  const stdin = [...c.stdin];
  try {
    const { image } = compileProgram(readFileSync(c.file, "utf8"), c.file, moduleResolver(dirname(c.file)));
    const config = { ...DEFAULT_CONFIG, cores: Array.from({ length: c.cores }, (_, i) => i) };
    const r = simulate(image, config, {
      output: (line) => lines.push(line),
      input: (prompt, label) => {
        prompts.push(`[${label}] ${prompt ?? ""}`);
        return stdin.length > 0 ? stdin.shift() : null;
      },
    });
    results.push({ lines, prompts, ok: r.ok, error: r.ok ? null : `${r.error.label}: ${r.error.message}` });
  } catch (e) {
    // a compile error (the CLI prints it and exits with 1)
    results.push({ lines, prompts, ok: false, error: String(e && e.message ? e.message : e) });
  }
}
process.stdout.write(JSON.stringify(results));
