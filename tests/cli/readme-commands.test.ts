/**
 * The README's commands and `epython --help` agree with what the CLI accepts: every `npx epython`
 * line of the README parses (a run's flags) or names a command and flags its --help lists, and
 * every flag the run parser takes is in the usage, and the other way round.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Effect, Exit } from "effect";
import { describe, expect, it } from "vitest";
import { parseRunArgs, RUN_FLAGS, RUN_VALUE_FLAGS, USAGE } from "../../src/cli/args.js";
import { ROOT, runEpython } from "../helpers/cli.js";

const COMMANDS = ["calibrate", "replay", "diff", "export", "view", "experiment", "validate", "python", "help"];
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

/** The argument lists of the README's `npx epython ...` commands in code blocks (comments and prompts off, `&&` split). */
function readmeCommands(): string[][] {
  const blocks = [...readme.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const commands: string[][] = [];
  for (const line of blocks.flatMap((b) => b.split("\n"))) {
    const text = line.replace(/^\$ /, "").replace(/\s#.*$/, "").trim();
    if (!text.startsWith("npx epython")) continue;
    for (const part of text.split("&&")) {
      const words = part.trim().split(/\s+/);
      expect(words.slice(0, 2)).toEqual(["npx", "epython"]);
      commands.push(words.slice(2));
    }
  }
  return commands;
}

/** The run's flags the usage names: the flag sections' first column and aliases, and --version / -V. */
function usageFlags(): Set<string> {
  const flags = new Set<string>();
  const sections = USAGE.slice(USAGE.indexOf("ePython's flags:"));
  for (const m of sections.matchAll(/(?:^ {2}|, |also )(--?[a-zA-Z][a-zA-Z-]*)/gm)) flags.add(m[1]!.toLowerCase());
  const synopsis = USAGE.slice(0, USAGE.indexOf("commands:"));
  for (const m of synopsis.matchAll(/(?:epython |also )(--?[a-zA-Z][a-zA-Z-]*)/g)) flags.add(m[1]!.toLowerCase());
  return flags;
}

/** Whether `text` names `flag` as a word of its own. */
const names = (text: string, flag: string) => new RegExp(`(^|[\\s\\[(,|])${flag.replace(/-/g, "\\-")}(?![a-zA-Z-])`, "m").test(text);

const helpOf = new Map<string, string>();
function commandHelp(command: string): string {
  if (!helpOf.has(command)) {
    const r = runEpython([command, "--help"], { timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    helpOf.set(command, r.stdout);
  }
  return helpOf.get(command)!;
}

describe("the README's commands", () => {
  const commands = readmeCommands();

  it("are found (the README has its examples in code blocks)", () => {
    expect(commands.length).toBeGreaterThan(20);
  });

  it("of runs parse with the run's flags", () => {
    const runs = commands.filter((c) => !COMMANDS.includes(c[0]!));
    expect(runs.length).toBeGreaterThan(5);
    for (const argv of runs) {
      const exit = Effect.runSyncExit(parseRunArgs(argv));
      expect({ argv, ok: Exit.isSuccess(exit) }).toEqual({ argv, ok: true });
    }
  });

  it("of commands name a command and only flags its --help lists", () => {
    for (const argv of commands.filter((c) => COMMANDS.includes(c[0]!) && c[0] !== "help")) {
      const help = commandHelp(argv[0]!);
      for (const flag of argv.slice(1).filter((a) => a.startsWith("-"))) expect({ argv, flag, listed: names(help, flag) }).toEqual({ argv, flag, listed: true });
    }
  });

  it("and the flags and commands named in its prose are real", () => {
    const everyHelp = [USAGE, ...COMMANDS.filter((c) => c !== "help").map(commandHelp)].join("\n");
    // `--chip`, `-help`, `--reduce epython|tree|ring` ... in backquotes
    for (const m of readme.matchAll(/`(--?[a-zA-Z][a-zA-Z-]*)(?: [^`]*)?`/g)) {
      const flag = m[1]!;
      expect({ flag, known: names(everyHelp, flag) }).toEqual({ flag, known: true });
    }
    for (const m of readme.matchAll(/`npx epython ([a-z]+)/g)) expect(COMMANDS).toContain(m[1]!);
  });
});

describe("epython --help", () => {
  it("names every flag the run parser takes", () => {
    const usage = usageFlags();
    for (const flag of RUN_FLAGS) expect({ flag, listed: usage.has(flag) }).toEqual({ flag, listed: true });
  });

  it("lists no flag the run parser refuses", () => {
    const values: Record<string, string> = { "-d": "1", "-h": "1", "-c": "1", "-o": "x.epyc", "-l": "x.epyc", "--chip": "e16", "--reduce": "tree", "--barrier": "wand", "--seed": "1", "--max-steps": "1", "--max-cycles": "1", "--trace": "x.trace" };
    for (const flag of usageFlags()) {
      const argv = RUN_VALUE_FLAGS.includes(flag) ? [flag, values[flag]!] : [flag];
      const exit = Effect.runSyncExit(parseRunArgs(argv));
      expect({ flag, ok: Exit.isSuccess(exit) }).toEqual({ flag, ok: true });
    }
  });

  it("lists every command the CLI dispatches, each with a --help of its own", () => {
    for (const c of COMMANDS.filter((c) => c !== "help")) {
      expect(USAGE).toMatch(new RegExp(`^  ${c}\\b`, "m"));
      expect(commandHelp(c)).toMatch(new RegExp(`^usage: epython ${c}\\b`));
    }
  });
});
