// The headless runs' figures, cut to what a reader of them needs: every arm's mean and interval
// at every AFT size, the per-seed rates at the smallest size (the size the page quotes), the
// paired differences and the efficiency ratio; no loss curves, per-seed rates at other sizes or
// probe picks (those make a results file megabytes). `lab report --digest FILE` writes
// one for the runs it reports; the app's "Toy vs paper" page shows them beside the paper.
import { isPresetName, PRESETS } from '../model/config';
import { reportsMetric, type ExperimentResults } from './summarize';

export const DIGEST_FORMAT = 'msm-lab-headless-results';
export const DIGEST_VERSION = 1;

export interface DigestRun {
  file: string; // the results file it was cut from
  results: ExperimentResults;
}

/** A run's results without curves, picks and per-seed rates past the smallest AFT size; effectChecks reads it as it reads the whole. */
export function digestResults(r: ExperimentResults): ExperimentResults {
  const arms = Object.fromEntries(
    Object.entries(r.arms).map(([name, a]) => [
      name,
      {
        aftSizes: a.aftSizes,
        metrics: Object.fromEntries(Object.entries(a.metrics).map(([m, s]) => [m, { mean: s.mean, lo: s.lo, hi: s.hi, perSeed: s.perSeed.slice(0, 1) }])),
        ...(a.sampled ? { sampled: a.sampled } : {}),
        curves: {},
      },
    ]),
  );
  const { picks: _picks, ...rest } = r;
  return { ...rest, arms };
}

export function encodeDigest(runs: DigestRun[]): string {
  return JSON.stringify({ format: DIGEST_FORMAT, version: DIGEST_VERSION, runs: runs.map((d) => ({ file: d.file, results: digestResults(d.results) })) });
}

const isNumberArray = (x: unknown): boolean => Array.isArray(x) && x.every((v) => v === null || typeof v === 'number');
// JSON writes NaN (a metric without probes) as null.
const numbers = (x: (number | null)[]) => x.map((v) => (v === null ? NaN : v));

/** Reads a digest; throws an error that says what is wrong with it. */
export function parseDigest(text: string): DigestRun[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`the headless results are not JSON (${(e as Error).message})`);
  }
  const d = raw as { format?: unknown; version?: unknown; runs?: unknown };
  if (d?.format !== DIGEST_FORMAT || d.version !== DIGEST_VERSION || !Array.isArray(d.runs)) {
    throw new Error(`the headless results are not a ${DIGEST_FORMAT} file of version ${DIGEST_VERSION}`);
  }
  return d.runs.map((run: unknown, i: number) => {
    const { file, results: r } = (run ?? {}) as { file?: unknown; results?: Partial<ExperimentResults> };
    const where = `headless results, run ${i + 1}`;
    if (typeof file !== 'string' || !r || typeof r.experiment !== 'string' || !isPresetName(String(r.preset)) || !isNumberArray(r.seeds) || typeof r.arms !== 'object' || r.arms === null) {
      throw new Error(`${where}: needs file, and results with experiment, a known preset, seeds and arms`);
    }
    for (const [arm, a] of Object.entries(r.arms)) {
      for (const [metric, m] of Object.entries(a?.metrics ?? {})) {
        if (!m || !isNumberArray(m.mean) || !isNumberArray(m.lo) || !isNumberArray(m.hi)) throw new Error(`${where} (${file}): ${arm}.${metric} needs mean, lo and hi arrays of numbers`);
        const perSeed = m.perSeed ?? [];
        if (!Array.isArray(perSeed) || !perSeed.every(isNumberArray)) throw new Error(`${where} (${file}): ${arm}.${metric}.perSeed needs arrays of numbers`);
        Object.assign(m, { mean: numbers(m.mean), lo: numbers(m.lo), hi: numbers(m.hi), perSeed: perSeed.map(numbers) });
      }
    }
    for (const diff of r.differences ?? []) Object.assign(diff, { mean: numbers(diff.mean), lo: numbers(diff.lo), hi: numbers(diff.hi) });
    return { file, results: r as ExperimentResults };
  });
}

/** For one experiment, per model size, the run over the most seeds (among those that report `metric`, if named): the figures to quote. */
export function widestRuns(runs: DigestRun[], experiment: string, metric?: string): DigestRun[] {
  const best = new Map<string, DigestRun>();
  for (const run of runs.filter((x) => x.results.experiment === experiment && (!metric || reportsMetric(x.results, metric)))) {
    const held = best.get(run.results.preset);
    if (!held || run.results.seeds.length > held.results.seeds.length) best.set(run.results.preset, run);
  }
  return Object.keys(PRESETS).flatMap((p) => best.get(p) ?? []);
}
