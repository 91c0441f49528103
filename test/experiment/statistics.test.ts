import { describe, expect, it } from 'vitest';
import { efficiencyRatio } from '../../src/experiment/efficiency';
import { bootstrapMean } from '../../src/experiment/statistics';
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
