// A saved run, and the file it is exported as. The file is JSON:
//   { "format": "msm-lab-run", "version": 1, "run": { id, name, createdAt, status, config,
//     results, seedResults, checkpoints: { name: base64 checkpoint bytes } } }
// `results` is the CLI's results JSON (summarize's ExperimentResults); `seedResults` the raw
// per-seed probe scores behind it (runSeed's SeedResult), so a probe can be inspected again.
// parseRunFile checks all of it, and every checkpoint, before anything is stored or shown;
// each problem names its path in the file. NaN (a metric with no probes) is written as null.
import { decodeCheckpoint } from '../checkpoint/format';
import { PLANS } from '../experiment/plans';
import type { SeedResult } from '../experiment/runExperiment';
import type { ExperimentResults } from '../experiment/summarize';
import { isPresetName } from '../model/config';
import { parseSpec, SpecError, SPEC_NAMES, type SpecName } from '../world/world';
import { configProblems, type ExperimentConfig } from './config';

export const RUN_FILE_FORMAT = 'msm-lab-run';
export const RUN_FILE_VERSION = 1;
/** Far above a nano run with its checkpoints (a few MiB); keeps a wrong file from filling memory. */
export const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;

export interface RunRecord {
  id: string;
  name: string;
  createdAt: string; // ISO 8601
  status: 'complete' | 'stopped'; // stopped: fewer seeds than configured
  config: ExperimentConfig;
  results: ExperimentResults;
  seedResults: SeedResult[];
  checkpoints: Record<string, Uint8Array>;
}

export class RunFileError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    // A problem may quote a key or value from the file: clipped, so a crafted file cannot make it enormous.
    problems = problems.map((p) => (p.length > 300 ? `${p.slice(0, 300)}...` : p));
    super(`not a valid MSM Lab run file: ${problems.slice(0, 8).join('; ')}${problems.length > 8 ? `; and ${problems.length - 8} more` : ''}`);
    this.name = 'RunFileError';
    this.problems = problems;
  }
}

// JSON.parse makes these own properties, but code that copies or merges a run later could reach a
// prototype through them; a run file never needs them.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function encodeRunFile(run: RunRecord): string {
  const checkpoints = Object.fromEntries(Object.entries(run.checkpoints).map(([k, v]) => [k, toBase64(v)]));
  return JSON.stringify({ format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, run: { ...run, checkpoints } });
}

/** Parses and validates a run file's text; throws RunFileError listing every problem. */
export function parseRunFile(text: string): RunRecord {
  if (text.length > MAX_RUN_FILE_BYTES) throw new RunFileError([`the file is over the ${MAX_RUN_FILE_BYTES / 1024 / 1024} MiB limit`]);
  let raw: unknown;
  let forbidden: string | undefined;
  try {
    raw = JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
      return value;
    });
  } catch (e) {
    throw new RunFileError([`not JSON (${(e as Error).message})`]);
  }
  if (forbidden) throw new RunFileError([`the file contains the key "${forbidden}", which no run file has (it could reach an object's prototype)`]);
  const v = new Validator();
  if (!v.object('', raw)) throw new RunFileError(v.problems);
  if (raw.format !== RUN_FILE_FORMAT) throw new RunFileError([`format: expected "${RUN_FILE_FORMAT}", got ${JSON.stringify(raw.format)}`]);
  if (raw.version !== RUN_FILE_VERSION) throw new RunFileError([`version: this app reads version ${RUN_FILE_VERSION}, the file is version ${JSON.stringify(raw.version)}`]);
  const run = validateRun(raw.run, v);
  if (v.problems.length || !run) throw new RunFileError(v.problems.length ? v.problems : ['run: missing']);
  return run;
}

