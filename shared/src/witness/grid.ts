/**
 * W2: which live positions are within the radius of each other, in time linear in their number.
 *
 * Positions are turned into Earth-centred Cartesian coordinates on a sphere of the mean Earth radius,
 * and distance is the straight chord between them. A 3-D grid has no seam at the antimeridian and no
 * squeeze at the poles, which a latitude/longitude grid needs special cases for; over 15 m the chord
 * and the great-circle distance differ by less than a nanometre, far below what a phone's position is
 * worth.
 *
 * Cells are cubes of side 2·radius. The ball of radius r around a point then reaches, on each axis, only
 * its own cell and the neighbour on the side of the cell it lies in: 2·2·2 = 8 cells to look in, and a
 * pair within the radius is always found from both of its points.
 */

/** IUGG mean Earth radius, in metres. */
export const EARTH_RADIUS_M = 6_371_008.8;

export interface Ecef {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

export function isValidLatLon(latitude: number, longitude: number): boolean {
  return Number.isFinite(latitude) && Number.isFinite(longitude) && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
}

export function toEcef(latitude: number, longitude: number): Ecef {
  const phi = (latitude * Math.PI) / 180;
  const lambda = (longitude * Math.PI) / 180;
  const r = EARTH_RADIUS_M * Math.cos(phi);
  return { x: r * Math.cos(lambda), y: r * Math.sin(lambda), z: EARTH_RADIUS_M * Math.sin(phi) };
}

/** Straight-line distance between two positions on the sphere, in metres. */
export function chordDistance(a: Ecef, b: Ecef): number {
  return Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);
}

/** The positions of one tick, as parallel arrays so that 100,000 of them cost no per-point objects. */
export interface TickPositions {
  readonly count: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  /** 1 for a position reported since the previous tick; only pairs with a fresh member are reported. */
  readonly fresh: Uint8Array;
}

export function allocateTickPositions(count: number): TickPositions {
  return { count, x: new Float64Array(count), y: new Float64Array(count), z: new Float64Array(count), fresh: new Uint8Array(count) };
}

export const MIN_RADIUS_M = 1;
export const MAX_RADIUS_M = 1000;

/**
 * Calls `onPair(i, j)` once for every pair of positions at most `radiusM` apart of which at least one
 * is fresh. Each point is inserted once and looks in 8 cells, so the work is linear in `count` for a
 * bounded density of people per cell.
 *
 * The cells live in an open-addressing hash table over typed arrays, keyed on the exact integer cell
 * (a 1 m radius puts Earth within ±3.2 million cells, well inside 32 bits): at 100,000 positions a
 * JavaScript Map costs several times more.
 */
export function matchTick(positions: TickPositions, radiusM: number, onPair: (i: number, j: number) => void): void {
  if (!(radiusM >= MIN_RADIUS_M && radiusM <= MAX_RADIUS_M)) throw new RangeError(`radius ${radiusM} m`);
  const { count, x, y, z, fresh } = positions;
  const cell = 2 * radiusM;
  const r2 = radiusM * radiusM;
  const table = new CellTable(count);
  // Per point: its cell, and on each axis the neighbour cell on the side of the cell it lies in.
  const ci = new Int32Array(count * 3);
  const ni = new Int32Array(count * 3);
  for (let i = 0; i < count; i++) {
    const ux = x[i]! / cell;
    const uy = y[i]! / cell;
    const uz = z[i]! / cell;
    const fx = Math.floor(ux);
    const fy = Math.floor(uy);
    const fz = Math.floor(uz);
    ci[3 * i] = fx;
    ci[3 * i + 1] = fy;
    ci[3 * i + 2] = fz;
    ni[3 * i] = ux - fx < 0.5 ? fx - 1 : fx + 1;
    ni[3 * i + 1] = uy - fy < 0.5 ? fy - 1 : fy + 1;
    ni[3 * i + 2] = uz - fz < 0.5 ? fz - 1 : fz + 1;
    table.insert(fx, fy, fz, i);
  }
  const next = table.next;
  for (let i = 0; i < count; i++) {
    if (fresh[i] === 0) continue;
    const px = x[i]!;
    const py = y[i]!;
    const pz = z[i]!;
    for (let k = 0; k < 8; k++) {
      const cx = k & 1 ? ni[3 * i]! : ci[3 * i]!;
      const cy = k & 2 ? ni[3 * i + 1]! : ci[3 * i + 1]!;
      const cz = k & 4 ? ni[3 * i + 2]! : ci[3 * i + 2]!;
      for (let j = table.first(cx, cy, cz); j !== -1; j = next[j]!) {
        // A pair of two fresh points is reported once, from its lower index.
        if (j === i || (fresh[j] !== 0 && j < i)) continue;
        const dx = x[j]! - px;
        const dy = y[j]! - py;
        const dz = z[j]! - pz;
        if (dx * dx + dy * dy + dz * dz <= r2) onPair(i, j);
      }
    }
  }
}

/** Cell → linked list of the points in it (head in the table, then `next[i]`), with linear probing. */
class CellTable {
  readonly next: Int32Array;
  private readonly mask: number;
  private readonly cx: Int32Array;
  private readonly cy: Int32Array;
  private readonly cz: Int32Array;
  private readonly head: Int32Array;

  constructor(points: number) {
    let size = 16;
    while (size < points * 2) size *= 2;
    this.mask = size - 1;
    this.cx = new Int32Array(size);
    this.cy = new Int32Array(size);
    this.cz = new Int32Array(size);
    this.head = new Int32Array(size).fill(-1);
    this.next = new Int32Array(points);
  }

  private slot(x: number, y: number, z: number): number {
    let h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77) ^ Math.imul(z, 0xc2b2ae3d)) & this.mask;
    while (this.head[h] !== -1 && (this.cx[h] !== x || this.cy[h] !== y || this.cz[h] !== z)) h = (h + 1) & this.mask;
    return h;
  }

  insert(x: number, y: number, z: number, point: number): void {
    const h = this.slot(x, y, z);
    if (this.head[h] === -1) {
      this.cx[h] = x;
      this.cy[h] = y;
      this.cz[h] = z;
    }
    this.next[point] = this.head[h]!;
    this.head[h] = point;
  }

  /** The last point inserted in the cell, or -1 for an empty cell. */
  first(x: number, y: number, z: number): number {
    return this.head[this.slot(x, y, z)]!;
  }
}

/** Every qualifying pair as [lower index, higher index], sorted; for tests and small callers. */
export function matchTickPairs(positions: TickPositions, radiusM: number): [number, number][] {
  const pairs: [number, number][] = [];
  matchTick(positions, radiusM, (i, j) => pairs.push(i < j ? [i, j] : [j, i]));
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}
