/**
 * The numbers that trace events carry and their names: core states, host services, meshes. A leaf
 * module (the event table and the sink interface both use it); the runtime imports these through
 * sink.ts.
 */

/** Core states, as drawn on a timeline. */
export const CoreState = {
  Running: 0,
  BlockedRecv: 1,
  BlockedSend: 2,
  Barrier: 3,
  Host: 4,
  Done: 5,
  Failed: 6,
  Collective: 7,
} as const;
export const CORE_STATE_NAMES = ["running", "recv", "send", "barrier", "host", "done", "failed", "collective"] as const;

/** Host service kinds. */
export const HostKind = { Print: 0, Input: 1, Concat: 2, Maths: 3, Rand: 4 } as const;
export const HOST_KIND_NAMES = ["print", "input", "string", "maths", "rand"] as const;

/** The meshes a link event names, by code: the letters the machine model uses, and the names shown. */
export const MESH_LETTERS = ["c", "r", "x"] as const;
export const MESH_NAMES = ["cMesh", "rMesh", "xMesh"] as const;
export type MeshLetter = (typeof MESH_LETTERS)[number];

/** The code of a mesh letter ("c" 0, "r" 1, "x" 2), what TraceSink.link takes. */
export function meshCode(letter: MeshLetter): number {
  return MESH_LETTERS.indexOf(letter);
}
