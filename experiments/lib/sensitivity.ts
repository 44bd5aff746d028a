/**
 * Sensitivity of a study's conclusions to the uncertain cost constants: the grid is run at the
 * central model and with each group of uncertain constants (RunConfig.costScales, the registry in
 * src/runtime/cost-registry.ts) at the low and at the high end of its range, the other groups
 * central. Each conclusion the study draws is evaluated on every run; the report gives its range
 * across the band and whether it holds everywhere, and the main plot is drawn with the band.
 * Pure: rows in, files out; same rows, same bytes.
 */
import { COST_GROUPS, type CostGroup, type CostScales, GROUP_RANGES } from "../../src/index.js";
import { type Chart, type Panel, renderChart } from "./plot.js";
import type { Artifact } from "./report.js";
import { type AnyStudy, type Column, type Conclusion, type Row, TEXT } from "./study.js";
import { toCsv } from "./table.js";

/** One run of the grid: the central model or one group at one end of its range. */
export interface Variant {
  /** `central` or `GROUP-low` / `GROUP-high` */
  id: string;
  group: CostGroup | null;
  end: "low" | "high" | null;
  factor: number;
  scales: CostScales | null;
}

/** The central run first, then each group at its low and at its high end. */
export function sensitivityVariants(): Variant[] {
  const out: Variant[] = [{ id: "central", group: null, end: null, factor: 1, scales: null }];
  for (const group of COST_GROUPS) {
    for (const end of ["low", "high"] as const) {
      const factor = GROUP_RANGES[group][end];
      out.push({ id: `${group}-${end}`, group, end, factor, scales: { [group]: factor } });
    }
  }
  return out;
}

/** What a study without conclusions() gets instead of a table. */
export const NO_CONCLUSIONS = "no conclusions defined";

/** The line `--sensitivity` prints for a study without conclusions() (and then runs nothing). */
export function noConclusionsLine(study: AnyStudy): string {
  return `${study.name}: ${NO_CONCLUSIONS}; nothing to compare across the band (no sensitivity run)`;
}

/** One conclusion across the band. */
export interface ConclusionRange {
  id: string;
  text: string;
  kind: "category" | "number";
  unit: string;
  central: string;
  /** the value in each variant's run, formatted; "" when a run does not draw the conclusion */
  values: string[];
  /** the range across the band: min to max, or the distinct categories */
  range: string;
  /** true/false for a claim; null for a quantity (a number without `holds`) */
  holds: boolean | null;
  /** variants whose run does not support the claim */
  brokenBy: string[];
}

function format(c: Conclusion, v: number | string): string {
  if (typeof v === "string") return v;
  const s = v.toFixed(c.digits ?? 2);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** Evaluate the study's conclusions on every variant's rows (central first); null without conclusions(). */
export function compareConclusions(study: AnyStudy, variants: readonly Variant[], rowsByVariant: readonly (readonly Row[])[]): ConclusionRange[] | null {
  if (!study.conclusions) return null;
  if (rowsByVariant.length !== variants.length) throw new Error(`${study.name}: ${rowsByVariant.length} runs for ${variants.length} variants`);
  const central = study.conclusions(rowsByVariant[0]!);
  const byRun = rowsByVariant.map((rows) => new Map(study.conclusions!(rows).map((c) => [c.id, c])));
  return central.map((c) => {
    const raw = byRun.map((m) => m.get(c.id)?.value ?? null);
    const holds = c.holds ?? (c.kind === "category" ? (v: number | string) => v === c.value : null);
    const brokenBy = holds === null ? [] : variants.filter((_, i) => raw[i] === null || !holds(raw[i]!)).map((v) => v.id);
    const present = raw.filter((v): v is number | string => v !== null);
    let range: string;
    if (c.kind === "number") {
      const nums = present.filter((v): v is number => typeof v === "number");
      range = `${format(c, Math.min(...nums))} to ${format(c, Math.max(...nums))}`;
    } else range = [...new Set(present.map((v) => format(c, v)))].join(", ");
    return {
      id: c.id,
      text: c.text,
      kind: c.kind,
      unit: c.unit ?? "",
      central: format(c, c.value),
      values: raw.map((v) => (v === null ? "" : format(c, v))),
      range,
      holds: holds === null ? null : brokenBy.length === 0,
      brokenBy,
    };
  });
}

const holdsText = (r: ConclusionRange) => (r.holds === null ? "(a quantity)" : r.holds ? "yes" : "no");
const withUnit = (s: string, r: ConclusionRange) => (r.unit && s !== "" ? `${s} ${r.unit}` : s);

/** The table printed on stdout and in the report: conclusion, central, range, holds, broken by. */
export function conclusionTable(ranges: readonly ConclusionRange[], withText: boolean): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const head = withText ? "| conclusion | statement | central | range across the band | holds across the band | broken by |" : "| conclusion | central | range across the band | holds | broken by |";
  const lines = [head, withText ? "| --- | --- | ---: | --- | --- | --- |" : "| --- | ---: | --- | --- | --- |"];
  for (const r of ranges) {
    const cells = [r.id, ...(withText ? [r.text] : []), withUnit(r.central, r), withUnit(r.range, r), holdsText(r), r.brokenBy.join(", ")];
    lines.push(`| ${cells.map(esc).join(" | ")} |`);
  }
  return lines.join("\n") + "\n";
}

