#!/usr/bin/env node
// The `epython` command. Built files live in dist/ (npm install runs the build through `prepare`).
// The CLI runs bundled into one script (scripts/bundle.mjs), which starts several times faster,
// with V8's compilation of it cached beside it; without the bundle, from the modules as built.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const bundle = fileURLToPath(new URL("../dist/src/cli/main.bundle.cjs", import.meta.url));
const { main, writeCache } = existsSync(bundle) ? loadBundle(bundle) : { main: (await import("../dist/src/cli/main.js")).main, writeCache: () => {} };

main(process.argv.slice(2)).then(
  (code) => {
    writeCache();
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`epython: internal error: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 70;
  },
);

/**
 * Run the bundle as a CommonJS script with V8's code cache: compiled from the cache when V8 takes
 * it; otherwise compiled from source, and the cache written after the run (with the functions the
 * run compiled), to a temporary name renamed into place, so concurrent runs never see half a file.
 */
function loadBundle(file) {
  const cacheFile = `${file}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`;
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  const stale = cachedData === undefined || script.cachedDataRejected === true;
  return {
    main: module.exports.main,
    writeCache: () => {
      if (!stale) return;
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // a read-only installation: no cache, a slower start
      }
    },
  };
}
