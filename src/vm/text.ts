/**
 * Strings and the text of values: constant strings of the image (payload < 0) and heap strings,
 * and how print and string `+` show a value (host/device-support.c:524-553).
 */
import type { ProgramImage } from "../lang/image.js";
import type { Heap } from "./heap.js";
import { arrayData, arrayLength, elementTag, elementValue, stringLength as chunkStringLength, stringText } from "./object.js";
import { formatReal, Tag } from "./values.js";

/** Elements of an array that print shows before "...". */
const PRINT_MAX_ELEMENTS = 100;
/** Nesting depth beyond which print shows an array as [...]. */
const PRINT_MAX_DEPTH = 3;

/** Length of a string value (constant or heap). */
export function stringLength(image: ProgramImage, heap: Heap, v: number): number {
  if (v < 0) return image.strings[-v - 1]!.length;
  const ar = heap.arena(v);
  return chunkStringLength(ar, v - ar.base);
}

/** Text of a string value (constant or heap). */
export function stringValue(image: ProgramImage, heap: Heap, v: number): string {
  if (v < 0) return image.strings[-v - 1]!;
  const ar = heap.arena(v);
  return stringText(ar, v - ar.base);
}

/** Text of an id() value (references.ts refPayload): ePython prints an address, we name the variable. */
function refText(v: number): string {
  const owner = Math.floor(v / 2 ** 24);
  const target = (v % 2 ** 24) - 2 ** 23;
  const where = target < 0 ? `global ${-target - 1}` : `stack cell ${target}`;
  return owner === 0 ? `<reference to ${where}>` : `<reference to ${where} of device ${owner - 1}>`;
}

/** Text of a value as print and string `+` show it. */
export function toText(image: ProgramImage, heap: Heap, t: number, v: number, depth = 0): string {
  switch (t) {
    case Tag.Int:
      return String(v);
    case Tag.Real:
      return formatReal(v);
    case Tag.Bool:
      return v !== 0 ? "true" : "false";
    case Tag.None:
      return "NONE";
    case Tag.Str:
      return stringValue(image, heap, v);
    case Tag.Fn:
      return `<function ${image.functions[v]?.name ?? v}>`;
    case Tag.Array:
      return depth > PRINT_MAX_DEPTH ? "[...]" : arrayText(image, heap, v, depth);
    case Tag.Addr:
    case Tag.Remote:
      return refText(v);
    case Tag.RemoteArray:
      return `<array on device ${Math.floor(v / 2 ** 32)}>`;
    default:
      return "?";
  }
}

function arrayText(image: ProgramImage, heap: Heap, v: number, depth: number): string {
  const addr = heap.resolve(v);
  const ar = heap.arena(addr);
  const o = addr - ar.base;
  const count = arrayLength(ar, o);
  const data = arrayData(ar, o);
  const parts: string[] = [];
  for (let i = 0; i < Math.min(count, PRINT_MAX_ELEMENTS); i++) {
    const et = elementTag(ar, data, count, i);
    parts.push(toText(image, heap, et, elementValue(ar, data, i, et), depth + 1));
  }
  if (count > PRINT_MAX_ELEMENTS) parts.push("...");
  return "[" + parts.join(", ") + "]";
}
