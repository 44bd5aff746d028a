/**
 * The program image: what the host hands to every core (byte code, string constants, function
 * table, global slot count) plus what tools need (line table, file names, names of slots).
 * Also its binary file form for `epython -o FILE` / `-l FILE`.
 */
export interface FunctionInfo {
  name: string;
  /** byte offset of the function's first instruction */
  entry: number;
  nparams: number;
  /** the parameters' names, as written (for the error on reading a parameter that was not passed) */
  params: string[];
  /** frame slots: parameters first, then every local of the function */
  nlocals: number;
  /** true when the function may call itself (for the symbol-table estimate, as ePython does) */
  recursive: boolean;
}

export interface ProgramImage {
  code: Uint8Array;
  strings: string[];
  functions: FunctionInfo[];
  nglobals: number;
  /** flat triples (pc, file index, line), pc ascending: the first instruction of each line run */
  lines: Int32Array;
  files: string[];
  globalNames: string[];
}

/** Bytes the image occupies on a core, counted the way ePython's `-s` counts code. */
export function codeBytes(img: ProgramImage): number {
  let n = img.code.length;
  for (const s of img.strings) n += s.length + 1; // NUL-terminated, as ePython stores strings inline
  n += img.functions.length * 4; // entry u16, nparams u8, nlocals u8
  return n;
}

/** Symbol-table entries: globals plus each function's frame (ten frames for recursive ones, as ePython reserves). */
export function symbolEntries(img: ProgramImage): number {
  let n = img.nglobals;
  for (const f of img.functions) n += f.nlocals * (f.recursive ? 10 : 1);
  return n;
}

/** Each entry is an 8-byte value cell (type tag + 4-byte payload, 8-byte aligned). */
export const SYMBOL_ENTRY_BYTES = 8;

/** Source line of a byte-code offset, or 0 when unknown. */
export function lineAt(img: ProgramImage, pc: number): { file: string; line: number } {
  const i = lineEntry(img, pc);
  if (i < 0) return { file: img.files[0] ?? "?", line: 0 };
  return { file: img.files[img.lines[i * 3 + 1]!] ?? "?", line: img.lines[i * 3 + 2]! };
}

/** Index (into the file list) of the source file a byte-code offset was compiled from; 0 is the program. */
export function fileIndexAt(img: ProgramImage, pc: number): number {
  const i = lineEntry(img, pc);
  return i < 0 ? 0 : img.lines[i * 3 + 1]!;
}

function lineEntry(img: ProgramImage, pc: number): number {
  const t = img.lines;
  let lo = 0;
  let hi = t.length / 3 - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid * 3]! <= pc) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

const MAGIC = 0x42595045; // "EPYB" little-endian
const FORMAT_VERSION = 2;

export class ImageFormatError extends Error {
  override readonly name = "ImageFormatError";
}

/** Serialise an image (little-endian, length-prefixed sections). */
export function encodeImage(img: ProgramImage): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const u32 = (v: number): void => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    parts.push(b);
  };
  const str = (s: string): void => {
    const b = enc.encode(s);
    u32(b.length);
    parts.push(b);
  };
  u32(MAGIC);
  u32(FORMAT_VERSION);
  u32(img.code.length);
  parts.push(img.code);
  u32(img.strings.length);
  img.strings.forEach(str);
  u32(img.functions.length);
  for (const f of img.functions) {
    str(f.name);
    u32(f.entry);
    u32(f.nparams);
    u32(f.nlocals);
    u32(f.recursive ? 1 : 0);
    f.params.forEach(str);
  }
  u32(img.nglobals);
  u32(img.lines.length);
  for (const v of img.lines) u32(v);
  u32(img.files.length);
  img.files.forEach(str);
  u32(img.globalNames.length);
  img.globalNames.forEach(str);
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Largest byte code: jump targets are absolute u16 offsets, as in ePython (programs < 64 KB). */
export const MAX_CODE_BYTES = 0xffff;
/** Most string constants, functions and global slots: their operands are u16 indices. */
const MAX_INDEXED = 0x10000;
/** Most parameters and frame slots of a function: its slots are u8 operands (the compiler's limit). */
const MAX_FRAME_SLOTS = 255;

/**
 * Read an image file. Everything in it is checked before it is believed: every count and length
 * against the bytes that are left (so a forged count can not make this allocate more than a
 * small multiple of the file's size) and against what the byte code can address, the function
 * table and the line table against the code. A file that fails a check is refused with an
 * ImageFormatError naming the field and the byte offset; nothing else is thrown.
 */
