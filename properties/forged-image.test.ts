/**
 * Forged byte-code images (`epython -l FILE`): images of real programs with field-aware damage
 * (a count, length, index or flag of the format set to a boundary or a huge value, bytes cut off,
 * put in or taken out at a field's edge, a byte changed anywhere). decodeImage must refuse each
 * damaged one with an ImageFormatError that says where, never throw anything else, and never
 * allocate more than a small multiple of the file's size (a count of 2^31 is refused before
 * anything is made for it); an image it accepts must be well formed, and disassembling and
 * running it must not throw (a run may fail, as a program does: that is a reported error).
 * The built CLI gives such files exit status 2 with the message, never a stack trace or 70.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { compileProgram, DEFAULT_CONFIG, decodeImage, encodeImage, type ProgramImage, simulate } from "../src/index.js";
import { disassemble } from "../src/lang/disasm.js";
import { ImageFormatError } from "../src/lang/image.js";
import { MemoryMapError } from "../src/machine/memory-map.js";
import { runEpython } from "../tests/helpers/cli.js";
import { params } from "./config.js";
import { resolver } from "./harness.js";

const PROGRAMS = [
  `def f(a, b):\n    c = a * b\n    return c + 1\nx = [1, 2, 3]\ns = "abc"\nfor i in x:\n    print(f(i, 2))\nprint(s)\n`,
  `def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\nprint(fact(5))\nfrom parallel import *\nprint("héllo " + str(coreid()))\n`,
  `from array import *\na = array(10)\ni = 0\nwhile i < 10:\n    a[i] = i * i\n    i += 1\nprint(a[3])\n`,
  `print(1)\n`,
];
const BASES: Uint8Array[] = PROGRAMS.map((src, i) => encodeImage(compileProgram(src, `p${i}.py`, resolver).image));

type Role = "magic" | "version" | "count" | "length" | "index" | "flag" | "value";
interface Field {
  at: number;
  role: Role;
  what: string;
}

/** The u32 fields of an encoded image, in order: the test's own reading of the format. */
function fieldsOf(b: Uint8Array): Field[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fields: Field[] = [];
  let o = 0;
  const u32 = (role: Role, what: string) => {
    fields.push({ at: o, role, what });
    const v = dv.getUint32(o, true);
    o += 4;
    return v;
  };
  const str = (what: string) => {
    const n = u32("length", what);
    o += n;
  };
  u32("magic", "magic");
  u32("version", "version");
  str("code");
  const ns = u32("count", "strings");
  for (let i = 0; i < ns; i++) str(`string ${i}`);
  const nf = u32("count", "functions");
  for (let i = 0; i < nf; i++) {
    str(`function ${i} name`);
    u32("index", `function ${i} entry`);
    const np = u32("count", `function ${i} parameters`);
    u32("count", `function ${i} frame slots`);
    u32("flag", `function ${i} recursive`);
    for (let p = 0; p < np; p++) str(`function ${i} parameter ${p}`);
  }
  u32("count", "globals");
  const nl = u32("count", "line numbers");
  for (let i = 0; i < nl; i++) u32(i % 3 === 2 ? "value" : "index", `line table ${i}`);
  const nfiles = u32("count", "files");
  for (let i = 0; i < nfiles; i++) str(`file ${i}`);
  const ng = u32("count", "global names");
  for (let i = 0; i < ng; i++) str(`global name ${i}`);
  if (o !== b.length) throw new Error(`the test's reading of the format ends at ${o} of ${b.length}`);
  return fields;
}

const FIELDS = BASES.map(fieldsOf);

type Mutation =
  | { k: "set"; field: number; value: number; delta: number; mode: "value" | "delta" }
  | { k: "truncate"; at: number }
  | { k: "insert"; field: number; bytes: number[] }
  | { k: "delete"; field: number; n: number }
  | { k: "byte"; at: number; value: number };

