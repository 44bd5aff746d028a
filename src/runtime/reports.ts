/**
 * What a user reads when a run cannot go on: the deadlock report (who waits on whom, at which
 * line), the livelock of a core probing a finished one, and the list of active cores that an
 * error about a wrong core id shows.
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

function waitLine(p: Proc, procs: readonly Proc[], image: ProgramImage): string {
  const line = lineAt(image, p.vm.userPc()).line;
  const other = p.wait.on >= 0 ? procs[p.wait.on]! : null;
  const who = other ? `${other.label}${other.finish >= 0 ? " (which has finished)" : ""}` : "";
  switch (p.wait.kind) {
    case WaitKind.Recv:
      return `${p.label} (line ${line}) waits to receive from ${who}`;
    case WaitKind.Ack:
      return `${p.label} (line ${line}) waits for ${who} to receive its message`;
    case WaitKind.Slot:
      return `${p.label} (line ${line}) waits to send to ${who}, whose postbox still holds its previous message`;
    case WaitKind.Barrier: {
      const done = procs.filter((q) => q.finish >= 0).map((q) => q.label);
      return `${p.label} (line ${line}) waits at sync()${done.length ? ` but ${done.join(", ")} ${done.length === 1 ? "has" : "have"} finished` : ""}`;
    }
    default:
      return `${p.label} (line ${line}) is blocked`;
  }
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
