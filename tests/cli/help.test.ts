/** Every way of asking for help or the version prints it on stdout, nothing on stderr, and exits 0. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runEpython } from "../helpers/cli.js";

const COMMANDS = ["calibrate", "replay", "diff", "export", "view", "experiment", "validate", "python"];

function ok(args: string[]): string {
  const r = runEpython(args, { timeoutMs: 30_000 });
  expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: "" });
  return r.stdout;
}

describe("help", () => {
  it("epython --help, -help, -HELP, help and help help print the usage, which lists every command", () => {
    const usage = ok(["--help"]);
    expect(usage).toMatch(/^epython-sim: ePython on a simulated Adapteva Epiphany\n/);
    expect(usage).toContain("usage: epython [flags] FILE.py");
    for (const c of COMMANDS) expect(usage).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    expect(usage).toContain("epython help [COMMAND]");
    expect(usage).toContain("epython --version");
    for (const args of [["-help"], ["-HELP"], ["help"], ["help", "help"], ["help", "--help"]]) expect(ok(args)).toBe(usage);
  });

  it("the run flags' help wins over a file name and other flags", () => {
    const usage = ok(["--help"]);
    expect(ok(["-d", "4", "--help", "nowhere.py"])).toBe(usage);
  });

  it("every command answers --help, -help and -h, and `help COMMAND` prints the same", () => {
    for (const c of COMMANDS) {
      const text = ok([c, "--help"]);
      expect(text).toMatch(new RegExp(`^usage: epython ${c}\\b`));
      expect(ok([c, "-help"])).toBe(text);
      expect(ok([c, "-h"])).toBe(text);
      expect(ok(["help", c])).toBe(text);
    }
  });

  it("a command's --help wins over its other arguments (nothing is read or run)", () => {
    expect(ok(["view", "missing.trace", "--help"])).toMatch(/^usage: epython view /);
    expect(ok(["export", "--format", "perfetto", "missing.trace", "--help"])).toMatch(/^usage: epython export /);
    expect(ok(["calibrate", "--chip", "e64", "--help"])).toMatch(/^usage: epython calibrate /);
  });

  it("help for a command that does not exist, or for two, is a usage error (exit 2)", () => {
    const r = runEpython(["help", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("there is no command 'nope'");
    expect(r.stderr).toContain(COMMANDS.join(", "));
    expect(runEpython(["help", "view", "diff"]).code).toBe(2);
  });

  it("a missing file and an unknown flag point to epython --help (npx passes it on without the warning it gives for -help)", () => {
    expect(runEpython([]).stderr).toContain("see epython --help");
    expect(runEpython(["--nope", "x.py"]).stderr).toContain("see epython --help");
  });
});

describe("version", () => {
  it("--version, -V and -v print package.json's version and the Node version", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const text = ok(["--version"]);
    expect(text).toBe(`epython-sim ${pkg.version} (Node ${process.versions.node})\n`);
    expect(ok(["-V"])).toBe(text);
    expect(ok(["-v"])).toBe(text);
  });
});
