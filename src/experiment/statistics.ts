// Summaries with uncertainty: means with 95% bootstrap intervals, resampling seeds and, within
// each seed, probes, so both sources of noise show in the interval.
import { Random } from '../util/random';

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
}

/**
 * outcomes[seed][probe] is 1 when the probe's measured choice was picked, else 0 (or a rate
 * in [0, 1]). The mean is over seeds of each seed's mean over probes.
 */
export function bootstrapMean(outcomes: number[][], rng: Random, resamples = 1000): Interval {
  // The difference from an arm that never picks: the same draws, so the same interval.
  return bootstrapDifference(outcomes, outcomes.map((o) => o.map(() => 0)), rng, resamples);
}

/**
 * The difference mean(a) - mean(b) between two arms measured on the same seeds and probes
 * (a[seed][probe] and b[seed][probe] score the same probe of the same base model), with a
 * bootstrap that resamples seeds and probes once for both arms. A seed that starts
 * misaligned moves both arms together, so the pair's difference is measured with less noise
 * than two separate intervals show.
 */
export function bootstrapDifference(a: number[][], b: number[][], rng: Random, resamples = 1000): Interval {
  const seeds = a.map((row, s) => ({ a: row, b: b[s] })).filter((p) => p.a.length > 0);
  if (seeds.length === 0) return { mean: NaN, lo: NaN, hi: NaN };
  for (const p of seeds) if (p.a.length !== p.b.length) throw new Error(`paired arms scored ${p.a.length} and ${p.b.length} probes`);
  const meanOf = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  const mean = meanOf(seeds.map((p) => meanOf(p.a) - meanOf(p.b)));
  const draws: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let total = 0;
    for (let s = 0; s < seeds.length; s++) {
      const seed = seeds[rng.int(seeds.length)];
      let sum = 0;
      for (let p = 0; p < seed.a.length; p++) {
        const k = rng.int(seed.a.length);
        sum += seed.a[k] - seed.b[k];
      }
      total += sum / seed.a.length;
    }
    draws.push(total / seeds.length);
  }
  draws.sort((x, y) => x - y);
  return { mean, lo: quantile(draws, 0.025), hi: quantile(draws, 0.975) };
}

export function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}
