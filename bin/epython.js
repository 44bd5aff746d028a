#!/usr/bin/env node
// The `epython` command. Built files live in dist/ (npm install runs the build through `prepare`).
// Most commands load the CLI bundled into one file (scripts/bundle.mjs), which starts several
// times faster; `experiment` and `validate` start worker threads and hash the built files they
// run, so they load the modules as built.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/src/cli/main.bundle.js", import.meta.url);
const modular = ["experiment", "validate"].includes(process.argv[2] ?? "");
const { main } = await import(!modular && existsSync(bundle) ? bundle.href : "../dist/src/cli/main.js");

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`epython: internal error: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 70;
  },
);
