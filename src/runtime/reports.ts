/**
 * What a user reads when a run cannot go on: the deadlock report (who waits on whom, at which
 * line), the report of a run whose cores stopped at their limits (and who waits on them), the
 * livelock of a core probing a finished one, and the list of active cores that an error about a
 * wrong core id shows.
 */
import { lineAt, type ProgramImage } from "../lang/image.js";
import { type Proc, WaitKind } from "./process.js";
import type { SimError } from "./run-result.js";

/**
 * Probes in a row of a finished core that has nothing in the prober's postbox, with no message
 * received in between, after which the run stops as a livelock. Such a probe can never succeed;
 * a million in a row is no real program's way of waiting (a choice, not hardware).
 */
export const LIVELOCK_PROBES = 1_000_000;

export function livelockMessage(p: Proc, finished: Proc, image: ProgramImage): string {
  const line = lineAt(image, p.vm.userPc()).line;
  return `livelock: ${p.label} (line ${line}) has probed ${finished.label}, which has finished and sent nothing more, ${LIVELOCK_PROBES.toLocaleString("en-US")} times in a row`;
}

/** The active process ids as ranges: `0-3, 8, 10-11`. */
export function describeActive(procs: readonly Proc[]): string {
  const pids = procs.map((p) => p.pid);
  const ranges: string[] = [];
  let i = 0;
  while (i < pids.length) {
    let j = i;
    while (j + 1 < pids.length && pids[j + 1] === pids[j]! + 1) j++;
    ranges.push(j > i ? `${pids[i]}-${pids[j]}` : `${pids[i]}`);
    i = j + 1;
  }
  return ranges.join(", ");
}

/** Another core as a report names it: `device 3`, `device 3 (which has finished)`, `device 3 (stopped at its step limit)`. */
function named(q: Proc, annotate: boolean): string {
  if (!annotate) return q.label;
  if (q.finish >= 0) return `${q.label} (which has finished)`;
  if (q.stopped === "step limit" || q.stopped === "cycle limit") return `${q.label} (stopped at its ${q.stopped})`;
  return q.label;
}

/** Is p blocked, waiting for another core, a flag or the host (rather than running or done)? */
export function isWaiting(p: Proc): boolean {
  const k = p.wait.kind;
  return k === WaitKind.Recv || k === WaitKind.Ack || k === WaitKind.Slot || k === WaitKind.Barrier;
}

/**
 * What a waiting p waits for, as the words after "waits": `to receive from device 1`. With
 * `annotate`, a core that has finished or stopped at its limit is said to have (the reports);
 * without, only the cores are named (a per-core summary, which says that of each core itself).
 */
export function waitingFor(p: Proc, procs: readonly Proc[], annotate = true): string {
  const other = p.wait.on >= 0 ? procs[p.wait.on]! : null;
  const who = other ? named(other, annotate) : "";
  switch (p.wait.kind) {
    case WaitKind.Recv:
      return `to receive from ${who}`;
    case WaitKind.Ack:
      return `for ${who} to receive its message`;
    case WaitKind.Slot:
      return `to send to ${who}, whose postbox still holds its previous message`;
    case WaitKind.Barrier: {
      if (!annotate) return "at sync()";
      const done = procs.filter((q) => q.finish >= 0).map((q) => q.label);
      const stopped = procs.filter((q) => q.stopped === "step limit" || q.stopped === "cycle limit").map((q) => `${q.label} stopped at its ${q.stopped}`);
      const why = [...(done.length ? [`${done.join(", ")} ${done.length === 1 ? "has" : "have"} finished`] : []), ...stopped];
      return `at sync()${why.length ? ` but ${why.join(" and ")}` : ""}`;
    }
    default:
      return "";
  }
}

function waitLine(p: Proc, procs: readonly Proc[], image: ProgramImage): string {
  const line = lineAt(image, p.vm.userPc()).line;
  const what = waitingFor(p, procs);
  return `${p.label} (line ${line}) ${what ? `waits ${what}` : "is blocked"}`;
}

/**
 * The run's event queue is empty but some processes have not finished: every one of them is
 * waiting. Returns the error naming each and what it waits for, or null when all finished.
 */
export function deadlockReport(procs: readonly Proc[], image: ProgramImage): SimError | null {
  const stuck = procs.filter((p) => p.finish < 0);
  if (stuck.length === 0) return null;
  const lines = stuck.map((p) => waitLine(p, procs, image));
  const first = stuck[0]!;
  let time = 0;
  for (const p of stuck) time = Math.max(time, p.wait.start);
  const where = lineAt(image, first.vm.userPc());
  return {
    kind: "deadlock",
    message: `deadlock: every remaining core is waiting\n  ${lines.join("\n  ")}`,
    proc: first.idx,
    label: first.label,
    file: where.file,
    line: where.line,
    time,
  };
}

/**
 * The run's event queue is empty and some cores stopped at their step or cycle limit (each core
 * stops at its own; the others go on until they complete, reach theirs, or wait for good). The
 * error is the first core's to reach its limit (`first`, its message `step limit of N byte-code
 * operations reached`); when other cores did not complete either, a line per core that did not
 * says where it stopped or what it waits for, a stopped core waited on being named as such.
 */
export function limitReport(procs: readonly Proc[], image: ProgramImage, first: SimError): SimError {
  const open = procs.filter((p) => p.finish < 0);
  if (open.length === 1 && open[0]!.idx === first.proc) return first;
  const lines = open.map((p) => {
    if (p.stopped === "step limit" || p.stopped === "cycle limit") return `${p.label} (line ${lineAt(image, p.vm.userPc()).line}) stopped at its ${p.stopped}`;
    return waitLine(p, procs, image);
  });
  return { ...first, message: `${first.message}\n  ${lines.join("\n  ")}` };
}
