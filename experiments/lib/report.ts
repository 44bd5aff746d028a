/**
 * The files a finished study produces, as (name, text) pairs; writing them is the caller's job.
 * Nothing here may depend on the wall clock or the machine: same rows, same bytes.
 */
import type { AnyStudy, Row } from "./study.js";
import { toCsv, toMarkdownTable } from "./table.js";

export interface Artifact {
  name: string;
  text: string;
}

/**
 * What the report says about a sensitivity run of the same grid: null when there is none (the
 * report says how to make one); otherwise its verdict (which conclusions hold across the band),
 * or null when only its existence is known.
 */
export type SensitivityNote = { verdict: string | null } | null;

function sensitivityLine(study: AnyStudy, quick: boolean, note: SensitivityNote): string {
  const command = `npx epython experiment ${study.name}${quick ? " --quick" : ""} --sensitivity`;
  const file = `${study.name}-sensitivity.md`;
  if (note === null) {
    return (
      `Sensitivity: none run for this grid yet. \`${command}\` reruns it with each group of uncertain cost constants ` +
      `at the ends of its range and writes ${file}: which of the conclusions below hold across that band.`
    );
  }
  return `Sensitivity to the uncertain cost constants: [${file}](${file}) (\`${command}\`).${note.verdict === null ? "" : ` ${note.verdict}`}`;
}

export function studyArtifacts(study: AnyStudy, quick: boolean, rows: readonly Row[], sensitivity: SensitivityNote = null): Artifact[] {
  const csvName = `${study.name}.csv`;
  const plots = study.plots(rows).map((p) => ({ ...p, file: `${study.name}-${p.id}.svg` }));
  const grid = quick ? "quick" : "full";
  const command = `npx epython experiment ${study.name}${quick ? " --quick" : ""}`;
  const md = [
    `# ${study.title}`,
    "",
    study.question,
    "",
    `Grid: ${grid}, ${rows.length} points; simulation seed ${study.seed}. Made by \`${command}\`; ` +
      `every time is simulated (cycles of the modelled chip), none is measured on this computer. ` +
      `Data: [${csvName}](${csvName}).`,
    "",
    ...plots.flatMap((p) => [`![${p.title}](${p.file})`, ""]),
    study.explain(rows).trim(),
    "",
    sensitivityLine(study, quick, sensitivity),
    "",
    "## Results",
    "",
    toMarkdownTable(rows, study.columns).trimEnd(),
    "",
    "## Columns",
    "",
    ...study.columns.map((c) => `- \`${c.key}\`: ${c.doc}`),
    "",
  ].join("\n");
  return [{ name: csvName, text: toCsv(rows, study.columns) }, ...plots.map((p) => ({ name: p.file, text: p.svg })), { name: `${study.name}.md`, text: md }];
}
