/**
 * Running the validation suite: each case's measurement on the model, compared with its published
 * figure or relation, then with its expected outcome (expected.ts) to a status. Deterministic: the
 * same model gives the same rows (no wall clock, no randomness beyond the model's seeded PRNG).
 */
import { EXPECTED } from "./expected.js";
import { VALIDATION_CASES } from "./cases.js";
import { fmt } from "./model.js";
import type { Expectation, ResultRow, Status, ValidationCase } from "./types.js";
import { unexpected } from "./types.js";

export function expectationOf(id: string): Expectation {
  const e = EXPECTED[id];
  if (e === undefined) throw new Error(`validation case ${id} has no entry in experiments/validation/expected.ts`);
  return e;
}

export function statusOf(holds: boolean, e: Expectation): Status {
  if (e === "pass") return holds ? "PASS" : "FAIL";
  return holds ? "XPASS" : "XFAIL";
}

/** Run one case. A measurement that throws is an ERROR row, not an exception. */
export function runCase(c: ValidationCase): ResultRow {
  const e = expectationOf(c.id);
  const reason = e === "pass" ? null : e.knownFailure;
  const base = { id: c.id, title: c.title, reason };
  let obs;
  try {
    obs = c.measure();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { ...base, model: "-", published: c.published, ratio: null, holds: false, status: "ERROR", detail: msg };
  }
  if (c.check.kind === "within") {
    const ratio = obs.model / c.check.value;
    const holds = Math.abs(ratio - 1) <= c.check.relTol;
    const tol = `+-${Math.round(c.check.relTol * 100)}%`;
    return {
      ...base,
      model: fmt(obs.model, c.check.unit),
      published: `${fmt(c.check.value, c.check.unit)} ${tol}`,
      ratio,
      holds,
      status: statusOf(holds, e),
      detail: obs.detail,
    };
  }
  const holds = obs.holds === true;
  return {
    ...base,
    model: obs.shown ?? fmt(obs.model),
    published: c.published,
    ratio: obs.reference !== undefined ? obs.model / obs.reference : null,
    holds,
    status: statusOf(holds, e),
    detail: obs.detail,
  };
}

/** The cases named by `ids` (all when empty), in suite order; an unknown id is an error. */
export function selectCases(ids: readonly string[]): ValidationCase[] {
  const known = new Set(VALIDATION_CASES.map((c) => c.id));
  const bad = ids.filter((id) => !known.has(id));
  if (bad.length > 0) throw new Error(`unknown validation case${bad.length > 1 ? "s" : ""} ${bad.join(", ")} (see epython validate --list)`);
  return ids.length === 0 ? VALIDATION_CASES : VALIDATION_CASES.filter((c) => ids.includes(c.id));
}

export function runValidation(ids: readonly string[] = []): ResultRow[] {
  return selectCases(ids).map(runCase);
}

export interface Summary {
  counts: Record<Status, number>;
  /** true when every status is the expected one */
  ok: boolean;
}

export function summarise(rows: readonly ResultRow[]): Summary {
  const counts: Record<Status, number> = { PASS: 0, FAIL: 0, XFAIL: 0, XPASS: 0, ERROR: 0 };
  for (const r of rows) counts[r.status]++;
  return { counts, ok: rows.every((r) => !unexpected(r.status)) };
}

function pad(cells: string[][]): string[] {
  const w = cells[0]!.map((_, j) => Math.max(...cells.map((row) => row[j]!.length)));
  return cells.map((row) => row.map((c, j) => (j === row.length - 1 ? c : c.padEnd(w[j]!))).join("  ").trimEnd());
}

/** The table: case, model, published, ratio, result; then per row its details; then the summary. */
export function formatRows(rows: readonly ResultRow[]): string {
  const head = ["case", "model", "published", "ratio", "result"];
  const body = rows.map((r) => [r.id, r.model, r.published, r.ratio === null ? "-" : r.ratio.toFixed(3), r.status]);
  const lines = pad([head, ...body]);
  lines.splice(1, 0, "-".repeat(Math.max(...lines.map((l) => l.length))));
  lines.push("");
  for (const r of rows) {
    lines.push(`${r.id}: ${r.title}`);
    lines.push(`  ${r.detail}`);
    if (r.reason) lines.push(`  known failure: ${r.reason}`);
  }
  const s = summarise(rows);
  const c = s.counts;
  lines.push("");
  lines.push(
    `${rows.length} cases: ${c.PASS} passed, ${c.XFAIL} known failures, ${c.FAIL} failed, ${c.XPASS} unexpectedly passed, ${c.ERROR} errors` +
      (s.ok ? " - as expected" : " - UNEXPECTED results"),
  );
  return lines.join("\n");
}
