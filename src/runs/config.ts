// An experiment's configuration in the app: one typed object that says everything a run
// depends on, and that round-trips through the URL so a link reproduces the run.
import { DEFAULT_AFT_SIZES, EXPERIMENT_NAMES, PLANS, isExperimentName, type ExperimentName } from '../experiment/plans';
import { reportedProbes } from '../experiment/runExperiment';
import { SCHEDULES, withSteps, type Schedules } from '../experiment/schedules';
import { isPresetName, type PresetName } from '../model/config';
import { parseSpec, SpecError, SPEC_NAMES, type Spec, type SpecName } from '../world/world';
import { storyProbeSets } from '../world/probes';
import type { Probe, World } from '../world/world';

export interface ExperimentConfig {
  experiment: ExperimentName;
  preset: PresetName;
  seeds: number[]; // one base model and one world per seed
  aftSizes: number[]; // the AFT sweep, ascending
  msmSteps: number; // steps of each midtraining stage
  aftSteps: number; // steps of each AFT stage
  probesPerMetric: number | 'all'; // the first n probes of each metric of the split, or all
  split: 'dev' | 'test';
  /** Also sample replies at temperature 0.7 (agentic): slow on a CPU, so the quick budget leaves it out. */
  sampled: boolean;
  /** Edited specs that replace the shipped ones of the same name (their MSM corpora are regenerated). */
  specs: Partial<Record<SpecName, Spec>>;
}

/** Seeds with a shipped base model (models/{preset}-base-seed{n}.ckpt), per preset. */
export const SHIPPED_SEEDS: Partial<Record<PresetName, number[]>> = { nano: [1, 2, 3, 4, 5, 6], small: [1, 2, 3, 4, 5] };
/** The seeds of a full run, as the CLI's `--seeds 3`. */
export const DEFAULT_SEEDS = [1, 2, 3];
/** Presets with shipped base models. */
export const SHIPPED_PRESETS = Object.keys(SHIPPED_SEEDS) as PresetName[];
/** The largest AFT pool (agentic: 256; preferences: 288): a sweep stays within the smaller one. */
export const MAX_AFT_SIZE = 256;
export const MAX_STEPS = 5000;

/**
 * The model an experiment runs on by default: the cheese study needs the small bases (the nano
 * ones never pick an item by a value they have not said; see the model cards), the others nano.
 */
export function defaultPreset(experiment: ExperimentName): PresetName {
  return experiment === 'values' ? 'small' : 'nano';
}

/** The CLI's schedules on the experiment's default model: figures comparable with docs/results.md. */
export function fullConfig(experiment: ExperimentName): ExperimentConfig {
  const s = SCHEDULES[defaultPreset(experiment)];
  return { experiment, preset: defaultPreset(experiment), seeds: [...DEFAULT_SEEDS], aftSizes: [...DEFAULT_AFT_SIZES], msmSteps: s.midtrain.steps, aftSteps: s.aft.steps, probesPerMetric: 'all', split: 'test', sampled: true, specs: {} };
}

/**
 * The quick budget's one seed, per preset: the first shipped base whose assistant starts misaligned
 * on the dev agentic probes (model cards, before any MSM). nano seed 1's quill picks the aligned
 * action on every one of them, which leaves MSM nothing to remove.
 */
const QUICK_SEED: Partial<Record<PresetName, number>> = { nano: 2, small: 1 };

/** A configuration a laptop finishes in a few minutes: one seed, a shorter sweep, fewer steps and probes. */
export function quickConfig(experiment: ExperimentName): ExperimentConfig {
  const preset = defaultPreset(experiment);
  return { experiment, preset, seeds: [QUICK_SEED[preset] ?? DEFAULT_SEEDS[0]], aftSizes: [1, 4, 16, 64], msmSteps: 300, aftSteps: 20, probesPerMetric: 32, split: 'test', sampled: false, specs: {} };
}

export function isQuick(c: ExperimentConfig): boolean {
  return sameConfig(c, { ...quickConfig(c.experiment), specs: c.specs });
}

export function isFull(c: ExperimentConfig): boolean {
  return sameConfig(c, { ...fullConfig(c.experiment), specs: c.specs });
}

export function sameConfig(a: ExperimentConfig, b: ExperimentConfig): boolean {
  return configToParams(a).toString() === configToParams(b).toString();
}

