/**
 * `epython view FILE`: the d3 trace explorer (viz/) over a trace, served on localhost, or written
 * with `--html OUT.html` as one self-contained file (d3, the page and the data inline) that opens
 * offline.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Effect } from "effect";
import type { ViewModel } from "../trace/view-model.js";
import { type CliError, InputFileError, UsageError } from "./errors.js";
import type { Out } from "./out.js";

/** The package root (this file is src/cli or dist/src/cli under it). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "viz", "app.js"))) return dir;
    dir = dirname(dir);
  }
  throw new Error("the viz/ folder of epython-sim was not found");
}

function asset(name: "index.html" | "app.js" | "d3.min.js"): string {
  const root = packageRoot();
  const path = name === "d3.min.js" ? join(root, "node_modules", "d3", "dist", "d3.min.js") : join(root, "viz", name);
  return readFileSync(path, "utf8");
}

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`, no line separators. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** One HTML file with everything inline. */
export function buildViewHtml(model: ViewModel): string {
  const scriptSafe = (code: string): string => code.replace(/<\/script/gi, "<\\/script");
  return asset("index.html")
    .replace("<!--DATA-->", () => `<script>window.__EPYTHON_VIEW__ = ${scriptSafeJson(model)};</script>`)
    .replace('<script src="d3.min.js"></script>', () => `<script>${scriptSafe(asset("d3.min.js"))}</script>`)
    .replace('<script src="app.js"></script>', () => `<script>${scriptSafe(asset("app.js"))}</script>`);
}

/** Serve the explorer for one model until the process is stopped; resolves with the URL. */
export function serveView(model: ViewModel, port: number): Promise<string> {
  const json = JSON.stringify(model);
  const files: Record<string, [string, string]> = {
    "/": ["text/html; charset=utf-8", asset("index.html").replace("<!--DATA-->", "")],
    "/index.html": ["text/html; charset=utf-8", asset("index.html").replace("<!--DATA-->", "")],
    "/app.js": ["text/javascript; charset=utf-8", asset("app.js")],
    "/d3.min.js": ["text/javascript; charset=utf-8", asset("d3.min.js")],
    "/view.json": ["application/json", json],
  };
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      const f = files[(req.url ?? "/").split("?")[0]!];
      if (!f) {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("not found");
        return;
      }
      res.writeHead(200, { "content-type": f[0], "cache-control": "no-store" });
      res.end(f[1]);
    });
    server.on("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const addr = server.address();
      resolve(`http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : port}/`);
    });
  });
}

export interface ViewArgs {
  file: string;
  html: string | null;
  port: number;
}

export function parseViewArgs(argv: readonly string[]): Effect.Effect<ViewArgs, CliError> {
  return Effect.gen(function* () {
    let file: string | null = null;
    let html: string | null = null;
    let port = 0;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === "--html") {
        html = argv[++i] ?? null;
        if (html === null) return yield* new UsageError({ message: "view: --html needs an output file name" });
      } else if (a === "--port") {
        const p = argv[++i] ?? "";
        if (!/^[0-9]+$/.test(p) || Number(p) > 65535) return yield* new UsageError({ message: `view: --port needs a port number, not '${p}'` });
        port = Number(p);
      } else if (a.startsWith("-")) return yield* new UsageError({ message: `view: unknown flag '${a}' (usage: epython view TRACE [--html OUT.html] [--port N])` });
      else if (file === null) file = a;
      else return yield* new UsageError({ message: "view: give one trace file" });
    }
    if (file === null) return yield* new UsageError({ message: "usage: epython view TRACE [--html OUT.html] [--port N]" });
    return { file, html, port };
  });
}

/** Serve (forever) or write the page for a model already read from a trace. */
export function showView(args: ViewArgs, model: ViewModel, out: Out, write: (path: string, data: string) => Effect.Effect<void, CliError>): Effect.Effect<void, CliError> {
  return Effect.gen(function* () {
    if (args.html !== null) {
      yield* write(args.html, buildViewHtml(model));
      out.line(`wrote ${args.html}`);
      return;
    }
    const url = yield* Effect.tryPromise({
      try: () => serveView(model, args.port),
      catch: (e) => new InputFileError({ message: `view: can not serve on 127.0.0.1:${args.port}: ${(e as Error).message}` }),
    });
    out.line(`epython view: ${args.file} at ${url} (Ctrl-C to stop)`);
    out.flush();
    yield* Effect.never;
  });
}