const BOUNDARY = [0, 1, 2, 3, 4, 255, 256, 0xffff, 0x10000, 0x10001, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, 1 << 28, 1 << 30];
const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant("set" as const),
      field: fraction,
      value: fc.oneof(fc.constantFrom(...BOUNDARY), fc.nat({ max: 0xffffffff })),
      delta: fc.integer({ min: -3, max: 3 }),
      mode: fc.constantFrom("value" as const, "delta" as const),
    }) as fc.Arbitrary<Mutation>,
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("truncate" as const), at: fraction }) as fc.Arbitrary<Mutation> },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("insert" as const), field: fraction, bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 8 }) }) as fc.Arbitrary<Mutation> },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("delete" as const), field: fraction, n: fc.integer({ min: 1, max: 8 }) }) as fc.Arbitrary<Mutation> },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("byte" as const), at: fraction, value: fc.nat(255) }) as fc.Arbitrary<Mutation> },
);

/** Apply mutations to a copy of base image `i` (fields are those of the undamaged image). */
function forge(i: number, ms: readonly Mutation[]): Uint8Array {
  let b = Uint8Array.from(BASES[i]!);
  const fields = FIELDS[i]!;
  const pick = (f: number) => fields[Math.floor(f * fields.length)]!;
  for (const m of ms) {
    if (m.k === "set") {
      const f = pick(m.field);
      if (f.at + 4 > b.length) continue;
      const dv = new DataView(b.buffer);
      const v = m.mode === "value" ? m.value : dv.getUint32(f.at, true) + m.delta;
      dv.setUint32(f.at, v >>> 0, true);
    } else if (m.k === "truncate") b = b.slice(0, Math.floor(m.at * b.length));
    else if (m.k === "insert") {
      const at = Math.min(pick(m.field).at, b.length);
      b = Uint8Array.from([...b.slice(0, at), ...m.bytes, ...b.slice(at)]);
    } else if (m.k === "delete") {
      const at = Math.min(pick(m.field).at, b.length);
      b = Uint8Array.from([...b.slice(0, at), ...b.slice(at + m.n)]);
    } else if (b.length > 0) b[Math.floor(m.at * b.length)] = m.value;
  }
  return b;
}

/** What an accepted image must satisfy: everything it names exists, and it is no bigger than its file. */
function checkWellFormed(img: ProgramImage, fileBytes: number): void {
  expect(img.code.length).toBeLessThanOrEqual(0xffff);
  expect(img.strings.length).toBeLessThanOrEqual(0x10000);
  expect(img.nglobals).toBe(img.globalNames.length);
  for (const f of img.functions) {
    expect(f.entry).toBeLessThan(img.code.length);
    expect(f.params.length).toBe(f.nparams);
    expect(f.nparams).toBeLessThanOrEqual(f.nlocals);
    expect(f.nlocals).toBeLessThanOrEqual(255);
  }
  expect(img.lines.length % 3).toBe(0);
  for (let i = 0; i < img.lines.length; i += 3) {
    expect(img.lines[i]!).toBeLessThan(Math.max(1, img.code.length));
    if (i > 0) expect(img.lines[i]!).toBeGreaterThanOrEqual(img.lines[i - 3]!);
    expect(img.lines[i + 1]!).toBeLessThan(Math.max(1, img.files.length));
    expect(img.lines[i + 2]!).toBeGreaterThanOrEqual(0);
  }
  const stored = img.code.length + img.lines.length * 4 + [...img.strings, ...img.files, ...img.globalNames, ...img.functions.flatMap((f) => [f.name, ...f.params])].reduce((a, s) => a + s.length, 0);
  expect(stored).toBeLessThanOrEqual(fileBytes);
}

/** Bytes held by ArrayBuffers now (what a typed array sized by a forged count would show in). */
const buffers = () => process.memoryUsage().arrayBuffers;

