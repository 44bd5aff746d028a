/**
 * How the mesh model (mesh.ts) numbers its ports: the three meshes, each node's seven ports, a
 * packet's route as a list of port numbers, and what a number means in the link-load records.
 */

/** Mesh numbers for `Mesh.packet()`. */
export const MESH_C = 0;
export const MESH_R = 1;
export const MESH_X = 2;

/** `from`/`to` value in link-load records for the off-chip side of the eLink. */
export const OFF_CHIP = -1;

// Ports per node: four outgoing links, injection, ejection, and (xMesh, east-edge nodes only)
// the inbound link from the eLink. Port p of node `node` on mesh m is load index
// (m * cores + node) * PORTS + p; the eLink's two directions follow the last mesh's ports.
export const EAST = 0;
export const WEST = 1;
export const NORTH = 2;
export const SOUTH = 3;
export const INJ = 4;
export const EJ = 5;
export const EDGE_IN = 6;
export const PORTS = 7;

const PORT_KIND = ["link", "link", "link", "link", "inject", "eject", "link"] as const;

export interface LinkLoad {
  /** MESH_C, MESH_R or MESH_X (the eLink is reported on the xMesh, the off-chip one) */
  mesh: number;
  /** logical core the traffic leaves (OFF_CHIP for the eLink side) */
  from: number;
  /** logical core the traffic enters (OFF_CHIP for the eLink side) */
  to: number;
  busyCycles: number;
  /** "link" between routers, a core's "inject"/"eject" port, or the eLink's two directions */
  kind: "link" | "inject" | "eject" | "elink-tx" | "elink-rx";
}

/**
 * The load indices a packet from src to dst takes on mesh m of a chip of `cores` cores in rows
 * of `cols` (injection, X then Y links, ejection) into `out`; returns how many.
 */
export function route(m: number, src: number, dst: number, cores: number, cols: number, out: Int32Array): number {
  const base = m * cores * PORTS;
  let k = 0;
  out[k++] = base + src * PORTS + INJ;
  let node = src;
  let c = src % cols;
  const c1 = dst % cols;
  while (c !== c1) {
    const east = c1 > c;
    out[k++] = base + node * PORTS + (east ? EAST : WEST);
    c += east ? 1 : -1;
    node += east ? 1 : -1;
  }
  let r = (src / cols) | 0;
  const r1 = (dst / cols) | 0;
  while (r !== r1) {
    const south = r1 > r;
    out[k++] = base + node * PORTS + (south ? SOUTH : NORTH);
    r += south ? 1 : -1;
    node += south ? cols : -cols;
  }
  out[k++] = base + dst * PORTS + EJ;
  return k;
}

/** What load index `l` is (its mesh, ends and kind); `elinkTx` is the eLink's outbound index, the inbound one follows. */
export function describeLoadIndex(l: number, cores: number, cols: number, elinkTx: number, busyCycles: number): LinkLoad {
  if (l === elinkTx) return { mesh: MESH_X, from: OFF_CHIP, to: OFF_CHIP, busyCycles, kind: "elink-tx" };
  if (l === elinkTx + 1) return { mesh: MESH_X, from: OFF_CHIP, to: OFF_CHIP, busyCycles, kind: "elink-rx" };
  const rows = cores / cols;
  const p = l % PORTS;
  const node = ((l / PORTS) | 0) % cores;
  const m = (l / (PORTS * cores)) | 0;
  const r = (node / cols) | 0;
  const c = node % cols;
  let from = node;
  let to = node;
  if (p === EAST) to = c + 1 < cols ? node + 1 : OFF_CHIP;
  else if (p === WEST) to = c > 0 ? node - 1 : OFF_CHIP;
  else if (p === NORTH) to = r > 0 ? node - cols : OFF_CHIP;
  else if (p === SOUTH) to = r + 1 < rows ? node + cols : OFF_CHIP;
  else if (p === EDGE_IN) from = OFF_CHIP;
  return { mesh: m, from, to, busyCycles, kind: PORT_KIND[p]! };
}
