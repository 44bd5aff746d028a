/**
 * `epython validate [--case ID ...] [--list] [--json]`: the validation suite of published
 * measurements (experiments/validation). Prints model vs published, the ratio and the result of
 * every case; exits 0 when every result is the expected one (passes and known failures), 1 on an
 * unexpected one (FAIL, XPASS, ERROR), 2 on a bad command line.
 */
import { Effect } from "effect";
import { FITTING_TARGETS, VALIDATION_CASES } from "../../experiments/validation/cases.js";
import { expectationOf, formatRows, runValidation, selectCases, summarise } from "../../experiments/validation/run.js";
import { type CliError, ProgramError, UsageError } from "./errors.js";
import type { Out } from "./out.js";

export const VALIDATE_USAGE = `usage: epython validate [--case ID ...] [--json]
       epython validate --list

Runs the validation suite: published measurements and statements (the
hardware facts not used to set the model's constants, ePython's tutorials
2-4 on their original programs) against the model. Prints model, published,
ratio and result per case. Results: PASS; XFAIL, a known failure (with its
reason) that still fails; FAIL, XPASS (a known failure now passing) and
ERROR are unexpected and make the exit code 1.

  --case ID  run only this case (repeatable)
  --json     the rows as JSON instead of the table
  --list     list the cases and the fitting targets (numbers that set
             constants, which are therefore not cases), without running`;

interface ValidateArgs {
  ids: string[];
  json: boolean;
  list: boolean;
  help: boolean;
}

function parse(argv: readonly string[]): ValidateArgs | UsageError {
  const a: ValidateArgs = { ids: [], json: false, list: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") a.json = true;
    else if (arg === "--list") a.list = true;
    else if (arg === "--help" || arg === "-help" || arg === "-h") a.help = true;
    else if (arg === "--case") {
      const v = argv[++i];
      if (v === undefined || v.startsWith("-")) return new UsageError({ message: "validate: --case needs a case id (see epython validate --list)" });
      a.ids.push(v);
    } else return new UsageError({ message: `validate: unknown argument '${arg}'\n${VALIDATE_USAGE}` });
  }
  if (a.list && (a.ids.length > 0 || a.json)) return new UsageError({ message: "validate: --list can not be combined with --case or --json" });
  return a;
}

function listing(): string {
  const lines = ["Validation cases (published figures the model was not fitted to):"];
  for (const c of VALIDATION_CASES) {
    const e = expectationOf(c.id);
    lines.push(`  ${c.id}  ${c.title}${e === "pass" ? "" : "  [known failure]"}`);
    lines.push(`      published: ${c.published}`);
    lines.push(`      source: ${c.source.citation}; ${c.source.where}`);
  }
  lines.push("", "Fitting targets (they set constants of the model, so they are not validation cases):");
  for (const t of FITTING_TARGETS) {
    lines.push(`  ${t.id}  ${t.value}`);
    lines.push(`      sets: ${t.sets.join(", ")}`);
    lines.push(`      source: ${t.source.citation}; ${t.source.where}`);
  }
  return lines.join("\n");
}

export const validateCommand = (argv: readonly string[], out: Out): Effect.Effect<void, CliError> =>
  Effect.gen(function* () {
    const args = parse(argv);
    if (args instanceof UsageError) return yield* args;
    if (args.help) return out.line(VALIDATE_USAGE);
    if (args.list) return out.line(listing());
    yield* Effect.try({ try: () => selectCases(args.ids), catch: (e) => new UsageError({ message: `validate: ${(e as Error).message}` }) });
    const rows = runValidation(args.ids);
    const summary = summarise(rows);
    out.line(args.json ? JSON.stringify({ rows, counts: summary.counts, ok: summary.ok }, null, 2) : formatRows(rows));
    if (!summary.ok) {
      const bad = rows.filter((r) => r.status === "FAIL" || r.status === "XPASS" || r.status === "ERROR").map((r) => `${r.id} ${r.status}`);
      return yield* new ProgramError({ message: `epython validate: unexpected result${bad.length > 1 ? "s" : ""}: ${bad.join(", ")}` });
    }
  });
