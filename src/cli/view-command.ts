/**
 * `epython view FILE`: the d3 trace explorer (viz/) over a trace, served on localhost, or written
 * with `--html OUT.html` as one self-contained file (d3, the page and the data inline) that opens
 * offline.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Effect } from "effect";
import { type ViewModel, viewModelMeta } from "../trace/view-model.js";
import { type CliError, InputFileError, UsageError } from "./errors.js";
import { sameFile } from "./files.js";
import type { Out } from "./out.js";
import { byteSize } from "./progress.js";
import { inlineStyleHashes, type ServedFile, startViewServer, type ViewServer, viewCsp } from "./view-server.js";

/** The package root (this file is src/cli or dist/src/cli under it). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "viz", "app.js"))) return dir;
    dir = dirname(dir);
  }
  throw new Error("the viz/ folder of epython-sim was not found");
}

function asset(name: "index.html" | "app.js" | "view-data.js" | "d3.min.js"): string {
  const root = packageRoot();
  const path = name === "d3.min.js" ? join(root, "node_modules", "d3", "dist", "d3.min.js") : join(root, "viz", name);
  return readFileSync(path, "utf8");
}

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`, no line separators. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * One HTML file with everything inline: the model's JSON and its bytes as base64, each in a
 * script element the browser does not run (the page reads their text), d3 and the page's scripts.
 */
export function buildViewHtml(model: ViewModel): string {
  const scriptSafe = (code: string): string => code.replace(/<\/script/gi, "<\\/script");
  const data = Buffer.from(model.data.buffer, model.data.byteOffset, model.data.byteLength).toString("base64");
  return asset("index.html")
    .replace(
      "<!--DATA-->",
      () => `<script type="application/json" id="view-meta">${scriptSafeJson(viewModelMeta(model))}</script>\n<script type="application/octet-stream" id="view-data">${data}</script>`,
    )
    .replace('<script src="d3.min.js"></script>', () => `<script>${scriptSafe(asset("d3.min.js"))}</script>`)
    .replace('<script src="view-data.js"></script>', () => `<script>${scriptSafe(asset("view-data.js"))}</script>`)
    .replace('<script src="app.js"></script>', () => `<script>${scriptSafe(asset("app.js"))}</script>`);
}

/** The files the explorer is served as: the page (without data), its scripts, the model's JSON and bytes. */
export function viewFiles(model: ViewModel): Record<string, ServedFile> {
  const page = asset("index.html").replace("<!--DATA-->", "");
  return {
    "/": { type: "text/html; charset=utf-8", body: page },
    "/index.html": { type: "text/html; charset=utf-8", body: page },
    "/app.js": { type: "text/javascript; charset=utf-8", body: asset("app.js") },
    "/view-data.js": { type: "text/javascript; charset=utf-8", body: asset("view-data.js") },
    "/d3.min.js": { type: "text/javascript; charset=utf-8", body: asset("d3.min.js") },
    "/view.json": { type: "application/json", body: JSON.stringify(viewModelMeta(model)) },
    "/view.bin": { type: "application/octet-stream", body: model.data },
  };
}

/** Serve the explorer for one model on 127.0.0.1 (src/cli/view-server.ts) until the process is stopped. */
export function serveView(model: ViewModel, port: number): Promise<ViewServer> {
  const files = viewFiles(model);
  return startViewServer(files, { port, host: "127.0.0.1", csp: viewCsp(inlineStyleHashes(files["/"]!.body as string)) });
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
    if (html !== null && sameFile(file, html)) return yield* new UsageError({ message: `view: --html '${html}' would overwrite the trace it shows` });
    return { file, html, port };
  });
}

/** Serve (forever) or write the page for a model already read from a trace. */
export function showView(args: ViewArgs, model: ViewModel, out: Out, write: (path: string, data: string) => Effect.Effect<void, CliError>): Effect.Effect<void, CliError> {
  return Effect.gen(function* () {
    if (args.html !== null) {
      const page = buildViewHtml(model);
      yield* write(args.html, page);
      out.line(`wrote ${args.html} (${byteSize(Buffer.byteLength(page))})`);
      return;
    }
    const { url } = yield* Effect.tryPromise({
      try: () => serveView(model, args.port),
      catch: (e) => new InputFileError({ message: `view: can not serve on 127.0.0.1:${args.port}: ${(e as Error).message}` }),
    });
    out.line(`epython view: ${args.file} at ${url} (Ctrl-C to stop)`);
    out.flush();
    yield* Effect.never;
  });
}