/** One sentence: which claims hold across the band and which do not. */
export function verdict(ranges: readonly ConclusionRange[]): string {
  const claims = ranges.filter((r) => r.holds !== null);
  const broken = claims.filter((r) => r.holds === false);
  const quantities = ranges.length - claims.length;
  const q = quantities > 0 ? ` ${quantities} quantit${quantities === 1 ? "y is" : "ies are"} reported as ranges only.` : "";
  if (claims.length === 0) return `No conclusion is a claim that could fail;${q}`;
  if (broken.length === 0) return `All ${claims.length} claims hold across the band.${q}`;
  return (
    `${claims.length - broken.length} of ${claims.length} claims hold across the band; these do not: ` +
    broken.map((r) => `${r.id} (broken by ${r.brokenBy.join(", ")})`).join("; ") +
    `.${q}`
  );
}

/**
 * The central chart with a band: each line's points get [min, max] over the variants' charts at
 * the same panel, series and x; each bar gets a whisker over its top. Charts must come from the
 * same grid (the study's mainChart on each run's rows).
 */
export function bandChart(charts: readonly Chart[]): Chart {
  const [central, ...rest] = charts;
  if (!central) throw new Error("bandChart: no charts");
  const panels: Panel[] = central.panels.map((p, pi) => {
    if (p.kind === "line") {
      return {
        ...p,
        series: p.series.map((s, si) => {
          if (s.dashed) return s;
          const band = s.points.map(([x, y]): [number, number, number] => {
            const ys = [y];
            for (const c of rest) {
              const q = c.panels[pi];
              const hit = q?.kind === "line" ? q.series[si]?.points.find((pt) => pt[0] === x) : undefined;
              if (hit && Number.isFinite(hit[1])) ys.push(hit[1]);
            }
            return [x, Math.min(...ys), Math.max(...ys)];
          });
          return { ...s, band };
        }),
      };
    }
    return {
      ...p,
      categories: p.categories.map((cat, ci) => {
        const tops = [cat.segments.reduce((a, b) => a + b, 0)];
        for (const c of rest) {
          const q = c.panels[pi];
          const other = q?.kind === "bar" ? q.categories[ci] : undefined;
          if (other && other.label === cat.label) tops.push(other.segments.reduce((a, b) => a + b, 0));
        }
        return { ...cat, range: [Math.min(...tops), Math.max(...tops)] as [number, number] };
      }),
    };
  });
  return { ...central, title: `${central.title} (band: all sensitivity runs)`, panels };
}

const CSV_COLUMNS: Column[] = ["conclusion", "variant", "group", "end", "factor", "value", "holds"].map((key) => ({ key, format: TEXT, doc: key }));

export function sensitivityCommand(study: AnyStudy, quick: boolean): string {
  return `npx epython experiment ${study.name}${quick ? " --quick" : ""} --sensitivity`;
}

/** The files of a sensitivity run: NAME-sensitivity.csv, .md and the band plot. */
export function sensitivityArtifacts(study: AnyStudy, quick: boolean, variants: readonly Variant[], rowsByVariant: readonly (readonly Row[])[]): Artifact[] {
  const base = `${study.name}-sensitivity`;
  const ranges = compareConclusions(study, variants, rowsByVariant);
  const csvRows: Row[] = [];
  for (const r of ranges ?? []) {
    variants.forEach((v, i) => {
      const holds = r.holds === null ? "" : r.brokenBy.includes(v.id) ? "no" : "yes";
      csvRows.push({ conclusion: r.id, variant: v.id, group: v.group ?? "", end: v.end ?? "", factor: v.factor.toFixed(2), value: r.values[i]!, holds });
    });
  }
  const files: Artifact[] = [];
  let plotLine: string[] = [];
  if (study.mainChart) {
    const specs = rowsByVariant.map((rows) => study.mainChart!(rows));
    const file = `${base}-${specs[0]!.id}.svg`;
    files.push({ name: file, text: renderChart(bandChart(specs.map((s) => s.chart))) });
    plotLine = [`![${specs[0]!.title}, with the band of all runs](${file})`, "", "Lines: the central model; shaded bands and whiskers: the smallest to the largest value over all runs.", ""];
  }
  const points = rowsByVariant[0]!.length;
  const md = [
    `# Sensitivity: ${study.title}`,
    "",
    `Grid: ${quick ? "quick" : "full"}, ${points} points, run ${variants.length} times: the central model, then each group of uncertain cost constants ` +
      `at the low and at the high end of its range with the others central. Made by \`${sensitivityCommand(study, quick)}\`; every time is simulated. ` +
      `Data: [${base}.csv](${base}.csv); the central run's report: [${study.name}.md](${study.name}.md).`,
    "",
    "| group | low | high | why |",
    "| --- | ---: | ---: | --- |",
    ...COST_GROUPS.map((g) => `| ${g} | ${GROUP_RANGES[g].low.toFixed(2)} | ${GROUP_RANGES[g].high.toFixed(2)} | ${GROUP_RANGES[g].why} |`),
    "",
    "Each constant, its status and its range: `COST_REGISTRY` in src/runtime/cost-registry.ts.",
    "",
    "## Conclusions across the band",
    "",
    ...(ranges === null
      ? [`${study.name}: ${NO_CONCLUSIONS}, so there is nothing to compare across the band.`, ""]
      : [
          verdict(ranges),
          "",
          conclusionTable(ranges, true).trimEnd(),
          "",
          "A category holds when every run gives the central value; a number holds when every run's value still supports the statement; " +
            "a quantity has no statement to break, only a range.",
          "",
          ...plotLine,
          "## Every run",
          "",
          `| conclusion | ${variants.map((v) => v.id).join(" | ")} |`,
          `| --- | ${variants.map(() => "---:").join(" | ")} |`,
          ...ranges.map((r) => `| ${r.id} | ${r.values.join(" | ")} |`),
          "",
        ]),
  ].join("\n");
  return [{ name: `${base}.csv`, text: toCsv(csvRows, CSV_COLUMNS) }, ...files, { name: `${base}.md`, text: md }];
}
