/**
 * Deterministic text for results: one formatter per column, CSV and Markdown tables.
 * Number.prototype.toFixed is exact for a given double, so the same rows give the same bytes.
 */
import type { Column, Format, Row, Value } from "./study.js";

export function formatValue(v: Value, f: Format, column: string): string {
  if (v === null) return "";
  if (f.kind === "text") return String(v);
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`column ${column}: expected a finite number, got ${String(v)}`);
  if (f.kind === "int") {
    if (!Number.isInteger(v)) throw new Error(`column ${column}: expected an integer, got ${v}`);
    return String(v === 0 ? 0 : v); // -0 prints as 0
  }
  const s = v.toFixed(f.digits);
  // a tiny negative rounds to "-0.00": same cell as 0
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

export function formatRow(row: Row, columns: readonly Column[]): string[] {
  return columns.map((c) => {
    if (!(c.key in row)) throw new Error(`row has no value for column ${c.key}`);
    return formatValue(row[c.key]!, c.format, c.key);
  });
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header line of column keys; rows in the order given; LF line ends. */
export function toCsv(rows: readonly Row[], columns: readonly Column[]): string {
  const lines = [columns.map((c) => csvCell(c.key)).join(",")];
  for (const r of rows) lines.push(formatRow(r, columns).map(csvCell).join(","));
  return lines.join("\n") + "\n";
}

export function toMarkdownTable(rows: readonly Row[], columns: readonly Column[]): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const numeric = columns.map((c) => c.format.kind !== "text");
  const lines = [
    `| ${columns.map((c) => esc(c.key)).join(" | ")} |`,
    `| ${numeric.map((n) => (n ? "---:" : "---")).join(" | ")} |`,
  ];
  for (const r of rows) lines.push(`| ${formatRow(r, columns).map(esc).join(" | ")} |`);
  return lines.join("\n") + "\n";
}

/** Parse a CSV this module wrote (no quoted fields needed by our columns; quotes are handled). */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const records: string[][] = [];
  let field = "";
  let rec: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      rec.push(field);
      field = "";
    } else if (ch === "\n") {
      rec.push(field);
      records.push(rec);
      rec = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || rec.length > 0) {
    rec.push(field);
    records.push(rec);
  }
  const [header = [], ...rows] = records;
  return { header, rows };
}
