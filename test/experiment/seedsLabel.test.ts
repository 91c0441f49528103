import { describe, expect, it } from 'vitest';
import { seedsLabel } from '../../src/experiment/seedsLabel';

describe('seedsLabel', () => {
  it('names seeds as ranges', () => {
    expect(seedsLabel([2])).toBe('1 seed: 2');
    expect(seedsLabel([1, 2, 3, 4, 5, 6, 47, 48, 49, 50, 51, 52])).toBe('12 seeds: 1–6, 47–52');
    expect(seedsLabel([1, 3, 4])).toBe('3 seeds: 1, 3–4');
  });
});
