// The CLI as one file (dist/src/cli/main.bundle.cjs), for a fast start: Node spends most of a short
// run's CPU time resolving and compiling the ~400 ES modules of the CLI and its libraries (Effect
// alone is most of them); one bundled script loads in a fraction of that (issue 14: hello world in
// well under 0.25 s of CPU). bin/epython.js uses it when it is there. It sits beside main.js so
// that the files the CLI finds from its own path (package.json, ePython's bundled modules, viz/)
// are found the same way; each of our modules also keeps its own `import.meta.url` (ownUrls), so
// the experiments find their worker threads' script, the project's root and the files whose hash
// names the code that measured, as they do when loaded one by one.
//
// A CommonJS script rather than an ES module, because Node 20 can cache V8's compilation of a
// script (vm.Script's cachedData) but not of a module: bin/epython.js keeps that cache beside the
// bundle (main.bundle.cjs.v8cache, written on the first run and whenever V8 rejects it), which
// saves about a third of a short run's CPU. The build ends with that first run.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { build } from "esbuild";

const outfile = "dist/src/cli/main.bundle.cjs";

// Node's own modules that only some commands use (the explorer's server, the experiments' worker
// threads, Slurm, the offload link): a plain bundle requires them all at start-up, which costs a
// short run about 15 ms of CPU. Each is bundled as a stand-in whose members (the real module's,
// listed here at build time) require the real module the first time one is read, which is when a
// command first uses it.
const LAZY_BUILTINS = ["child_process", "crypto", "http", "net", "os", "readline", "worker_threads"];
const lazyBuiltins = {
  name: "lazy-builtins",
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join("|")})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === "lazy-builtin" ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ""), namespace: "lazy-builtin" },
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, async (args) => {
      const members = Object.keys(await import(`node:${args.path}`)).filter((k) => k !== "default");
      const lines = ["let real;", `const load = () => (real ??= require("node:${args.path}"));`];
      for (const k of members) lines.push(`Object.defineProperty(exports, ${JSON.stringify(k)}, { get: () => load()[${JSON.stringify(k)}], enumerable: true });`);
      return { contents: lines.join("\n"), loader: "js" };
    });
  },
};
/**
 * Each built module of ours (dist/) keeps the URL of its own file for `import.meta.url`, written
 * relative to the bundle `out`'s, so the installation can move; other modules get the bundle's
 * (define).
 */
const ownUrls = (out) => ({
  name: "own-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
      if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined; // a library's own dist/
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const rel = relative(dirname(resolve(out)), args.path).split("\\").join("/");
      return { contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(rel)}, __epythonBundleUrl).href`), loader: "js" };
    });
  },
});

/** Bundle the built module `entry` and what it imports into the CommonJS script `out`. */
function bundle(entry, out) {
  return build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    define: { "import.meta.url": "__epythonBundleUrl" },
    banner: { js: 'const __epythonBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: "warning",
    plugins: [lazyBuiltins, ownUrls(out)],
  });
}

await bundle("dist/src/cli/main.js", outfile);
// The grid runner's worker thread (experiments/lib/grid.ts starts it from here when it is there):
// an experiment's workers start in a fraction of the CPU the modules one by one take.
await bundle("dist/experiments/lib/worker.js", "dist/experiments/lib/worker.bundle.cjs");
// the previous build's ESM bundle and code cache
rmSync("dist/src/cli/main.bundle.js", { force: true });
rmSync(`${outfile}.v8cache`, { force: true });
// a first run writes the code cache (a run that fails to write it only starts slower)
spawnSync(process.execPath, ["bin/epython.js", "-d", "1", "examples/hello.py"], { stdio: "ignore" });
