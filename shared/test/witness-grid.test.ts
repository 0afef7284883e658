import { describe, expect, it } from 'vitest';
import {
  allocateTickPositions,
  chordDistance,
  EARTH_RADIUS_M,
  matchTickPairs,
  toEcef,
  type Ecef,
  type TickPositions,
} from '../src/witness/index.js';
import { seededRandom } from './support/seeded.js';

const R = 15;
const CELL = 2 * R;

function positions(points: readonly Ecef[], fresh: readonly boolean[] = points.map(() => true)): TickPositions {
  const p = allocateTickPositions(points.length);
  points.forEach((pt, i) => {
    p.x[i] = pt.x;
    p.y[i] = pt.y;
    p.z[i] = pt.z;
    p.fresh[i] = fresh[i] ? 1 : 0;
  });
  return p;
}

/** The O(n²) answer the grid must reproduce. */
function bruteForce(points: readonly Ecef[], fresh: readonly boolean[], radius: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if ((fresh[i] || fresh[j]) && chordDistance(points[i]!, points[j]!) <= radius) out.push([i, j]);
    }
  }
  return out;
}

/** A point on Beirut's surface moved so that its coordinates sit exactly on cell borders. */
const base = toEcef(33.8938, 35.5018);
const corner: Ecef = { x: Math.round(base.x / CELL) * CELL, y: Math.round(base.y / CELL) * CELL, z: Math.round(base.z / CELL) * CELL };
const at = (dx: number, dy: number, dz: number): Ecef => ({ x: corner.x + dx, y: corner.y + dy, z: corner.z + dz });
const axes = ['x', 'y', 'z'] as const;
const along = (axis: (typeof axes)[number], d: number): [number, number, number] =>
  axis === 'x' ? [d, 0, 0] : axis === 'y' ? [0, d, 0] : [0, 0, d];

describe('spatial grid matcher (W2)', () => {
  it('[W2] pairs two points 14.99 m apart across a cell face, on every axis and from either side', () => {
    for (const axis of axes) {
      for (const offset of [-0.01, -7, -14.98]) {
        const pts = [at(...along(axis, offset)), at(...along(axis, offset + 14.99))];
        expect(matchTickPairs(positions(pts), R), `${axis} ${offset}`).toEqual([[0, 1]]);
      }
    }
  });

  it('[W2] does not pair two points 15.01 m apart across a cell face', () => {
    for (const axis of axes) {
      const pts = [at(...along(axis, -7)), at(...along(axis, 8.01))];
      expect(matchTickPairs(positions(pts), R)).toEqual([]);
    }
  });

  it('[W2] pairs points across a cell corner, where all three axes change cell', () => {
    const pts = [at(-5, -5, -5), at(3, 3, 3)];
    expect(chordDistance(pts[0]!, pts[1]!)).toBeLessThan(R);
    expect(matchTickPairs(positions(pts), R)).toEqual([[0, 1]]);
  });

  it('[W2] counts exactly the radius as within it, from the middle of a cell to both of its borders', () => {
    const pts = [at(15, 1, 1), at(30, 1, 1), at(0, 1, 1)];
    expect(matchTickPairs(positions(pts), R)).toEqual([
      [0, 1],
      [0, 2],
    ]);
  });

  it('[W2] agrees with brute force on 1,500 clustered points straddling many cell borders', () => {
    const random = seededRandom('witness-grid');
    const unit = () => {
      const b = random(4);
      return (((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!) / 2 ** 32;
    };
    const pts: Ecef[] = [];
    const fresh: boolean[] = [];
    for (let i = 0; i < 1500; i++) {
      // Half the points snap close to a border plane, where mistakes would hide.
      const coord = () => (unit() < 0.5 ? Math.round(unit() * 6) * CELL + (unit() - 0.5) * 0.2 : unit() * 180);
      pts.push(at(coord(), coord(), coord()));
      fresh.push(unit() < 0.6);
    }
    const expected = bruteForce(pts, fresh, R);
    expect(expected.length).toBeGreaterThan(500);
    expect(matchTickPairs(positions(pts, fresh), R)).toEqual(expected);
  });

  it('[W2] reports only pairs with a fresh position, each pair once', () => {
    const pts = [at(1, 1, 1), at(2, 2, 2), at(3, 3, 3)];
    expect(matchTickPairs(positions(pts, [false, false, false]), R)).toEqual([]);
    expect(matchTickPairs(positions(pts, [true, false, false]), R)).toEqual([
      [0, 1],
      [0, 2],
    ]);
    expect(matchTickPairs(positions(pts, [true, true, true]), R)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });

  it('[W2] never pairs points in distant cells, whatever their hash slots', () => {
    const pts = [at(1, 1, 1), at(1 + 2 ** 17 * CELL, 1, 1)];
    expect(matchTickPairs(positions(pts), R)).toEqual([]);
  });

  it('[W2] works from latitude and longitude: 5 m apart match, 200 m apart do not', () => {
    // 5 m east and 200 m north of a point in Beirut.
    const lat = 33.8938;
    const lon = 35.5018;
    const metresPerDegree = (Math.PI / 180) * EARTH_RADIUS_M;
    const a = toEcef(lat, lon);
    const b = toEcef(lat, lon + 5 / (metresPerDegree * Math.cos((lat * Math.PI) / 180)));
    const c = toEcef(lat + 200 / metresPerDegree, lon);
    expect(chordDistance(a, b)).toBeCloseTo(5, 3);
    expect(matchTickPairs(positions([a, b, c]), R)).toEqual([[0, 1]]);
  });

  it('[W2] has no seam at the antimeridian and no squeeze at the poles', () => {
    const east = toEcef(-17.7, 179.99995);
    const west = toEcef(-17.7, -179.99995);
    expect(chordDistance(east, west)).toBeLessThan(R);
    expect(matchTickPairs(positions([east, west]), R)).toEqual([[0, 1]]);
    const pole = toEcef(90, 0);
    const near = toEcef(89.9999, 123);
    expect(matchTickPairs(positions([pole, near]), R)).toEqual([[0, 1]]);
  });

  it('[W2] refuses a radius outside 1–1000 m', () => {
    expect(() => matchTickPairs(positions([]), 0)).toThrow(RangeError);
    expect(() => matchTickPairs(positions([]), 5000)).toThrow(RangeError);
  });
});
