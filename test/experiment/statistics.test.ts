import { describe, expect, it } from 'vitest';
import { efficiencyRatio } from '../../src/experiment/efficiency';
import { bootstrapDifference, bootstrapMean } from '../../src/experiment/statistics';
import { Random } from '../../src/util/random';

describe('bootstrapMean', () => {
  it('gives the mean of seed means and an interval that contains it', () => {
    const r = bootstrapMean([[1, 1, 0, 0], [1, 1, 1, 1], [0, 0, 0, 1]], new Random(1));
    expect(r.mean).toBeCloseTo((0.5 + 1 + 0.25) / 3);
    expect(r.lo).toBeLessThan(r.mean);
    expect(r.hi).toBeGreaterThan(r.mean);
    expect(r.lo).toBeGreaterThanOrEqual(0);
    expect(r.hi).toBeLessThanOrEqual(1);
  });

  it('has no width when every seed and probe agree, and more width with fewer probes', () => {
    const flat = bootstrapMean([[1, 1], [1, 1]], new Random(1));
    expect([flat.lo, flat.hi]).toEqual([1, 1]);
    const noisy = (n: number) => Array.from({ length: 3 }, (_, s) => Array.from({ length: n }, (_, i) => ((i + s) % 2)));
    const few = bootstrapMean(noisy(6), new Random(3));
    const many = bootstrapMean(noisy(200), new Random(3));
    expect(many.hi - many.lo).toBeLessThan(few.hi - few.lo);
  });
});

describe('bootstrapDifference', () => {
  // Three seeds far apart (misaligned on 8, 12 and 20 of 20 probes); on every seed arm a picks
  // the misaligned choice on the same 4 probes fewer than arm b.
  const b = [8, 12, 20].map((n) => Array.from({ length: 20 }, (_, i) => (i < n ? 1 : 0)));
  const a = b.map((row) => row.map((x, i) => (i >= 4 && i < 8 ? 0 : x)));

  it('gives the difference of the seed means', () => {
    const d = bootstrapDifference(a, b, new Random(1));
    const mean = (rows: number[][]) => rows.reduce((s, r) => s + r.reduce((x, y) => x + y, 0) / r.length, 0) / rows.length;
    expect(d.mean).toBeCloseTo(mean(a) - mean(b), 12);
    expect(d.lo).toBeLessThanOrEqual(d.mean);
    expect(d.hi).toBeGreaterThanOrEqual(d.mean);
  });

  it('stays clear of zero where the two separate intervals overlap, since seeds move both arms together', () => {
    const [ia, ib] = [bootstrapMean(a, new Random(2)), bootstrapMean(b, new Random(3))];
    expect(ia.hi).toBeGreaterThan(ib.lo);
    expect(bootstrapDifference(a, b, new Random(4)).hi).toBeLessThan(0);
  });

  it('is exactly zero for the same arm, and refuses arms scored on different probes', () => {
    expect(bootstrapDifference(b, b, new Random(5))).toEqual({ mean: 0, lo: 0, hi: 0 });
    expect(() => bootstrapDifference([[1, 0]], [[1, 0, 1]], new Random(6))).toThrow(/2 and 3 probes/);
  });
});

describe('efficiencyRatio', () => {
  const sizes = [1, 2, 4, 8, 16, 32];
  it('interpolates on the log2 axis', () => {
    // MSM+AFT reaches 0.3 at size 1; AFT-only crosses 0.3 halfway between 8 and 16 in log2.
    const r = efficiencyRatio(sizes, [0.7, 0.6, 0.5, 0.4, 0.2, 0.1], [0.3, 0.2, 0.2, 0.1, 0.1, 0.1]);
    expect(r.atLeast).toBe(false);
    expect(r.value).toBeCloseTo(Math.SQRT2 * 8, 5);
  });

  it('says "more than" when AFT-only never gets there', () => {
    expect(efficiencyRatio(sizes, [0.7, 0.7, 0.6, 0.6, 0.5, 0.5], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1])).toEqual({ value: 32, atLeast: true });
  });

  it('is 1 when AFT-only is already as good at the smallest size', () => {
    expect(efficiencyRatio(sizes, [0.2, 0.1, 0.1, 0.1, 0.1, 0.1], [0.3, 0.2, 0.2, 0.1, 0.1, 0.1]).value).toBe(1);
  });
});
