/**
 * The `epython view` HTTP server (src/cli/view-server.ts) through real requests on an ephemeral
 * loopback port: only GET and HEAD, only to its own Host, security headers on every answer.
 * The page in a browser under this policy: tests/viz/viz.test.ts.
 */
import { copyFileSync, linkSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveView, viewFiles } from "../src/cli/view-command.js";
import { allowedHosts, inlineStyleHashes, startViewServer, type ViewServer, viewCsp } from "../src/cli/view-server.js";
import { type ViewModel, ViewModelSink, viewModelMeta } from "../src/trace/view-model.js";
import { ROOT, runEpython } from "./helpers/cli.js";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to 127.0.0.1:port, with any method and Host header; bounded by a timeout. */
function ask(port: number, method: string, path: string, host?: string, body?: string, address = "127.0.0.1"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: host ?? `127.0.0.1:${port}` };
    const req = request({ host: address, port, method, path, headers, timeout: 5_000, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within 5 s`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** A real model of a run with no events: its sections are empty but well formed. */
const model: ViewModel = new ViewModelSink(1).finish({
  program: "stub.py",
  chip: "e16",
  rows: 4,
  cols: 4,
  clockHz: 600e6,
  procs: [{ label: "device 0", core: 0 }],
  ok: true,
  error: null,
  linkWindowCycles: 1024,
});

function expectSecurityHeaders(a: Answer): void {
  expect(a.headers["x-content-type-options"]).toBe("nosniff");
  expect(a.headers["x-frame-options"]).toBe("DENY");
  const csp = String(a.headers["content-security-policy"]);
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe");
}

describe("epython view's HTTP server", () => {
  let server: ViewServer;
  beforeAll(async () => {
    server = await serveView(model, 0);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("listens on 127.0.0.1 on the port it was given (0: a free one)", () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it("answers GET with the page, its scripts and the model, each with the security headers", async () => {
    const files = viewFiles(model);
    for (const [path, type] of [
      ["/", "text/html"],
      ["/index.html", "text/html"],
      ["/app.js", "text/javascript"],
      ["/d3.min.js", "text/javascript"],
      ["/view-data.js", "text/javascript"],
      ["/view.json", "application/json"],
      ["/view.bin", "application/octet-stream"],
    ] as const) {
      const a = await ask(server.port, "GET", path);
      expect(a.status, path).toBe(200);
      expect(String(a.headers["content-type"])).toContain(type);
      const body = files[path]!.body;
      if (typeof body === "string") expect(a.body).toBe(body);
      else expect(Number(a.headers["content-length"])).toBe(body.length);
      expectSecurityHeaders(a);
    }
    // the model's JSON (its bytes are view.bin)
    expect(JSON.parse((await ask(server.port, "GET", "/view.json?x=1")).body)).toEqual(JSON.parse(JSON.stringify(viewModelMeta(model))));
    expect(model.data.length).toBeGreaterThan(0);
  });

  it("allows the page's inline <style> by its hash, and the page loads its scripts as files", async () => {
    const a = await ask(server.port, "GET", "/");
    const hashes = inlineStyleHashes(a.body);
    expect(hashes.length).toBe(1);
    expect(String(a.headers["content-security-policy"])).toContain(`style-src ${hashes[0]}`);
    expect(a.headers["content-security-policy"]).toBe(viewCsp(hashes));
    // no inline script for 'self' to miss: the served page has only <script src=...>
    expect(a.body).not.toMatch(/<script>/);
    expect(a.body).toContain('<script src="app.js"></script>');
  });

  it("answers HEAD like GET, without a body", async () => {
    const get = await ask(server.port, "GET", "/");
    const head = await ask(server.port, "HEAD", "/");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers["content-length"]).toBe(get.headers["content-length"]);
    expect(head.headers["content-type"]).toBe(get.headers["content-type"]);
    expectSecurityHeaders(head);
  });

  it("answers any other method with 405 and Allow: GET, HEAD", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const a = await ask(server.port, method, "/", undefined, method === "OPTIONS" ? undefined : "x=1");
      expect(a.status, method).toBe(405);
      expect(a.headers.allow, method).toBe("GET, HEAD");
      expectSecurityHeaders(a);
    }
    expect((await ask(server.port, "POST", "/view.json", undefined, "{}")).status).toBe(405);
  });

  it("answers only to its own address and port in Host (DNS rebinding): others get 421", async () => {
    const p = server.port;
    for (const host of [`127.0.0.1:${p}`, `localhost:${p}`, `LOCALHOST:${p}`]) expect((await ask(p, "GET", "/", host)).status, host).toBe(200);
    for (const host of [`evil.example:${p}`, "evil.example", `127.0.0.1:${p + 1}`, "127.0.0.1", `[::1]:${p}`, `127.0.0.2:${p}`, `localhost.evil.example:${p}`, `127.0.0.1:${p}.evil.example`]) {
      const a = await ask(p, "GET", "/", host);
      expect(a.status, host).toBe(421);
      expect(a.body, host).toMatch(/loopback/);
      expect(a.body).not.toContain("epython-sim trace");
      expectSecurityHeaders(a);
    }
    // a wrong Host is refused before the method is looked at
    expect((await ask(p, "POST", "/", "evil.example")).status).toBe(421);
  });

  it("answers unknown paths with 404 and the same headers", async () => {
    const a = await ask(server.port, "GET", "/../package.json");
    expect(a.status).toBe(404);
    expectSecurityHeaders(a);
    expect((await ask(server.port, "GET", "/favicon.ico")).status).toBe(404);
    // names of Object's own members are not files (a plain-object lookup crashed the server)
    for (const p of ["/constructor", "/__proto__", "/toString", "/hasOwnProperty"]) expect((await ask(server.port, "GET", p)).status).toBe(404);
    expect((await ask(server.port, "GET", "/")).status).toBe(200);
  });
});

describe("the Host names a view server accepts", () => {
  it("are the bound loopback address and localhost, with the port (left out only for port 80)", () => {
    expect([...allowedHosts("127.0.0.1", 8123)].sort()).toEqual(["127.0.0.1:8123", "localhost:8123"]);
    expect([...allowedHosts("::1", 8123)].sort()).toEqual(["[::1]:8123", "localhost:8123"]);
    expect([...allowedHosts("127.0.0.1", 80)].sort()).toEqual(["127.0.0.1", "127.0.0.1:80", "localhost", "localhost:80"]);
  });

  it("on ::1, where the machine has it", async () => {
    let s: ViewServer;
    try {
      s = await startViewServer({ "/": { type: "text/plain", body: "hi" } }, { port: 0, host: "::1", csp: viewCsp([]) });
    } catch (e) {
      console.warn(`no IPv6 loopback here (${(e as Error).message}): skipped`);
      return;
    }
    try {
      expect(s.url).toBe(`http://[::1]:${s.port}/`);
      expect((await ask(s.port, "GET", "/", `[::1]:${s.port}`, undefined, "::1")).status).toBe(200);
      expect((await ask(s.port, "GET", "/", `127.0.0.1:${s.port}`, undefined, "::1")).status).toBe(421);
    } finally {
      await s.close();
    }
  });
});

describe("epython view --html", () => {
  const dir = mkdtempSync(join(tmpdir(), "epython-view-"));
  const trace = join(dir, "hello.trace");
  copyFileSync(join(ROOT, "traces", "hello-d4.trace"), trace);
  const before = readFileSync(trace);

  it("refuses to overwrite the trace it shows (exit 2), by any path to it", () => {
    linkSync(trace, join(dir, "linked.html"));
    for (const out of [trace, join(dir, ".", "hello.trace"), join(dir, "linked.html")]) {
      const r = runEpython(["view", trace, "--html", out]);
      expect(r.code, out).toBe(2);
      expect(r.stderr).toMatch(/would overwrite the trace/);
    }
    expect(readFileSync(trace).equals(before)).toBe(true);
  });

  it("writes the page to another file, leaving no temporary file beside it", () => {
    const r = runEpython(["view", trace, "--html", join(dir, "out.html")]);
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(join(dir, "out.html"), "utf8");
    expect(page).toContain('<script type="application/json" id="view-meta">');
    expect(page).toMatch(/<script type="application\/octet-stream" id="view-data">[A-Za-z0-9+/=]+<\/script>/);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(readFileSync(trace).equals(before)).toBe(true);
  });
});
