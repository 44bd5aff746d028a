/**
 * Seeded deterministic pseudo-random numbers: xoshiro128** (Blackman and Vigna), its 128-bit
 * state seeded by splitmix32. Everything random in the simulator (ePython's rand(), random
 * placement, jitter in experiments) draws from one of these, never from an unseeded source.
 *
 * forStream(seed, stream) gives independent generators per core: state words 0-1 come from a
 * splitmix32 sequence started at `seed`, words 2-3 from a second splitmix32 sequence (different
 * increment) started at `stream`. splitmix32's first output is a bijection of its state, so
 * distinct (seed, stream) pairs always give distinct initial states.
 */

const GOLDEN = 0x9e3779b9;
const STREAM_GAMMA = 0x6a09e667; // odd constant (fractional bits of sqrt(2)) for the stream sequence

/** One splitmix32-style output mixing function (a bijection on 32-bit words). */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Prng {
  /** xoshiro128** state s0..s3 */
  private readonly s = new Uint32Array(4);

  /** A generator for stream 0 of `seed`. */
  constructor(seed = 0) {
    this.init(seed, 0);
  }

  /** An independent generator for (seed, stream), e.g. one stream per simulated core. */
  static forStream(seed: number, stream: number): Prng {
    const p = new Prng(0);
    p.init(seed, stream);
    return p;
  }

  private init(seed: number, stream: number): void {
    const s = this.s;
    let a = seed >>> 0;
    a = (a + GOLDEN) >>> 0;
    s[0] = mix32(a);
    a = (a + GOLDEN) >>> 0;
    s[1] = mix32(a);
    let b = stream >>> 0;
    b = (b + STREAM_GAMMA) >>> 0;
    s[2] = mix32(b);
    b = (b + STREAM_GAMMA) >>> 0;
    s[3] = mix32(b);
    if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1; // the all-zero state is a fixed point
    for (let i = 0; i < 8; i++) this.nextU32(); // warm up so nearby seeds decorrelate
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.s;
    const s0 = s[0]!;
    const s1 = s[1]!;
    const s2 = s[2]!;
    const s3 = s[3]!;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /** Integer in 0 .. 2^31-1, the range of C rand() with glibc's RAND_MAX. */
  nextInt31(): number {
    return this.nextU32() >>> 1;
  }

  /** Float in [0, 1) with 32 random bits. */
  nextFloat(): number {
    return this.nextU32() / 4294967296;
  }

  /** Unbiased integer in 0 .. n-1 (1 <= n <= 2^32), by rejection. */
  nextBelow(n: number): number {
    if (!(n >= 1 && n <= 4294967296)) throw new RangeError(`Prng.nextBelow: bad bound ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }
}