/** Validates a run as stored (checkpoints as bytes) or as read from a file (base64). */
export function validateRun(raw: unknown, v = new Validator()): RunRecord | null {
  const at = 'run';
  if (!v.object(at, raw)) return null;
  v.only(at, raw, ['id', 'name', 'createdAt', 'status', 'config', 'results', 'seedResults', 'checkpoints']);
  v.string(`${at}.id`, raw.id, /^[a-z0-9-]{1,64}$/);
  v.string(`${at}.name`, raw.name);
  if (v.string(`${at}.createdAt`, raw.createdAt) && Number.isNaN(Date.parse(raw.createdAt as string))) v.problems.push(`${at}.createdAt: not a date`);
  if (raw.status !== 'complete' && raw.status !== 'stopped') v.problems.push(`${at}.status: "complete" or "stopped"`);
  const config = validateConfig(`${at}.config`, raw.config, v);
  if (config) validateResults(`${at}.results`, raw.results, config, v);
  if (config && v.array(`${at}.seedResults`, raw.seedResults)) {
    const seeds = raw.seedResults as unknown[];
    if (seeds.length === 0) v.problems.push(`${at}.seedResults: empty`);
    seeds.forEach((s, i) => validateSeedResult(`${at}.seedResults[${i}]`, s, config, v));
  }
  const checkpoints: Record<string, Uint8Array> = {};
  if (v.object(`${at}.checkpoints`, raw.checkpoints)) {
    for (const [name, value] of Object.entries(raw.checkpoints)) {
      const path = `${at}.checkpoints["${name}"]`;
      if (!/^seed\d+-[a-z0-9:+-]{1,80}$/.test(name)) v.problems.push(`${path}: not a checkpoint name`);
      const bytes = value instanceof Uint8Array ? value : typeof value === 'string' ? fromBase64(value) : null;
      if (!bytes) v.problems.push(`${path}: must be base64 checkpoint bytes`);
      else {
        try {
          decodeCheckpoint(bytes);
          checkpoints[name] = bytes;
        } catch (e) {
          v.problems.push(`${path}: ${(e as Error).message}`);
        }
      }
    }
  }
  if (v.problems.length) return null;
  const r = raw as unknown as RunRecord;
  return { id: r.id, name: r.name, createdAt: r.createdAt, status: r.status, config: config!, results: nanFromNull(r.results), seedResults: r.seedResults, checkpoints };
}

function validateConfig(at: string, raw: unknown, v: Validator): ExperimentConfig | null {
  if (!v.object(at, raw)) return null;
  v.only(at, raw, ['experiment', 'preset', 'seeds', 'aftSizes', 'msmSteps', 'aftSteps', 'probesPerMetric', 'split', 'sampled', 'specs']);
  const before = v.problems.length;
  if (typeof raw.experiment !== 'string' || !Object.hasOwn(PLANS, raw.experiment)) v.problems.push(`${at}.experiment: unknown experiment ${JSON.stringify(raw.experiment)}`);
  if (typeof raw.preset !== 'string' || !isPresetName(raw.preset)) v.problems.push(`${at}.preset: unknown preset ${JSON.stringify(raw.preset)}`);
  v.numbers(`${at}.seeds`, raw.seeds);
  v.numbers(`${at}.aftSizes`, raw.aftSizes);
  v.number(`${at}.msmSteps`, raw.msmSteps);
  v.number(`${at}.aftSteps`, raw.aftSteps);
  if (raw.probesPerMetric !== 'all') v.number(`${at}.probesPerMetric`, raw.probesPerMetric);
  const specs: ExperimentConfig['specs'] = {};
  if (v.object(`${at}.specs`, raw.specs)) {
    for (const [name, spec] of Object.entries(raw.specs)) {
      if (!(SPEC_NAMES as string[]).includes(name)) v.problems.push(`${at}.specs.${name}: no shipped spec of that name`);
      else {
        try {
          specs[name as SpecName] = parseSpec(spec);
        } catch (e) {
          v.problems.push(`${at}.specs.${name}: ${e instanceof SpecError ? e.problems.join('; ') : (e as Error).message}`);
        }
      }
    }
  }
  if (v.problems.length > before) return null;
  const config = { ...(raw as unknown as ExperimentConfig), specs };
  const problems = configProblems(config).filter((p) => !p.startsWith('preset: no shipped'));
  v.problems.push(...problems.map((p) => `${at}.${p}`));
  return problems.length ? null : config;
}

