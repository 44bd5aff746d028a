// The CLI as one file (dist/src/cli/main.bundle.js), for a fast start: Node spends most of a short
// run's CPU time resolving and compiling the ~400 ES modules of the CLI and its libraries (Effect
// alone is most of them); one bundled module loads in a fraction of that (issue 14: hello world in
// well under 0.25 s of CPU). bin/epython.js uses it when it is there. It sits beside main.js so
// that the files the CLI finds from its own path (package.json, ePython's bundled modules, viz/)
// are found the same way.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/src/cli/main.js"],
  outfile: "dist/src/cli/main.bundle.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // CommonJS dependencies call require(); give the bundle one
  banner: { js: 'import { createRequire as __epythonCreateRequire } from "node:module"; const require = __epythonCreateRequire(import.meta.url);' },
  logLevel: "warning",
});
