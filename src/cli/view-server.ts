/**
 * The HTTP server behind `epython view`: a handful of fixed files, on a loopback address only.
 * It answers GET and HEAD (anything else: 405 with `Allow`), only when the `Host` header names the
 * address and port it is bound to (so a DNS-rebound name can not reach it from a web page: 421),
 * and every answer carries `X-Content-Type-Options: nosniff`, a content security policy that lets
 * the page run only its own script files and fetch only from this server, and no framing.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A served file: its content type and its text or bytes. */
export interface ServedFile {
  type: string;
  body: string | Uint8Array;
}

export type LoopbackHost = "127.0.0.1" | "::1";

export interface ViewServer {
  /** the page's address, e.g. `http://127.0.0.1:43121/` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `'sha256-…'` sources for every inline `<style>` element of a page, for `style-src`. */
export function inlineStyleHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) hashes.push(`'sha256-${createHash("sha256").update(m[1]!, "utf8").digest("base64")}'`);
  return hashes;
}

/**
 * The content security policy for a page whose scripts are files from this server and whose only
 * styles are its inline `<style>` elements (allowed by hash) or set through the CSSOM (which CSP
 * does not restrict); it fetches its data from this server and draws on canvas.
 */
export function viewCsp(styleHashes: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${styleHashes.length > 0 ? styleHashes.join(" ") : "'none'"}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const ALLOW = "GET, HEAD";

/** The `Host` values that name this server: the bound loopback address or `localhost`, with its port. */
export function allowedHosts(host: LoopbackHost, port: number): Set<string> {
  const names = [host === "::1" ? "[::1]" : host, "localhost"];
  const out = new Set<string>();
  for (const n of names) {
    out.add(`${n}:${port}`);
    if (port === 80) out.add(n); // a browser leaves the default port out
  }
  return out;
}

/** Serve `files` (by path: "/", "/app.js", ...) on `host`:`port` (0: any free port). */
export function startViewServer(files: Readonly<Record<string, ServedFile>>, opts: { port: number; host?: LoopbackHost; csp: string }): Promise<ViewServer> {
  const host = opts.host ?? "127.0.0.1";
  const common: OutgoingHttpHeaders = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": opts.csp,
    "referrer-policy": "no-referrer",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-store",
  };
  let hosts = new Set<string>();
  const send = (res: ServerResponse, status: number, type: string, body: string | Uint8Array, extra: OutgoingHttpHeaders = {}): void => {
    res.writeHead(status, { ...common, ...extra, "content-type": type, "content-length": Buffer.byteLength(body) });
    res.end(body); // node leaves the body out of an answer to HEAD
  };
  const text = "text/plain; charset=utf-8";
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const hostHeader = (req.headers.host ?? "").toLowerCase();
    if (!hosts.has(hostHeader)) {
      send(res, 421, text, "misdirected request: this server answers only to its loopback address\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, text, "method not allowed\n", { allow: ALLOW });
      return;
    }
    // own properties only: "/constructor" or "/__proto__" must be a 404, not Object's members
    const path = (req.url ?? "/").split("?")[0]!;
    const f = Object.hasOwn(files, path) ? files[path] : undefined;
    if (!f) {
      send(res, 404, text, "not found\n");
      return;
    }
    send(res, 200, f.type, f.body);
  };
  return new Promise((resolve, reject) => {
    const server = createServer(handle);
    server.on("error", reject);
    server.listen(opts.port, host, () => {
      const port = (server.address() as AddressInfo).port;
      hosts = allowedHosts(host, port);
      const name = host === "::1" ? "[::1]" : host;
      resolve({
        url: `http://${name}:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
