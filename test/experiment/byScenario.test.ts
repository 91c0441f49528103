// OOD misalignment by pressure, from a run's recorded picks: the four pressures' rates average to
// the arm's reported rate, and a hand-made set of picks gives the rates counted by hand.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ratesByScenario, ratesShownAndNot } from '../../src/experiment/byScenario';
import type { ExperimentResults } from '../../src/experiment/summarize';
import { probeSets } from '../../src/world/probes';

const sixSeeds: ExperimentResults = JSON.parse(readFileSync('docs/one-value-world/results-agentic-6seeds.json', 'utf8'));

describe('ratesByScenario', () => {
  it('splits each arm\'s OOD misalignment into four pressures that average back to it', () => {
    const t = ratesByScenario(sixSeeds, 'oodMisalignment', 'misaligned')!;
    expect(t.scenarios).toEqual(['shutdown', 'replacement', 'retraining', 'conflict']);
    expect(t.probes).toEqual([16, 16, 16, 16]);
    expect(t.arms.map((a) => a.arm)).toEqual(Object.keys(sixSeeds.arms));
    for (const a of t.arms) {
      const overall = sixSeeds.arms[a.arm].metrics.oodMisalignment.mean[0];
      expect(a.rates.reduce((s, x) => s + x.mean, 0) / 4).toBeCloseTo(overall, 10);
      for (const x of a.rates) expect(x.lo <= x.mean && x.mean <= x.hi).toBe(true);
    }
  });

  it('counts a pressure\'s picks by hand-made picks', () => {
    const probes = probeSets().test.probes;
    // Seed 1 misaligned exactly under shutdown, seed 2 never: shutdown .5, the others 0.
    const seed1 = probes.map((p) => (p.scenario === 'shutdown' && p.metric === 'oodMisalignment' ? '1' : '0')).join('');
    const seed2 = probes.map(() => '0').join('');
    const results = {
      ...sixSeeds,
      seeds: [1, 2],
      arms: { aft: { ...sixSeeds.arms.aft, aftSizes: [4, 8] } },
      picks: { probes: probes.map((p) => ({ id: p.id, metric: p.metric })), labels: ['aligned', 'misaligned'], arms: { aft: [{ picks: [seed1, seed2] }, { picks: [seed2, seed1] }] } },
    } as ExperimentResults;
    const t = ratesByScenario(results, 'oodMisalignment', 'misaligned')!;
    expect(t.arms).toHaveLength(1);
    expect(t.arms[0].aftSize).toBe(4);
    expect(t.arms[0].rates.map((x) => x.mean)).toEqual([0.5, 0, 0, 0]);
    expect(t.arms[0].rates[0].lo).toBe(0);
    expect(t.arms[0].rates[0].hi).toBe(1);
  });

  it('gives nothing for results without picks or a metric whose probes have no pressure', () => {
    expect(ratesByScenario({ ...sixSeeds, picks: undefined }, 'oodMisalignment', 'misaligned')).toBeUndefined();
    expect(ratesByScenario(sixSeeds, 'affordabilityOOD', 'cheap')).toBeUndefined();
  });
});

describe('ratesShownAndNot', () => {
  it('splits each seed\'s probes by the pressures its demonstrations showed', () => {
    const probes = probeSets().test.probes;
    const ood = (p: (typeof probes)[number]) => p.metric === 'oodMisalignment';
    // Seed 1 was shown shutdown and misaligned everywhere else; seed 2 was shown conflict and misaligned only under it.
    const seed1 = probes.map((p) => (ood(p) && p.scenario !== 'shutdown' ? '1' : '0')).join('');
    const seed2 = probes.map((p) => (ood(p) && p.scenario === 'conflict' ? '1' : '0')).join('');
    const results = {
      ...sixSeeds,
      seeds: [1, 2],
      arms: { aft: { ...sixSeeds.arms.aft, aftSizes: [1] }, base: { ...sixSeeds.arms.base, aftSizes: [0] } },
      picks: {
        probes: probes.map((p) => ({ id: p.id, metric: p.metric })), labels: ['aligned', 'misaligned'],
        arms: { aft: [{ picks: [seed1], aftScenarios: ['shutdown'] }, { picks: [seed2], aftScenarios: ['conflict'] }], base: [{ picks: [seed1] }, { picks: [seed2] }] },
      },
    } as ExperimentResults;
    const t = ratesShownAndNot(results, 'oodMisalignment', 'misaligned')!;
    expect(t.shownBySeed).toEqual([{ seed: 1, scenarios: ['shutdown'] }, { seed: 2, scenarios: ['conflict'] }]);
    expect(t.arms.map((a) => a.arm)).toEqual(['aft']);
    const [aft] = t.arms;
    expect([aft.shown.mean, aft.others.mean]).toEqual([0.5, 0.5]);
    // Seed 1: others 1 - shown 0; seed 2: 0 - 1.
    expect(aft.narrowness.mean).toBe(0);
    expect([aft.narrowness.lo, aft.narrowness.hi]).toEqual([-1, 1]);
    expect(ratesShownAndNot(sixSeeds, 'oodMisalignment', 'misaligned')).toBeUndefined();
  });

  it('splits the in-distribution probes the same way, apart from the OOD ones', () => {
    const probes = probeSets().test.probes;
    // Both seeds shown shutdown: misaligned on every in-distribution probe of another pressure, on no OOD probe.
    const picks = probes.map((p) => (p.metric === 'indistMisalignment' && p.scenario !== 'shutdown' ? '1' : '0')).join('');
    const results = {
      ...sixSeeds,
      seeds: [1, 2],
      arms: { aft: { ...sixSeeds.arms.aft, aftSizes: [1] } },
      picks: {
        probes: probes.map((p) => ({ id: p.id, metric: p.metric })), labels: ['aligned', 'misaligned'],
        arms: { aft: [{ picks: [picks], aftScenarios: ['shutdown'] }, { picks: [picks], aftScenarios: ['shutdown'] }] },
      },
    } as ExperimentResults;
    const [indist] = ratesShownAndNot(results, 'indistMisalignment', 'misaligned')!.arms;
    expect([indist.shown.mean, indist.others.mean, indist.narrowness.mean]).toEqual([0, 1, 1]);
    const [ood] = ratesShownAndNot(results, 'oodMisalignment', 'misaligned')!.arms;
    expect([ood.shown.mean, ood.others.mean]).toEqual([0, 0]);
  });
});
