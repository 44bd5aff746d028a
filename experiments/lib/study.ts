/**
 * What a study is: a deterministic grid of parameter points, a measurement of one point (run in
 * a worker thread, so it gets only the point and must not depend on anything else), columns
 * derived from the whole grid once every point is measured, and the report (plots, sentences).
 *
 * Running and reporting are separate on purpose: a grid can be measured in slices (worker
 * threads here, Slurm array tasks later), the slices merged by grid index, and only then turned
 * into CSV, plots and Markdown.
 */

import type { Chart } from "./plot.js";

/** A cell: numbers are formatted by the column's format; null is an empty cell. */
export type Value = number | string | null;
export type Row = Record<string, Value>;

/** A grid point's parameters: plain data, so it can cross a worker boundary and be printed. */
export type Params = Record<string, number | string | boolean>;

/**
 * How a column is written. `int` rejects non-integers (a wrong column format should fail loudly,
 * not round silently); `fixed` is a fixed number of decimals; `text` is written as is.
 */
export type Format = { kind: "int" } | { kind: "fixed"; digits: number } | { kind: "text" };

export const INT: Format = { kind: "int" };
export const TEXT: Format = { kind: "text" };
export const fixed = (digits: number): Format => ({ kind: "fixed", digits });

export interface Column {
  key: string;
  format: Format;
  /** one line for the report's column glossary */
  doc: string;
}

/** A plot file of a study: `<study>-<id>.svg` next to the CSV. */
export interface Plot {
  id: string;
  title: string;
  svg: string;
}

export interface Study<P extends Params = Params> {
  name: string;
  title: string;
  /** what the study asks, one or two sentences (README and report) */
  question: string;
  /** seed of the simulated per-core random streams */
  seed: number;
  /** the grid, in a fixed order: a point's index is its position, the same on every run */
  grid(quick: boolean): P[];
  /** measure one point; runs in a worker; columns not produced here come from derive */
  measure(point: P, index: number): Row;
  /** the final rows (same order and length) with columns computed across points, e.g. speedup */
  derive?(rows: readonly Row[], points: readonly P[]): Row[];
  /** rough relative cost of a point, so the runner starts the long ones first (optional) */
  cost?(point: P): number;
  columns: Column[];
  plots(rows: readonly Row[]): Plot[];
  /** 2-3 sentences on what the numbers show, written from the numbers themselves */
  explain(rows: readonly Row[]): string;
  /** what the study concludes, for `--sensitivity` (optional: without it there is nothing to compare) */
  conclusions?(rows: readonly Row[]): Conclusion[];
  /** the study's main plot as a chart, which `--sensitivity` draws with the band of its runs */
  mainChart?(rows: readonly Row[]): ChartSpec;
}

/**
 * One thing a study concludes, as a value a sensitivity run can compare across the band of the
 * uncertain cost constants: an optimum core count, a speed-up, a crossover, a share of time.
 * A category holds across the band when every run gives the central value (unless `holds` says
 * otherwise); a number holds when `holds` accepts every run's value; a number without `holds` is
 * a quantity, not a claim: only its range is reported.
 */
export interface Conclusion {
  /** stable identifier, e.g. `optimum:jacobi100:e16` */
  id: string;
  /** the conclusion in words, as the central run states it */
  text: string;
  value: number | string;
  unit?: string;
  kind: "category" | "number";
  /** does a run's value still support the conclusion? */
  holds?: (value: number | string) => boolean;
  /** decimals when printing a number (default 2) */
  digits?: number;
}

/** A chart of the study drawn from rows, so a sensitivity run can draw it with a band. */
export interface ChartSpec {
  id: string;
  title: string;
  chart: Chart;
}

/** Any study, whatever its parameter type (the registry and the runner do not look inside). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStudy = Study<any>;

/** Describe a grid point for error messages and progress: `program=pi chip=e16 cores=8`. */
export function describePoint(p: Params): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
}