function validateResults(at: string, raw: unknown, config: ExperimentConfig, v: Validator): void {
  if (!v.object(at, raw)) return;
  const plan = PLANS[config.experiment];
  if (raw.experiment !== config.experiment) v.problems.push(`${at}.experiment: "${String(raw.experiment)}" differs from the config's "${config.experiment}"`);
  v.string(`${at}.backend`, raw.backend);
  v.numbers(`${at}.seeds`, raw.seeds);
  v.number(`${at}.elapsedSeconds`, raw.elapsedSeconds);
  if (raw.workers !== undefined) v.number(`${at}.workers`, raw.workers);
  if (v.object(`${at}.probesPerMetric`, raw.probesPerMetric)) for (const [k, n] of Object.entries(raw.probesPerMetric)) v.number(`${at}.probesPerMetric.${k}`, n);
  if (v.object(`${at}.schedules`, raw.schedules)) {
    for (const stage of ['pretrain', 'midtrain', 'aft'] as const) {
      const s = (raw.schedules as Record<string, unknown>)[stage];
      if (v.object(`${at}.schedules.${stage}`, s)) for (const k of ['steps', 'peakLr', 'minLr', 'warmupSteps', 'pretrainShare']) v.number(`${at}.schedules.${stage}.${k}`, s[k]);
    }
  }
  if (raw.efficiencyRatio !== undefined && v.object(`${at}.efficiencyRatio`, raw.efficiencyRatio)) {
    const e = raw.efficiencyRatio;
    for (const k of ['value', 'lo', 'hi']) v.number(`${at}.efficiencyRatio.${k}`, e[k], true);
    if (typeof e.atLeast !== 'boolean') v.problems.push(`${at}.efficiencyRatio.atLeast: must be true or false`);
    v.string(`${at}.efficiencyRatio.definition`, e.definition);
  }
  if (raw.differences !== undefined && v.array(`${at}.differences`, raw.differences)) {
    (raw.differences as unknown[]).forEach((d, i) => {
      const dp = `${at}.differences[${i}]`;
      if (!v.object(dp, d)) return;
      for (const k of ['arm', 'reference', 'metric']) v.string(`${dp}.${k}`, d[k]);
      if (!v.numbers(`${dp}.aftSizes`, d.aftSizes)) return;
      const n = (d.aftSizes as number[]).length;
      v.perSize(dp, d, n);
    });
  }
  if (!v.object(`${at}.arms`, raw.arms)) return;
  const arms = raw.arms as Record<string, unknown>;
  for (const arm of plan.arms) {
    const path = `${at}.arms["${arm.name}"]`;
    const a = arms[arm.name];
    if (!v.object(path, a)) continue;
    if (!v.numbers(`${path}.aftSizes`, a.aftSizes)) continue;
    const n = (a.aftSizes as number[]).length;
    if (v.object(`${path}.metrics`, a.metrics)) {
      for (const m of plan.metrics) {
        const s = (a.metrics as Record<string, unknown>)[m.name];
        const mp = `${path}.metrics.${m.name}`;
        if (!v.object(mp, s)) continue;
        v.perSize(mp, s, n);
        if (v.array(`${mp}.perSeed`, s.perSeed)) (s.perSeed as unknown[]).forEach((row, i) => v.numbers(`${mp}.perSeed[${i}]`, row, true));
      }
    }
    if (a.sampled !== undefined && v.object(`${path}.sampled`, a.sampled)) {
      for (const k of ['mean', 'lo', 'hi', 'unclear', 'aftSize', 'temperature']) v.number(`${path}.sampled.${k}`, a.sampled[k], true);
    }
    if (v.object(`${path}.curves`, a.curves)) for (const [seed, curves] of Object.entries(a.curves)) validateCurves(`${path}.curves.${seed}`, curves, v);
  }
  for (const name of Object.keys(arms)) if (!plan.arms.some((a) => a.name === name)) v.problems.push(`${at}.arms["${name}"]: not an arm of ${plan.name}`);
}

