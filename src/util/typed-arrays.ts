/**
 * Growing the typed arrays that the simulator's hot paths keep their state in (the event queue,
 * operation sequences, trace buffers): one doubling rule, so amortised appends stay O(1) and no
 * path allocates per element.
 */

type Growable = Uint8Array | Int32Array | Float64Array;

/**
 * A copy of `a` with room for at least `minLength` elements (capacity doubled until it fits);
 * the first `used` elements (all of them by default) are copied, the rest are zero.
 */
export function grown<T extends Growable>(a: T, minLength: number, used = a.length): T {
  let cap = Math.max(a.length, 1) * 2;
  while (cap < minLength) cap *= 2;
  const next = new (a.constructor as new (n: number) => T)(cap);
  next.set(a.subarray(0, used));
  return next;
}
