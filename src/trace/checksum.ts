/**
 * CRC-32 and SHA-256 in plain TypeScript. The trace code stays free of `node:` imports so the
 * reader and the exporters can also run in a browser (the viz); tests check both functions
 * against node:crypto and zlib.
 */

/** CRC-32 as in zlib / IEEE 802.3 (reflected polynomial 0xEDB88320), table-driven. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// SHA-256 (FIPS 180-4). The round constants are the first 32 fractional bits of the square and cube
// roots of the first primes; they are derived here with exact integer roots (BigInt) so no
// floating-point library function can change them.
function firstPrimes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) if (out.every((p) => c % p !== 0)) out.push(c);
  return out;
}
function integerRoot(x: bigint, k: bigint): bigint {
  // largest r with r^k <= x, by bisection (fast enough for 72 values at load time)
  let lo = 0n;
  let hi = 1n;
  while (hi ** k <= x) hi <<= 1n;
  while (hi - lo > 1n) {
    const mid = (lo + hi) >> 1n;
    if (mid ** k <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}
/** The round constants K and the initial hash H0, derived on the first hash (a run that hashes nothing, most short runs, never pays for the BigInt roots). */
let constants: { K: Uint32Array; H0: Uint32Array } | null = null;
function shaConstants(): { K: Uint32Array; H0: Uint32Array } {
  if (constants === null) {
    const primes = firstPrimes(64);
    constants = {
      K: Uint32Array.from(primes, (p) => Number(integerRoot(BigInt(p) << 96n, 3n) & 0xffffffffn)),
      H0: Uint32Array.from(primes.slice(0, 8), (p) => Number(integerRoot(BigInt(p) << 64n, 2n) & 0xffffffffn)),
    };
  }
  return constants;
}

/** SHA-256 of `bytes` as 64 lower-case hex digits. */
export function sha256Hex(bytes: Uint8Array): string {
  const { K, H0 } = shaConstants();
  const bitLen = bytes.length * 8;
  const padded = new Uint8Array((((bytes.length + 8) >> 6) + 1) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const dv = new DataView(padded.buffer);
  // 64-bit big-endian bit length; inputs are far below 2^53 bits
  dv.setUint32(padded.length - 8, Math.floor(bitLen / 0x100000000));
  dv.setUint32(padded.length - 4, bitLen >>> 0);
  const h = H0.slice();
  const w = new Uint32Array(64);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = dv.getUint32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!;
      const b = w[i - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
    }
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[i]! + w[i]!) >>> 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
    h[5] = (h[5]! + f) >>> 0;
    h[6] = (h[6]! + g) >>> 0;
    h[7] = (h[7]! + hh) >>> 0;
  }
  let hex = "";
  for (const v of h) hex += v.toString(16).padStart(8, "0");
  return hex;
}