function validateSeedResult(at: string, raw: unknown, config: ExperimentConfig, v: Validator): void {
  if (!v.object(at, raw)) return;
  v.number(`${at}.seed`, raw.seed);
  if (!v.object(`${at}.arms`, raw.arms)) return;
  for (const arm of PLANS[config.experiment].arms) {
    const path = `${at}.arms["${arm.name}"]`;
    const a = (raw.arms as Record<string, unknown>)[arm.name];
    if (!v.object(path, a)) continue;
    v.numbers(`${path}.aftSizes`, a.aftSizes);
    if (v.array(`${path}.scores`, a.scores)) {
      (a.scores as unknown[]).forEach((row, i) => {
        if (!v.array(`${path}.scores[${i}]`, row)) return;
        (row as unknown[]).forEach((p, k) => {
          const pp = `${path}.scores[${i}][${k}]`;
          if (!v.object(pp, p)) return;
          v.string(`${pp}.id`, p.id);
          v.string(`${pp}.metric`, p.metric);
          v.string(`${pp}.picked`, p.picked);
          v.numbers(`${pp}.probabilities`, p.probabilities);
        });
      });
    }
    if (a.sampled !== undefined && v.object(`${path}.sampled`, a.sampled)) {
      for (const k of ['probeIds', 'labels']) {
        const list = a.sampled[k];
        if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) v.problems.push(`${path}.sampled.${k}: must be a list of strings`);
      }
    }
    validateCurves(`${path}.curves`, a.curves, v);
  }
}

function validateCurves(at: string, raw: unknown, v: Validator): void {
  if (!v.array(at, raw)) return;
  (raw as unknown[]).forEach((c, i) => {
    if (!v.object(`${at}[${i}]`, c)) return;
    v.string(`${at}[${i}].stage`, c.stage);
    v.numbers(`${at}[${i}].steps`, c.steps);
    v.numbers(`${at}[${i}].losses`, c.losses);
  });
}

/** Collects problems, each with its path; the checks return whether the value passed. */
class Validator {
  problems: string[] = [];

  object(at: string, x: unknown): x is Record<string, unknown> {
    if (typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x)) return true;
    this.problems.push(`${at || 'the file'}: must be an object`);
    return false;
  }

  array(at: string, x: unknown): x is unknown[] {
    if (Array.isArray(x)) return true;
    this.problems.push(`${at}: must be a list`);
    return false;
  }

  string(at: string, x: unknown, pattern?: RegExp): x is string {
    if (typeof x === 'string' && x.length <= 10_000 && (!pattern || pattern.test(x))) return true;
    this.problems.push(`${at}: must be ${pattern ? `text matching ${pattern}` : 'text'}`);
    return false;
  }

  number(at: string, x: unknown, nullable = false): boolean {
    if ((typeof x === 'number' && Number.isFinite(x)) || (nullable && x === null)) return true;
    this.problems.push(`${at}: must be a number`);
    return false;
  }

  numbers(at: string, x: unknown, nullable = false): boolean {
    if (!this.array(at, x)) return false;
    const bad = (x as unknown[]).findIndex((n) => !((typeof n === 'number' && Number.isFinite(n)) || (nullable && n === null)));
    if (bad >= 0) this.problems.push(`${at}[${bad}]: must be a number`);
    return bad < 0;
  }

  /** mean, lo and hi: numbers (null for NaN), one per AFT size. */
  perSize(at: string, x: Record<string, unknown>, n: number): void {
    for (const k of ['mean', 'lo', 'hi']) if (this.numbers(`${at}.${k}`, x[k], true) && (x[k] as unknown[]).length !== n) this.problems.push(`${at}.${k}: one value per AFT size (${n})`);
  }

  only(at: string, x: Record<string, unknown>, keys: string[]): void {
    for (const k of Object.keys(x)) if (!keys.includes(k)) this.problems.push(`${at}.${k}: unknown field`);
  }
}

/** JSON writes NaN as null; the results read back use NaN again. */
function nanFromNull<T>(x: T): T {
  return JSON.parse(JSON.stringify(x), (_k, value) => (value === null ? NaN : value));
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    const s = atob(text);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
