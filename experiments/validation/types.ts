/**
 * The shapes of the validation suite (cases.ts): fitting targets, validation cases, what a case's
 * measurement returns and what the suite reports per case. Data only; no model runs here.
 */

/** Where a number or statement was published. */
export interface Source {
  /** the publication: a paper, a tutorial, a facts file, a repository */
  citation: string;
  /** where in it: table, section, file and line */
  where: string;
}

/**
 * A published number that was used to SET a constant of the model. It is listed so that it can
 * never also be a validation case (the model reproduces it by construction).
 */
export interface FittingTarget {
  id: string;
  /** the measured or documented quantity, a key shared with ValidationCase.quantity */
  quantity: string;
  source: Source;
  /** the published figure as written, e.g. "4.19 MB/s (546 cycles per 4-byte read)" */
  value: string;
  /** the constant(s) it sets, with the file that holds them */
  sets: string[];
}

/** How a case's published figure is compared with the model. */
export type Check =
  /** the model's number must lie within `relTol` of `value` (|model/value - 1| <= relTol) */
  | { kind: "within"; value: number; unit: string; relTol: number; rule: string }
  /** a qualitative relation, decided by the case's measure() (Observation.holds) */
  | { kind: "relation"; statement: string; rule: string };

/** What measure() returns. */
export interface Observation {
  /** the model's figure (for a relation: the figure the relation is decided on) */
  model: number;
  /** for a relation: the figure it is compared with (a threshold or the published value) */
  reference?: number;
  /** for a relation: does it hold on the model */
  holds?: boolean;
  /** the model's figure as shown in the table when a bare number would not say what it is ("13 cores") */
  shown?: string;
  /** the runs behind the figure, e.g. "T(3)=2.77 s T(8)=1.42 s T(16)=1.36 s" */
  detail: string;
}

export interface ValidationCase {
  id: string;
  title: string;
  /** the measured or documented quantity (see FittingTarget.quantity) */
  quantity: string;
  source: Source;
  /** the published statement, quoted or summarised */
  published: string;
  /** what runs on the model: program (unchanged), cores, parameters changed and why */
  method: string;
  check: Check;
  measure(): Observation;
}

/** The expected outcome of a case today: it passes, or it is a known failure with the reason. */
export type Expectation = "pass" | { knownFailure: string };

/**
 * PASS: expected to pass and passes. FAIL: expected to pass and fails (unexpected).
 * XFAIL: a known failure that still fails. XPASS: a known failure that now passes (unexpected:
 * re-mark it). ERROR: the measurement itself failed (unexpected).
 */
export type Status = "PASS" | "FAIL" | "XFAIL" | "XPASS" | "ERROR";

export interface ResultRow {
  id: string;
  title: string;
  /** the model's figure, formatted */
  model: string;
  /** the published figure or relation, formatted */
  published: string;
  /** model / published (or / threshold), or null when there is no such ratio */
  ratio: number | null;
  holds: boolean;
  status: Status;
  /** the runs behind it; for ERROR the error */
  detail: string;
  /** the known-failure reason, when there is one */
  reason: string | null;
}

/** Statuses that make `epython validate` exit 1. */
export function unexpected(s: Status): boolean {
  return s === "FAIL" || s === "XPASS" || s === "ERROR";
}
