/**
 * The object model: how arrays and strings lie in a heap chunk, behind small accessors (clox's
 * AS_/IS_ macros). Nothing else in the VM indexes a chunk's words directly.
 *
 * A chunk is addressed by its arena and its word offset `o` in that arena (heap.arena(addr) and
 * addr - arena.base). Its modelled size is ePython's (arrayBytes, stringBytes plus the chunk
 * header, heap.ts); each modelled byte is one 32-bit word of ours, so the layout below, with a
 * type tag per element and 32-bit payloads, always fits in the chunk. Chunk layout (our words):
 *   w0  payload length in modelled bytes << 2 | mark << 1 | used        (the allocator's, heap.ts)
 *   w1  kind | ndims << 4 | extensible << 8
 *   array:   w2 element count, w3.. dims, then count payload words, then count tag bytes
 *   string:  w2 byte length, then the bytes
 *   forward: w2 address of the grown copy (a list literal that auto-grew)
 *
 * The accessors are tiny so that V8 inlines them into the interpreter loop.
 */
import type { Arena } from "./heap.js";
import { Tag } from "./values.js";

export const KIND_ARRAY = 1;
export const KIND_STRING = 2;
export const KIND_FORWARD = 3;

/** w0: the allocator's header (size, mark, used) */
const HEADER_WORD = 0;
/** w1: kind, number of dimensions, extensible flag */
const KIND_WORD = 1;
/** w2: element count (array), byte length (string), or forwarding address */
const LENGTH_WORD = 2;
/** w3: first dimension of an array */
const DIMS_WORD = 3;
/** w3: first word of a string's bytes */
const CHARS_WORD = 3;

const USED_BIT = 1;
const KIND_MASK = 15;
const NDIMS_SHIFT = 4;
const EXTENSIBLE_BIT = 256;
/** kind and ndims of a plain 1-D array (the extensible bit excluded) */
const VECTOR_KIND = KIND_ARRAY | (1 << NDIMS_SHIFT);

const REAL = Tag.Real;

// --- any chunk -----------------------------------------------------------------------------------

/** The chunk is allocated (not freed). */
export function isAllocated(ar: Arena, o: number): boolean {
  return (ar.words[o + HEADER_WORD]! & USED_BIT) !== 0;
}

export function chunkKind(ar: Arena, o: number): number {
  return ar.words[o + KIND_WORD]! & KIND_MASK;
}

/** Where a forwarding chunk (a grown list literal's old chunk) points. */
export function forwardTarget(ar: Arena, o: number): number {
  return ar.words[o + LENGTH_WORD]!;
}

/** Turn a chunk into a forward to `target`. */
export function setForward(ar: Arena, o: number, target: number): void {
  ar.words[o + KIND_WORD] = KIND_FORWARD;
  ar.words[o + LENGTH_WORD] = target;
}

// --- arrays --------------------------------------------------------------------------------------

/**
 * ePython's bytes for an array of `count` elements with `ndims` dimensions (the getHeapMemory size,
 * chunk header excluded): a one-byte header (number of dimensions, extensible bit), one int per
 * dimension and one 4-byte word per element (devices/epiphany/epiphany-runtime.c:142, `array()`;
 * interpreter/interpreter.c:645, list literals; :882, a list grown on access). The element type
 * tags are ours and cost nothing here (ePython has one type per array, interpreter.c:431).
 */
export function arrayBytes(count: number, ndims: number): number {
  return 1 + 4 * (count + ndims);
}

export function arrayLength(ar: Arena, o: number): number {
  return ar.words[o + LENGTH_WORD]!;
}

export function arrayNdims(ar: Arena, o: number): number {
  return (ar.words[o + KIND_WORD]! >> NDIMS_SHIFT) & 15;
}

export function arrayDim(ar: Arena, o: number, d: number): number {
  return ar.words[o + DIMS_WORD + d]!;
}

