// Byte codes epython-sim executes for each example on one device core, and its simulated cycles.
// usage: node sim-steps.mjs EXAMPLES_DIR NAME... (needs `npm run build`); prints JSON.
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { bundledResolver, compileProgram, DEFAULT_CONFIG, NULL_SINK, simulate } = await import(join(root, "dist", "src", "index.js"));
const [dir, ...names] = process.argv.slice(2);
const out = {};
for (const name of names) {
  const file = join(dir, `${name}.py`);
  try {
    const image = compileProgram(readFileSync(file, "utf8"), file, bundledResolver()).image;
    const r = simulate(image, { ...DEFAULT_CONFIG, cores: [0] }, { output: () => {}, input: () => null }, NULL_SINK);
    out[name] = { sim_ok: r.ok, sim_steps: r.procs[0].steps, sim_cycles: r.totalCycles };
  } catch (e) {
    out[name] = { sim_error: String(e).slice(0, 200) };
  }
}
console.log(JSON.stringify(out));