export function decodeImage(bytes: Uint8Array): ProgramImage {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder();
  let o = 0;
  const fail = (at: number, why: string): never => {
    throw new ImageFormatError(`byte-code file is damaged at byte ${at}: ${why}`);
  };
  const left = () => bytes.length - o;
  const u32 = (what: string): number => {
    if (left() < 4) {
      if (o === 0) throw new ImageFormatError("not an epython-sim byte-code file (too short)");
      fail(o, `it ends where ${what} should be (the file is truncated)`);
    }
    const v = dv.getUint32(o, true);
    o += 4;
    return v;
  };
  const take = (n: number, what: string): Uint8Array => {
    if (n > left()) fail(o - 4, `${what} is ${n} bytes long, but only ${left()} bytes follow (the file is truncated or the length is forged)`);
    const b = bytes.slice(o, o + n);
    o += n;
    return b;
  };
  const str = (what: string): string => dec.decode(take(u32(`the length of ${what}`), what));
  /** A count of items that take at least `minBytes` each, checked before anything is made for them. */
  const count = (what: string, max: number, minBytes: number): number => {
    const at = o;
    const n = u32(`the number of ${what}`);
    if (n > max) fail(at, `it says there are ${n} ${what}; there can be at most ${max}`);
    if (n * minBytes > left()) fail(at, `it says there are ${n} ${what}, but only ${left()} bytes follow (each takes at least ${minBytes})`);
    return n;
  };
  const list = <T>(what: string, max: number, minBytes: number, item: (i: number) => T): T[] => {
    const n = count(what, max, minBytes);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(i));
    return out;
  };

  if (u32("the magic number") !== MAGIC) throw new ImageFormatError("not an epython-sim byte-code file (bad magic number)");
  const version = u32("the format version");
  if (version !== FORMAT_VERSION) throw new ImageFormatError(`byte-code format version ${version} is not supported (expected ${FORMAT_VERSION})`);
  const codeAt = o;
  const codeLength = u32("the length of the byte code");
  if (codeLength > MAX_CODE_BYTES) fail(codeAt, `it says the byte code is ${codeLength} bytes; programs are at most ${MAX_CODE_BYTES}`);
  const code = take(codeLength, "the byte code");
  const strings = list("string constants", MAX_INDEXED, 4, (i) => str(`string constant ${i}`));
  const functions: FunctionInfo[] = list("functions", MAX_INDEXED, 20, (i) => {
    const at = o;
    const name = str(`the name of function ${i}`);
    const entry = u32(`the entry of function ${name}`);
    const nparamsAt = o;
    const nparams = u32(`the parameter count of function ${name}`);
    const nlocals = u32(`the frame size of function ${name}`);
    const recursive = u32(`the recursion flag of function ${name}`);
    if (entry >= code.length) fail(at, `function ${name} starts at byte ${entry}, outside the ${code.length} bytes of code`);
    if (nparams > MAX_FRAME_SLOTS) fail(nparamsAt, `function ${name} has ${nparams} parameters; at most ${MAX_FRAME_SLOTS}`);
    if (nlocals > MAX_FRAME_SLOTS || nlocals < nparams) fail(nparamsAt + 4, `function ${name} has ${nlocals} frame slots for ${nparams} parameters; it needs one per parameter and can have at most ${MAX_FRAME_SLOTS}`);
    if (recursive > 1) fail(nparamsAt + 8, `function ${name} has recursion flag ${recursive}; it is 0 or 1`);
    if (nparams * 4 > left()) fail(nparamsAt, `function ${name} has ${nparams} parameters, but only ${left()} bytes follow (each name takes at least 4)`);
    const params: string[] = [];
    for (let p = 0; p < nparams; p++) params.push(str(`the name of parameter ${p} of function ${name}`));
    return { name, entry, nparams, params, nlocals, recursive: recursive === 1 };
  });
  const globalsAt = o;
  const nglobals = u32("the number of global slots");
  if (nglobals > MAX_INDEXED) fail(globalsAt, `it says there are ${nglobals} global slots; there can be at most ${MAX_INDEXED}`);
  const linesAt = o;
  const nl = count("line-table numbers", Number.MAX_SAFE_INTEGER, 4);
  if (nl % 3 !== 0) fail(linesAt, `the line table has ${nl} numbers, not a whole number of (pc, file, line) triples`);
  const lines = new Int32Array(nl);
  for (let i = 0; i < nl; i++) lines[i] = u32("the line table") | 0;
  const files = list("source file names", MAX_INDEXED, 4, (i) => str(`source file name ${i}`));
  const globalNames = list("global names", MAX_INDEXED, 4, (i) => str(`the name of global ${i}`));
  if (o !== bytes.length) fail(o, `${bytes.length - o} bytes follow the end of the image`);
  if (globalNames.length !== nglobals) fail(globalsAt, `it says there are ${nglobals} global slots but names ${globalNames.length}`);
  for (let i = 0, prev = 0; i < nl; i += 3) {
    const [pc, file, line] = [lines[i]!, lines[i + 1]!, lines[i + 2]!];
    const at = linesAt + 4 + i * 4;
    if (pc < prev || pc >= Math.max(1, code.length)) fail(at, `line-table entry ${i / 3} is for byte ${pc} of the code: entries go up, within the ${code.length} bytes of code`);
    if (file < 0 || file >= Math.max(1, files.length)) fail(at + 4, `line-table entry ${i / 3} names source file ${file} of ${files.length}`);
    if (line < 0) fail(at + 8, `line-table entry ${i / 3} is for line ${line}`);
    prev = pc;
  }
  return { code, strings, functions, nglobals, lines, files, globalNames };
}
