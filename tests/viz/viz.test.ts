/**
 * The trace explorer in a real browser: Debian's chromium driven by playwright-core (.ci/run
 * installs chromium). Skips, saying so, only where no chromium is installed.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runEpython } from "../helpers/cli.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`viz tests skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

const dir = mkdtempSync(join(tmpdir(), "epython-viz-"));
let browser: Browser;

interface VizStats {
  lanes: number;
  intervalsDrawn: number;
  arrowsDrawn: number;
  messagesInView: number;
  domain: [number, number];
  zooms: number;
}

function html(trace: string, name: string): string {
  const out = join(dir, name);
  const r = runEpython(["view", trace, "--html", out]);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

async function open(file: string, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => (window as unknown as { __viz?: unknown }).__viz !== undefined, null, { timeout: 60_000 });
  return { page, errors };
}

describe.skipIf(!haveChromium)("trace explorer in chromium", () => {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows a golden 16-core trace: one lane per core, message arrows, zoom", async () => {
    const { page, errors } = await open(html(join(ROOT, "traces", "collectives-d16.trace"), "c16.html"));
    const before = (await page.evaluate(() => (window as unknown as { __viz: VizStats }).__viz)) as VizStats;
    expect(before.lanes).toBe(16);
    expect(before.arrowsDrawn).toBeGreaterThan(0);
    expect(await page.locator("#summary").innerText()).toContain("16");
    const width0 = before.domain[1] - before.domain[0];
    const box = (await page.locator("#lanes").boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 60);
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => (window as unknown as { __viz: VizStats }).__viz.zooms > 0);
    const after = (await page.evaluate(() => (window as unknown as { __viz: VizStats }).__viz)) as VizStats;
    expect(after.domain[1] - after.domain[0]).toBeLessThan(width0 / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + 30);
    expect(await page.locator("#tooltip").innerText()).toMatch(/device \d+: \w+ from cycle/);
    await page.screenshot({ path: join(dir, "viz-16.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("centres the timeline on an output line's cycle when the line is clicked", async () => {
    const { page, errors } = await open(html(join(ROOT, "traces", "collectives-d16.trace"), "focus16.html"));
    const domain = async () => ((await page.evaluate(() => (window as unknown as { __viz: VizStats }).__viz)) as VizStats).domain;
    const [start0, total] = await domain();
    expect(start0).toBe(0);
    // zoom in a little, so the window is narrower than the run and has somewhere to go
    const box = (await page.locator("#lanes").boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 60);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => (window as unknown as { __viz: VizStats }).__viz.zooms > 0);
    const zoomed = await domain();
    const width = zoomed[1] - zoomed[0];
    expect(width).toBeLessThan(total / 2);
    const lines = page.locator("#output div.line");
    const count = await lines.count();
    expect(count).toBeGreaterThan(2);
    // the first line (near cycle 0), one in the middle and the last (near the end of the run)
    for (const i of [0, Math.floor(count / 2), count - 1]) {
      const title = (await lines.nth(i).getAttribute("title")) ?? "";
      const m = /^cycle ([\d,]+):/.exec(title);
      expect(m, title).not.toBeNull();
      const cycle = Number(m![1]!.replace(/,/g, ""));
      await lines.nth(i).click();
      const [t0, t1] = await domain();
      expect(t0, `line ${i} (cycle ${cycle}): window ${t0}..${t1}`).toBeGreaterThanOrEqual(0);
      expect(t1, `line ${i} (cycle ${cycle}): window ${t0}..${t1}`).toBeLessThanOrEqual(total + 1);
      expect(cycle, `line ${i}: window ${t0}..${t1}`).toBeGreaterThanOrEqual(t0 - 1);
      expect(cycle, `line ${i}: window ${t0}..${t1}`).toBeLessThanOrEqual(t1 + 1);
      // same zoom level, and centred on the line unless the window is held at an end of the run
      expect(t1 - t0).toBeCloseTo(width, 0);
      if (cycle - width / 2 > 0 && cycle + width / 2 < total) expect(Math.abs((t0 + t1) / 2 - cycle)).toBeLessThan(1);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  // UPDATE_SCREENSHOT=1 rewrites the README's picture from a fresh trace (so it shows what this
  // build records, heap samples included): the 16-core collectives run, zoomed in a little.
  it.skipIf(!process.env.UPDATE_SCREENSHOT)("writes docs/viz-collectives-16.png", async () => {
    const trace = join(dir, "collectives16.trace");
    // relative to ROOT (runEpython's cwd), so the page's title names examples/collectives.py
    const r = runEpython(["-d", "16", "--trace", trace, "examples/collectives.py"]);
    expect(r.code, r.stderr).toBe(0);
    // wide enough for the mesh, memory and output panels side by side
    const { page, errors } = await open(html(trace, "shot16.html"), { width: 1400, height: 820 });
    const box = (await page.locator("#lanes").boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + 60);
    for (let i = 0; i < 2; i++) await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => (window as unknown as { __viz: VizStats }).__viz.zooms > 0);
    await page.mouse.move(0, 0);
    // the memory chart has a line: heap samples for the selected core
    expect(await page.locator("#memory svg > g > path").getAttribute("d")).toBeTruthy();
    const file = join(ROOT, "docs", "viz-collectives-16.png");
    await page.screenshot({ path: file });
    expect(statSync(file).size).toBeLessThan(300_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("stays usable on a 1024-core trace", async () => {
    const trace = join(dir, "hello1024.trace");
    const r = runEpython(["--chip", "e1024", "--trace", trace, join(ROOT, "examples", "hello.py")]);
    expect(r.code, r.stderr).toBe(0);
    const t0 = Date.now();
    const { page, errors } = await open(html(trace, "h1024.html"));
    const stats = (await page.evaluate(() => (window as unknown as { __viz: VizStats }).__viz)) as VizStats;
    expect(stats.lanes).toBe(1024);
    expect(stats.intervalsDrawn).toBeGreaterThan(1024);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows what a program prints as text and runs none of it", async () => {
    const prog = join(dir, "xss.py");
    writeFileSync(prog, 'print "<script>window.__pwned=1</script>"\nprint "<img src=x onerror=window.__pwned=2>"\n');
    const trace = join(dir, "xss.trace");
    expect(runEpython(["-d", "1", "--trace", trace, prog]).code).toBe(0);
    const { page, errors } = await open(html(trace, "xss.html"));
    const text = await page.locator("#output").innerText();
    expect(text).toContain("<script>window.__pwned=1</script>");
    expect(text).toContain("<img src=x onerror=window.__pwned=2>");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("serves the page on localhost with `epython view`", async () => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "epython.js"), "view", join(ROOT, "traces", "hello-d4.trace"), "--port", "0"], { cwd: ROOT });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = "";
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${seen}`)), 30_000);
        child.stdout.on("data", (d: Buffer) => {
          seen += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(seen);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      // anything the server's content security policy blocks would show up here
      await page.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      const res = await page.goto(url);
      expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
      await page.waitForFunction(() => (window as unknown as { __viz?: unknown }).__viz !== undefined, null, { timeout: 30_000 });
      expect(((await page.evaluate(() => (window as unknown as { __viz: VizStats }).__viz)) as VizStats).lanes).toBe(4);
      // the inline <style> applied (allowed by its hash): the summary is a flex row
      expect(await page.locator("#summary").evaluate((e) => getComputedStyle(e).display)).toBe("flex");
      expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      child.kill();
    }
  });
});