describe("forged byte-code images", () => {
  it("the test reads the format as the encoder writes it, and every base image decodes back", () => {
    for (const b of BASES) expect(encodeImage(decodeImage(b))).toEqual(b);
  });

  it("a count of 2^31 string constants is refused by name before anything is made for it", () => {
    const b = forge(0, [{ k: "set", field: FIELDS[0]!.findIndex((f) => f.what === "strings") / FIELDS[0]!.length, value: 2 ** 31, delta: 0, mode: "value" }]);
    expect(() => decodeImage(b)).toThrow(ImageFormatError);
    expect(() => decodeImage(b)).toThrow(/^byte-code file is damaged at byte \d+: it says there are 2147483648 string constants; there can be at most 65536$/);
    const lines = FIELDS[0]!.findIndex((f) => f.what === "line numbers") / FIELDS[0]!.length;
    const before = buffers();
    expect(() => decodeImage(forge(0, [{ k: "set", field: lines, value: 1 << 28, delta: 0, mode: "value" }]))).toThrow(/it says there are 268435456 line-table numbers, but only \d+ bytes follow/);
    expect(buffers() - before).toBeLessThan(1 << 20);
  });

  it("damaged images are refused with an ImageFormatError saying where, accepted ones are well formed and run", () => {
    let refused = 0;
    let tried = 0;
    fc.assert(
      fc.property(fc.nat(BASES.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (i, ms) => {
        tried++;
        const b = forge(i, ms);
        const before = buffers();
        let img: ProgramImage | null = null;
        let err: unknown = null;
        try {
          img = decodeImage(b);
        } catch (e) {
          err = e;
        }
        // a small multiple of the file (strings become UTF-16) plus slack for the bookkeeping
        expect(buffers() - before, "bytes allocated while decoding").toBeLessThanOrEqual(8 * b.length + (1 << 20));
        if (img === null) {
          refused++;
          expect(err).toBeInstanceOf(ImageFormatError);
          expect((err as Error).message).toMatch(/^(byte-code file is damaged at byte \d+: |not an epython-sim byte-code file \(|byte-code format version \d+ is not supported)/);
          return;
        }
        checkWellFormed(img, b.length);
        expect(() => disassemble(img)).not.toThrow();
        try {
          simulate(img, { ...DEFAULT_CONFIG, cores: [0, 1], maxSteps: 2000, maxCycles: 2_000_000 }, { output() {}, input: () => null });
        } catch (e) {
          // a program too big for the core is the user's error (exit 1), not ours
          expect(e, String(e)).toBeInstanceOf(MemoryMapError);
        }
      }),
      params(2000),
    );
    // most damage is caught (a changed byte of code or of a name is not damage the format can see)
    expect(refused).toBeGreaterThan(tried / 4);
  });
});

describe("forged byte-code images through the CLI", () => {
  const tmp = mkdtempSync(join(tmpdir(), "epy-forged-image-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const fieldAt = (what: string) => FIELDS[0]!.findIndex((f) => f.what === what) / FIELDS[0]!.length;

  it("exit 2 with the file and the damage named, never a stack trace or an internal error", () => {
    const cases: [string, Mutation[], RegExp][] = [
      ["strings", [{ k: "set", field: fieldAt("strings"), value: 2 ** 31, delta: 0, mode: "value" }], /2147483648 string constants/],
      ["lines", [{ k: "set", field: fieldAt("line numbers"), value: 0xffffffff, delta: 0, mode: "value" }], /4294967295 line-table numbers/],
      ["code", [{ k: "set", field: fieldAt("code"), value: 0x7fffffff, delta: 0, mode: "value" }], /byte code is 2147483647 bytes; programs are at most 65535/],
      ["cut", [{ k: "truncate", at: 0.5 }], /truncated|follow/],
    ];
    for (const [name, ms, says] of cases) {
      const file = join(tmp, `${name}.epyc`);
      writeFileSync(file, forge(0, ms));
      for (const flags of [["-d", "1"], ["--disasm"]]) {
        const r = runEpython([...flags, "-l", file]);
        expect(r.code, `${name} ${flags.join(" ")}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^epython: '${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}': byte-code file is damaged at byte \\d+: `));
        expect(r.stderr).toMatch(says);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at |RangeError|TypeError/);
      }
    }
  });
});