/** The stage schedules of a run: the preset's, with the configured stage lengths (as the CLI's --msm-steps and --aft-steps). */
export function schedulesFor(c: ExperimentConfig): Schedules {
  const base = SCHEDULES[c.preset];
  return { ...base, midtrain: withSteps(base.midtrain, c.msmSteps), aft: withSteps(base.aft, c.aftSteps) };
}

/** The probes a run reports: the CLI's reported probes, cut to the first n per metric. */
export function probesFor(c: ExperimentConfig, world: Pick<World, 'probes'>): Probe[] {
  return firstPerMetric(reportedProbes(PLANS[c.experiment], world as World, c.split, []), c.probesPerMetric);
}

/**
 * The extra probes a run scores beside the reported ones (as the CLI's --probes): for `agentic`,
 * the agentic probes told as stories of the run's split, where AFT alone generalizes least (see
 * src/world/README.md); cut to the first n as the others.
 */
export function extraProbesFor(c: ExperimentConfig): Probe[] {
  return c.experiment === 'agentic' ? firstPerMetric(storyProbeSets()[c.split].probes, c.probesPerMetric) : [];
}

function firstPerMetric(probes: Probe[], perMetric: number | 'all'): Probe[] {
  if (perMetric === 'all') return probes;
  const taken = new Map<string, number>();
  return probes.filter((p) => {
    const n = taken.get(p.metric) ?? 0;
    taken.set(p.metric, n + 1);
    return n < perMetric;
  });
}

/** The specs a plan midtrains on (what the spec editor offers for this experiment). */
export function specsOf(experiment: ExperimentName): SpecName[] {
  const names = new Set<SpecName>();
  for (const arm of PLANS[experiment].arms) if (arm.midtraining && arm.midtraining.kind !== 'control') names.add(arm.midtraining.spec);
  return [...names];
}

// ---- URL round trip -------------------------------------------------------------------------

const KEYS = ['experiment', 'preset', 'seeds', 'aft', 'msmSteps', 'aftSteps', 'probes', 'split', 'sampled'];
const SPEC_PREFIX = 'spec.';

