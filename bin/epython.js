#!/usr/bin/env node
// The `epython` command. Built files live in dist/ (npm install runs the build through `prepare`).
import { main } from "../dist/src/cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`epython: internal error: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 70;
  },
);
