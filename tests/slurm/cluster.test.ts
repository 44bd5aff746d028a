/**
 * Sweeps on a real Slurm cluster (CI starts a one-node one with ../shared/tools/slurm-local.sh
 * start): the quick scaling grid submitted as a job array and collected gives the bytes of a local
 * run; an array task cancelled with scancel is reported by --collect and --resubmit completes
 * the grid. Skipped, with a message saying why, where Slurm does not answer.
 * Every wait is bounded (3 minutes) and reports squeue's view of the job when it runs out.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findStudy } from "../../experiments/studies.js";
import { epython, files, jobIdOf, readJson, STACK } from "./helpers.js";

function sh(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 30_000 });
  return { ok: !r.error && r.status === 0, stdout: r.stdout ?? "", stderr: r.stderr ?? "", missing: (r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT" };
}

/** Why the cluster tests can not run here, or null if Slurm answers. */
function unavailable(): string | null {
  const s = sh("sinfo", ["-h", "-o", "%P"]);
  if (s.ok && s.stdout.trim() !== "") return null;
  const root = process.getuid?.() === 0;
  const what = s.missing ? "there is no sinfo on the PATH" : `sinfo does not answer (${(s.stderr || s.stdout).trim().split("\n")[0] ?? ""})`;
  return root
    ? `${what}: start the local cluster with '../shared/tools/slurm-local.sh start' (as .ci/run does)`
    : `${what}, and this is not root, so ../shared/tools/slurm-local.sh can not start a cluster`;
}

const why = unavailable();
if (why !== null) console.warn(`tests/slurm/cluster.test.ts: SKIPPED (no Slurm): ${why}`);

/** The default partition (marked * by sinfo), or the first. */
function defaultPartition(): string {
  const parts = sh("sinfo", ["-h", "-o", "%P"]).stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return (parts.find((p) => p.endsWith("*")) ?? parts[0]!).replace(/\*$/, "");
}

const WAIT_MS = 180_000;

/** Wait until the job has left the queue; on timeout fail with what squeue and scontrol say. */
async function waitForJob(jobId: string, dir: string): Promise<void> {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const q = sh("squeue", ["-h", "-r", "-j", jobId, "-o", "%i %T %R"]);
    // gone from the queue: empty answer, or "Invalid job id" once Slurm has forgotten it
    if (!q.ok || q.stdout.trim() === "") return;
    if (Date.now() > until) {
      const logs = readdirSync(join(dir, "logs"))
        .map((f) => `--- ${f}\n${readFileSync(join(dir, "logs", f), "utf8")}`)
        .join("\n");
      throw new Error(`job ${jobId} still queued after ${WAIT_MS / 1000} s:\n${q.stdout}\n${sh("scontrol", ["show", "job", jobId]).stdout}\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe.skipIf(why !== null)("sweeps on a real Slurm cluster", () => {
  const tmp = mkdtempSync(join(tmpdir(), "epy-slurm-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const gridSize = findStudy("scaling")!.grid(true).length;
  let local = new Map<string, string>();
  let partition = "";

  beforeAll(() => {
    partition = defaultPartition();
    const r = epython(["experiment", "scaling", "--quick", "--out", join(tmp, "local")]);
    expect(r.code, r.stderr).toBe(0);
    local = files(join(tmp, "local"));
  });

  it("--slurm then --collect gives the files of a local --quick run, byte for byte", async () => {
    const dir = join(tmp, "sweep");
    const sub = epython(["experiment", "scaling", "--quick", "--slurm", "--partition", partition, "--tasks", "4", "--time", "10", "--out", dir]);
    expect(sub.code, sub.stderr).toBe(0);
    const job = jobIdOf(sub.stdout);
    expect(sub.stdout).toContain(`squeue -j ${job}`);
    await waitForJob(job, dir);
    const out = join(tmp, "collected");
    const c = epython(["experiment", "scaling", "--collect", dir, "--out", out]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toContain(`collected ${gridSize} points from 4 task file(s)`);
    const got = files(out);
    expect([...got.keys()]).toEqual([...local.keys()]);
    for (const [name, text] of local) expect(got.get(name), name).toBe(text);
  }, WAIT_MS + 60_000);

  it("a cancelled array task is reported by --collect and --resubmit completes the grid", async () => {
    const dir = join(tmp, "cancelled");
    // one task at a time, so the last one is still pending when it is cancelled
    const sub = epython(["experiment", "scaling", "--quick", "--slurm", "--tasks", "3", "--throttle", "1", "--out", dir]);
    expect(sub.code, sub.stderr).toBe(0);
    const job = jobIdOf(sub.stdout);
    const state = sh("squeue", ["-h", "-r", "-j", `${job}_2`, "-o", "%T"]).stdout.trim();
    expect(state, "task 2 should still be waiting behind the throttle").toBe("PENDING");
    const cancel = sh("scancel", [`${job}_2`]);
    expect(cancel.ok, cancel.stderr).toBe(true);
    await waitForJob(job, dir);
    const lost: number[] = readJson(join(dir, "scaling.manifest.json")).rounds[0].tasks[2];
    const c = epython(["experiment", "scaling", "--collect", dir, "--out", join(tmp, "cancelled-out")]);
    expect(c.code).toBe(1);
    expect(c.stderr).not.toMatch(STACK);
    expect(c.stderr).toContain(`${gridSize - lost.length} of ${gridSize} grid points measured`);
    expect(c.stderr).toContain(`missing points ${lost.join(", ")}: round 0 array task 2`);
    expect(c.stderr).toContain(`--resubmit`);

    const re = epython(["experiment", "scaling", "--resubmit", dir]);
    expect(re.code, re.stderr).toBe(0);
    const job2 = jobIdOf(re.stdout);
    expect(job2).not.toBe(job);
    expect(re.stdout).toContain(`over ${lost.length} of the ${gridSize} points`);
    await waitForJob(job2, dir);
    const out = join(tmp, "completed");
    const done = epython(["experiment", "scaling", "--collect", dir, "--out", out]);
    expect(done.code, done.stderr).toBe(0);
    expect(readFileSync(join(out, "scaling.csv"), "utf8")).toBe(local.get("scaling.csv"));
  }, 2 * WAIT_MS + 60_000);

  it("an unknown partition is named, with the cluster's partitions", () => {
    const r = epython(["experiment", "scaling", "--quick", "--slurm", "--partition", "no_such_partition", "--out", join(tmp, "nopart")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown partition 'no_such_partition': this cluster has ${partition}`);
    expect(r.stderr).not.toMatch(STACK);
  });
});