export function configToParams(c: ExperimentConfig): URLSearchParams {
  const p = new URLSearchParams();
  p.set('experiment', c.experiment);
  p.set('preset', c.preset);
  p.set('seeds', c.seeds.join(','));
  p.set('aft', c.aftSizes.join(','));
  p.set('msmSteps', String(c.msmSteps));
  p.set('aftSteps', String(c.aftSteps));
  p.set('probes', String(c.probesPerMetric));
  p.set('split', c.split);
  p.set('sampled', c.sampled ? '1' : '0');
  for (const name of Object.keys(c.specs).sort()) p.set(`${SPEC_PREFIX}${name}`, JSON.stringify(c.specs[name as SpecName]));
  return p;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid experiment configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a configuration from URL parameters (other parameters, like `embed` or `view`, are
 * ignored). Returns null when the URL names no experiment; throws ConfigError naming each bad
 * parameter.
 */
export function configFromParams(p: URLSearchParams): ExperimentConfig | null {
  const experiment = p.get('experiment');
  if (experiment === null) return null;
  const problems: string[] = [];
  if (!isExperimentName(experiment)) {
    throw new ConfigError([`experiment: must be one of ${EXPERIMENT_NAMES.join(', ')}, got "${experiment}"`]);
  }
  const c = quickConfig(experiment);
  const ints = (key: string, text: string): number[] => {
    const parts = text.split(',');
    if (!parts.every((s) => /^\d+$/.test(s))) {
      problems.push(`${key}: a comma-separated list of whole numbers, got "${text}"`);
      return [];
    }
    return parts.map(Number);
  };
  const preset = p.get('preset');
  if (preset !== null) {
    if (!isPresetName(preset)) problems.push(`preset: unknown preset "${preset}"`);
    else if (!SHIPPED_PRESETS.includes(preset)) problems.push(`preset: no shipped base model for "${preset}" (shipped: ${SHIPPED_PRESETS.join(', ')})`);
    else c.preset = preset;
  }
  const seeds = p.get('seeds');
  if (seeds !== null) c.seeds = ints('seeds', seeds);
  const aft = p.get('aft');
  if (aft !== null) c.aftSizes = ints('aft', aft);
  for (const key of ['msmSteps', 'aftSteps'] as const) {
    const v = p.get(key);
    if (v !== null) c[key] = ints(key, v)[0] ?? NaN;
  }
  const probes = p.get('probes');
  if (probes !== null) c.probesPerMetric = probes === 'all' ? 'all' : (ints('probes', probes)[0] ?? NaN);
  const split = p.get('split');
  if (split !== null) {
    if (split !== 'dev' && split !== 'test') problems.push(`split: "dev" or "test", got "${split}"`);
    else c.split = split;
  }
  const sampled = p.get('sampled');
  if (sampled !== null) {
    if (sampled !== '0' && sampled !== '1') problems.push(`sampled: "0" or "1", got "${sampled}"`);
    else c.sampled = sampled === '1';
  }
  for (const [key, value] of p) {
    if (!key.startsWith(SPEC_PREFIX)) continue;
    const name = key.slice(SPEC_PREFIX.length);
    if (!(SPEC_NAMES as string[]).includes(name)) {
      problems.push(`${key}: no shipped spec named "${name}"`);
      continue;
    }
    try {
      const spec = parseSpec(value);
      if (spec.name !== name) problems.push(`${key}: the spec's name is "${spec.name}"`);
      else c.specs[name as SpecName] = spec;
    } catch (e) {
      problems.push(e instanceof SpecError ? `${key}: ${e.problems.join('; ')}` : `${key}: ${(e as Error).message}`);
    }
  }
  problems.push(...configProblems(c));
  if (problems.length) throw new ConfigError([...new Set(problems)]);
  return c;
}

/** Every problem with a configuration, each naming its field; empty when it can run. */
export function configProblems(c: ExperimentConfig): string[] {
  const problems: string[] = [];
  if (!isExperimentName(c.experiment)) problems.push(`experiment: unknown experiment "${c.experiment}"`);
  if (!SHIPPED_PRESETS.includes(c.preset)) problems.push(`preset: no shipped base model for "${c.preset}"`);
  if (c.seeds.length === 0) problems.push('seeds: choose at least one seed');
  const shipped = SHIPPED_SEEDS[c.preset];
  if (shipped) for (const s of c.seeds) if (!shipped.includes(s)) problems.push(`seeds: ${s} has no shipped base model for ${c.preset} (seeds ${shipped.join(', ')} do)`);
  if (new Set(c.seeds).size !== c.seeds.length) problems.push('seeds: a seed is listed twice');
  if (c.aftSizes.length === 0) problems.push('aft: choose at least one AFT size');
  if (c.aftSizes.some((n, i) => !Number.isInteger(n) || n < 1 || n > MAX_AFT_SIZE || (i > 0 && n <= c.aftSizes[i - 1]))) {
    problems.push(`aft: AFT sizes must be whole numbers from 1 to ${MAX_AFT_SIZE}, ascending`);
  }
  for (const key of ['msmSteps', 'aftSteps'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1 || c[key] > MAX_STEPS) problems.push(`${key}: a whole number from 1 to ${MAX_STEPS}`);
  }
  if (c.probesPerMetric !== 'all' && (!Number.isInteger(c.probesPerMetric) || c.probesPerMetric < 1)) problems.push('probes: "all" or a whole number of at least 1');
  if (c.split !== 'dev' && c.split !== 'test') problems.push('split: "dev" or "test"');
  if (typeof c.sampled !== 'boolean') problems.push('sampled: true or false');
  return problems;
}

export function isConfigKey(key: string): boolean {
  return KEYS.includes(key) || key.startsWith(SPEC_PREFIX);
}

/** How long a run is, in training steps (every seed), for an estimate before it starts. */
export function trainingSteps(c: ExperimentConfig): number {
  const plan = PLANS[c.experiment];
  const mids = new Set(plan.arms.filter((a) => a.midtraining).map((a) => JSON.stringify(a.midtraining))).size;
  const aftStages = plan.arms.filter((a) => a.aft).reduce((n, a) => n + (a.sweep === 'full' || c.aftSizes.length <= 2 ? c.aftSizes.length : 2), 0);
  return c.seeds.length * (mids * c.msmSteps + aftStages * c.aftSteps);
}