export function setArrayDim(ar: Arena, o: number, d: number, n: number): void {
  ar.words[o + DIMS_WORD + d] = n;
}

/** A list literal, which grows when indexed past its end. */
export function isExtensible(ar: Arena, o: number): boolean {
  return (ar.words[o + KIND_WORD]! & EXTENSIBLE_BIT) !== 0;
}

/** A 1-D array chunk (not a forward): the interpreter's fast paths take these. */
export function isVector(ar: Arena, o: number): boolean {
  return (ar.words[o + KIND_WORD]! & 0xff) === VECTOR_KIND;
}

/** Word offset of an array's first element. */
export function arrayData(ar: Arena, o: number): number {
  return o + DIMS_WORD + arrayNdims(ar, o);
}

/** Word offset of a 1-D array's first element. */
export function vectorData(o: number): number {
  return o + DIMS_WORD + 1;
}

/** Write the header of a new array and set every element to int 0. */
export function initArray(ar: Arena, o: number, dims: ArrayLike<number>, ndims: number, count: number, extensible: boolean): void {
  ar.words[o + KIND_WORD] = KIND_ARRAY | (ndims << NDIMS_SHIFT) | (extensible ? EXTENSIBLE_BIT : 0);
  ar.words[o + LENGTH_WORD] = count;
  for (let i = 0; i < ndims; i++) ar.words[o + DIMS_WORD + i] = dims[i]!;
  const data = o + DIMS_WORD + ndims;
  ar.words.fill(0, data, data + count);
  ar.bytes.fill(Tag.Int, (data + count) * 4, (data + count) * 4 + count);
}

// Elements: `data` is arrayData(), `count` arrayLength(); payloads are words (reals as float32)
// followed by one tag byte per element.

export function elementTag(ar: Arena, data: number, count: number, i: number): number {
  return ar.bytes[(data + count) * 4 + i]!;
}

export function elementValue(ar: Arena, data: number, i: number, tag: number): number {
  return tag === REAL ? ar.reals[data + i]! : ar.words[data + i]!;
}

export function setElement(ar: Arena, data: number, count: number, i: number, tag: number, val: number): void {
  ar.bytes[(data + count) * 4 + i] = tag;
  if (tag === REAL) ar.reals[data + i] = val;
  else ar.words[data + i] = val;
}

/** Copy the first `n` elements (payloads and tags) of one array into another. */
export function copyElements(src: Arena, srcData: number, srcCount: number, dst: Arena, dstData: number, dstCount: number, n: number): void {
  dst.words.set(src.words.subarray(srcData, srcData + n), dstData);
  dst.bytes.set(src.bytes.subarray((srcData + srcCount) * 4, (srcData + srcCount) * 4 + n), (dstData + dstCount) * 4);
}

// --- strings -------------------------------------------------------------------------------------

/** ePython's bytes for a string: its characters and a NUL (host/epiphany-support.c:415, epiphany-runtime.c:937). */
export function stringBytes(byteLength: number): number {
  return byteLength + 1;
}

export function stringLength(ar: Arena, o: number): number {
  return ar.words[o + LENGTH_WORD]!;
}

/** Write a new string chunk's header and bytes (one byte per character, as ePython's). */
export function initString(ar: Arena, o: number, s: string): void {
  ar.words[o + KIND_WORD] = KIND_STRING;
  ar.words[o + LENGTH_WORD] = s.length;
  const start = (o + CHARS_WORD) * 4;
  for (let i = 0; i < s.length; i++) ar.bytes[start + i] = s.charCodeAt(i) & 0xff;
}

export function stringText(ar: Arena, o: number): string {
  const n = ar.words[o + LENGTH_WORD]!;
  const start = (o + CHARS_WORD) * 4;
  let s = "";
  for (let i = 0; i < n; i += 4096) {
    s += String.fromCharCode.apply(null, Array.from(ar.bytes.subarray(start + i, start + Math.min(n, i + 4096))));
  }
  return s;
}
