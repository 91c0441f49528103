// Fuzzing the run-file loader the way test/checkpoint/fuzz.test.ts fuzzes checkpoints: edited,
// cut and crafted run files must each either load and re-encode to an equal run, or be refused
// with a RunFileError; never another exception, never a polluted prototype.
import { describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '../../src/checkpoint/format';
import { PLANS } from '../../src/experiment/plans';
import { quickConfig } from '../../src/runs/config';
import { encodeRunFile, parseRunFile, RunFileError, type RunRecord } from '../../src/runs/runFile';
import { Random } from '../../src/util/random';
import { makeCheckpoint } from '../checkpoint/fixtures';

/** A small, valid agentic run with made-up numbers and one checkpoint. */
function makeRun(): RunRecord {
  const config = { ...quickConfig('agentic'), aftSizes: [1, 4] };
  const plan = PLANS.agentic;
  const arms = Object.fromEntries(plan.arms.map((arm, a) => {
    const sizes = arm.aft ? config.aftSizes : [0];
    const metrics = Object.fromEntries(plan.metrics.map((m, k) => {
      const values = sizes.map((_, i) => 0.1 * ((a + k + i) % 7));
      return [m.name, { mean: values, lo: values.map((x) => x - 0.05), hi: values.map((x) => x + 0.05), perSeed: values.map((x) => [x]) }];
    }));
    return [arm.name, { aftSizes: sizes, metrics, curves: { 1: [{ stage: 'aft', steps: [1, 2], losses: [2.5, 2.25] }] } }];
  }));
  const seedArms = Object.fromEntries(plan.arms.map((arm) => [arm.name, {
    aftSizes: arm.aft ? config.aftSizes : [0],
    scores: [[{ id: 'p1', metric: plan.metrics[0].name, picked: 'aligned', probabilities: [0.75, 0.25] }]],
    curves: [{ stage: 'msm', steps: [1], losses: [3] }],
  }]));
  const stage = { steps: 10, peakLr: 1e-3, minLr: 1e-4, warmupSteps: 2, pretrainShare: 0.5 };
  return {
    id: 'run-fuzz',
    name: 'fuzz ✓',
    createdAt: '2025-01-02T03:04:05.000Z',
    status: 'complete',
    config,
    results: {
      experiment: 'agentic', backend: 'wasm', seeds: [1], elapsedSeconds: 12, probesPerMetric: Object.fromEntries(plan.metrics.map((m) => [m.name, 4])),
      schedules: { pretrain: stage, midtrain: stage, aft: stage }, arms,
    } as unknown as RunRecord['results'],
    seedResults: [{ seed: 1, arms: seedArms }] as unknown as RunRecord['seedResults'],
    checkpoints: { 'seed1-msm:philosophy': encodeCheckpoint(makeCheckpoint(3, false)) },
  };
}

const HOSTILE = [
  'null', 'true', '0', '-1', '1e308', '1e999', '""', `"${'x'.repeat(3000)}"`, '[]', '{}', '[null]', '[1e999]', '"AAAA"', '"not base64!"',
  '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '[' .repeat(3000) + ']'.repeat(3000),
];
const KEYS = ['"__proto__":{"polluted":1},', '"constructor":{"prototype":{"polluted":1}},', '"prototype":{"polluted":1},', `"${'k'.repeat(2000)}":1,`];

function paths(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...prefix, i], ...paths(x, [...prefix, i])]);
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...paths(x, [...prefix, k])]);
  return [];
}

describe('run file loader fuzz', () => {
  it('loads or cleanly refuses 2,000 seeded mutations of a valid run file', () => {
    const text = encodeRunFile(makeRun());
    const baseline = parseRunFile(text);
    expect(Object.keys(baseline.checkpoints)).toEqual(['seed1-msm:philosophy']);
    const json = JSON.parse(text);
    const allPaths = paths(json);
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const rng = new Random(31337);
    const tally: Record<string, { refused: number; loaded: number }> = {};
    const failures: string[] = [];
    const started = performance.now();

    for (let n = 0; n < 2000; n++) {
      const kind = rng.pick(['value', 'key', 'cut', 'chars', 'checkpoint']);
      let mutated: string;
      if (kind === 'value') {
        const path = rng.pick(allPaths);
        const edited = structuredClone(json);
        let at = edited;
        for (const k of path.slice(0, -1)) at = at[k];
        at[path.at(-1)!] = 'FUZZ-MARKER';
        mutated = JSON.stringify(edited).replace('"FUZZ-MARKER"', () => rng.pick(HOSTILE));
      } else if (kind === 'key') {
        const opens = [...text.matchAll(/\{/g)].map((m) => m.index!);
        const at = rng.pick(opens) + 1;
        mutated = text.slice(0, at) + rng.pick(KEYS) + text.slice(at);
      } else if (kind === 'cut') {
        mutated = text.slice(0, rng.int(text.length));
      } else if (kind === 'chars') {
        const chars = [...text];
        for (let k = 0; k < 1 + rng.int(4); k++) chars[rng.int(chars.length)] = rng.pick(['{', '}', '"', ',', '0', 'A', '\\', ' ', 'é']);
        mutated = chars.join('');
      } else {
        // A checkpoint's bytes changed inside its base64.
        const edited = structuredClone(json);
        const b64: string = edited.run.checkpoints['seed1-msm:philosophy'];
        const i = rng.int(b64.length - 4);
        edited.run.checkpoints['seed1-msm:philosophy'] = b64.slice(0, i) + rng.pick(['A', 'B', '/', '+', 'z']) + b64.slice(i + 1);
        mutated = JSON.stringify(edited);
      }
      tally[kind] ??= { refused: 0, loaded: 0 };
      try {
        const run = parseRunFile(mutated);
        // What loads is a run this code would write: it encodes and loads back the same.
        expect(parseRunFile(encodeRunFile(run)).checkpoints).toEqual(run.checkpoints);
        if (kind === 'key' && !mutated.includes('"kkkk')) failures.push(`key #${n}: loaded with a prototype key`);
        tally[kind].loaded++;
      } catch (e) {
        if (!(e instanceof RunFileError)) failures.push(`${kind} #${n}: ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 200)}`);
        else if (e.message.length > 3000 || e.problems.some((p) => p.length > 400)) failures.push(`${kind} #${n}: a ${e.message.length}-character message`);
        tally[kind].refused++;
      }
    }
    console.log(`run file fuzz: 2000 files in ${((performance.now() - started) / 1000).toFixed(1)} s`, JSON.stringify(tally));
    if (failures.length) console.log(`run file fuzz failures (${failures.length}):\n${[...new Set(failures.map((f) => f.replace(/ #\d+/, '')))].slice(0, 20).join('\n')}`);
    expect(failures).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(tally.cut.loaded).toBe(0);
  });
});
