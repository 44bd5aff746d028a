/**
 * ePython's value types as the VM stores them: a type tag (u8) plus a float64 payload that holds
 * an int32, a float32, a bool (0/1), a function index or a heap address exactly.
 * A string payload >= 0 is a heap address; < 0 is constant string -(index+1) of the image.
 */
export const Tag = {
  Int: 0,
  Real: 1,
  Str: 2,
  Bool: 3,
  None: 4,
  Fn: 5,
  Array: 6,
  /**
   * Only in a parameter's frame slot (and, briefly, as a call argument): the parameter is an alias
   * of a variable, as ePython binds a plain-variable argument (interpreter/interpreter.c:300-314).
   * Payload: the target's absolute stack cell (>= 0) or global slot g as -(g+1). A reference
   * never points at another reference (REF_LOCAL resolves an alias of an alias when it is made).
   * No heap pointer, so the collector ignores it.
   */
  Ref: 7,
  /** Only in a parameter's frame slot: the caller passed no value. Payload: function index * 256 + parameter. */
  Unbound: 8,
  /**
   * The value of `id(x)`: where variable x lives. Payload: refPayload(owner, target) (references.ts):
   * owner 0 for this core's own storage, pid + 1 once `native global_reference` made it global.
   */
  Addr: 9,
  /**
   * Only in a variable's cell (global or local): the variable is bound to another core's variable
   * (concurrency.access): reads and writes of it leave the core. Payload as Addr's.
   */
  Remote: 10,
  /** The value of a remote variable that holds an array: payload = owner pid * 2^32 + heap address on the owner. */
  RemoteArray: 11,
} as const;

export const TAG_NAMES = ["int", "real", "string", "boolean", "none", "function", "array", "reference", "unbound parameter", "variable reference", "remote variable", "remote array"] as const;

const WITH_ARTICLE = ["an int", "a real", "a string", "a boolean", "none", "a function", "an array", "a reference", "an unbound parameter", "a variable reference", "a remote variable", "a remote array"] as const;

/** A tag's name with its article, for messages: "an int", "an array", "none". */
export function aTag(t: number): string {
  return WITH_ARTICLE[t] ?? `a value of tag ${t}`;
}

/** C's printf("%f") of a float: six decimals, round-half-even on the exact binary value, inf/nan. */
export function formatReal(x: number): string {
  if (x !== x) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.000000" : "0.000000";
  const ax = Math.abs(x);
  if (ax >= 1e21) {
    // large floats are integers: print the exact integer
    const s = BigInt(ax).toString() + ".000000";
    return x < 0 ? "-" + s : s;
  }
  let s = ax.toFixed(6);
  // toFixed rounds exact ties upward; C rounds them to even. A tie needs ax*1e6 to end in .5 exactly.
  const scaled = ax * 1e6;
  if (scaled < 2 ** 52 && scaled - Math.floor(scaled) === 0.5 && isExactTie(ax)) {
    const down = Math.floor(scaled);
    const n = down % 2 === 0 ? down : down + 1;
    const digits = n.toString().padStart(7, "0");
    s = digits.slice(0, -6) + "." + digits.slice(-6);
  }
  return x < 0 ? "-" + s : s;
}

/** Is ax*10^6 exactly k + 1/2? Checked with exact rational arithmetic on the binary value. */
function isExactTie(ax: number): boolean {
  // ax = m * 2^e exactly; find m, e with BigInt
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, ax);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  if (e >= 0) return false; // an integer times 1e6 is an integer
  // ax*1e6 = mant*10^6 / 2^-e ; a tie means numerator*2 / 2^-e is an odd integer
  const num = mant * 1000000n * 2n;
  const den = 1n << BigInt(-e);
  return num % den === 0n && (num / den) % 2n === 1n;
}
