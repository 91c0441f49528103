// The data-efficiency ratio, as the paper reads its scaling curve: with MSM fixed, how much
// more AFT data does AFT alone need to reach the misalignment MSM+AFT reaches with its
// smallest AFT size?

export const EFFICIENCY_DEFINITION =
  'AFT examples that AFT-only needs to reach the out-of-distribution misalignment that MSM+AFT reaches with its smallest AFT size, ' +
  'divided by that smallest size (interpolated on the log2 axis; "more than X" when AFT-only never gets there within the sweep).';

export interface EfficiencyRatio {
  value: number; // the ratio, or the sweep's largest ratio when `atLeast`
  atLeast: boolean; // AFT-only never reached the target: the true ratio is more than `value`
}

/**
 * sizes ascending; aftOnly[i] and msmAft[i] are misalignment rates at sizes[i]. AFT-only's
 * curve is read as a piecewise-linear function of log2(size).
 */
export function efficiencyRatio(sizes: number[], aftOnly: number[], msmAft: number[]): EfficiencyRatio {
  if (sizes.length === 0 || aftOnly.length !== sizes.length || msmAft.length !== sizes.length) throw new Error('efficiency ratio needs one value per AFT size');
  const target = msmAft[0];
  const smallest = sizes[0];
  if (aftOnly[0] <= target) return { value: 1, atLeast: false };
  for (let i = 1; i < sizes.length; i++) {
    if (aftOnly[i] <= target) {
      const [x0, x1] = [Math.log2(sizes[i - 1]), Math.log2(sizes[i])];
      const t = (aftOnly[i - 1] - target) / (aftOnly[i - 1] - aftOnly[i]);
      return { value: 2 ** (x0 + t * (x1 - x0)) / smallest, atLeast: false };
    }
  }
  return { value: sizes[sizes.length - 1] / smallest, atLeast: true };
}
