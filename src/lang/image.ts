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

export function decodeImage(bytes: Uint8Array): ProgramImage {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder();
  let o = 0;
  const u32 = (): number => {
    if (o + 4 > bytes.length) throw new ImageFormatError("byte-code file is truncated");
    const v = dv.getUint32(o, true);
    o += 4;
    return v;
  };
  const take = (n: number): Uint8Array => {
    if (o + n > bytes.length) throw new ImageFormatError("byte-code file is truncated");
    const b = bytes.slice(o, o + n);
    o += n;
    return b;
  };
  const str = (): string => dec.decode(take(u32()));
  if (u32() !== MAGIC) throw new ImageFormatError("not an epython-sim byte-code file (bad magic number)");
  const version = u32();
  if (version !== FORMAT_VERSION) throw new ImageFormatError(`byte-code format version ${version} is not supported (expected ${FORMAT_VERSION})`);
  const code = take(u32());
  const strings = Array.from({ length: u32() }, str);
  const functions: FunctionInfo[] = Array.from({ length: u32() }, () => {
    const f = { name: str(), entry: u32(), nparams: u32(), nlocals: u32(), recursive: u32() === 1 };
    if (f.nparams > 255) throw new ImageFormatError(`function ${f.name} has ${f.nparams} parameters`);
    return { ...f, params: Array.from({ length: f.nparams }, str) };
  });
  const nglobals = u32();
  const nl = u32();
  const lines = new Int32Array(nl);
  for (let i = 0; i < nl; i++) lines[i] = u32() | 0;
  const files = Array.from({ length: u32() }, str);
  const globalNames = Array.from({ length: u32() }, str);
  if (o !== bytes.length) throw new ImageFormatError("byte-code file has trailing bytes");
  for (const f of functions) if (f.entry >= code.length) throw new ImageFormatError(`function ${f.name} starts outside the code`);
  return { code, strings, functions, nglobals, lines, files, globalNames };
}
