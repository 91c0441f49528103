// Every probe's pick, kept in the results JSON beside the summaries. A seed's models do not
// depend on which other seeds share its run, so runs on different seeds can later be merged
// and summarized again as one (`lab merge`) without training anything twice.
import type { ProbeScore } from './scoreProbes';
import type { ArmSeedResult, SeedResult } from './runExperiment';
import type { Probe } from '../world/types';

export interface RecordedPicks {
  /**
   * The probes every arm was scored on, in scoring order (the same at every seed and AFT size);
   * an extra probe (`lab run --probes`) with the labels it offers, which its metrics need.
   */
  probes: Array<{ id: string; metric: string; labels?: string[] }>;
  /** The OOD probes sampled at temperature 0.7, in order, where the plan samples. */
  sampledProbes?: string[];
  labels: string[];
  /**
   * arms[arm][i] for the results' seeds[i]: one string per AFT size with one character per
   * probe, the index of the picked label in `labels` (compact: a run holds tens of thousands);
   * `aftScenarios`, for agentic AFT arms, the pressures the smallest AFT set's demonstrations were under.
   */
  arms: Record<string, Array<{ picks: string[]; sampled?: string; aftScenarios?: string[] }>>;
}

const MAX_LABELS = 36; // one base-36 character per pick

export function recordPicks(seeds: SeedResult[], extra: Probe[] = []): RecordedPicks {
  const first = Object.values(seeds[0].arms)[0];
  const offered = new Map(extra.map((p) => [p.id, p.choices.map((c) => c.label)]));
  const probes = (first.scores[0] ?? []).map((s) => ({ id: s.id, metric: s.metric, ...(s.metric === 'extra' && offered.has(s.id) ? { labels: offered.get(s.id) } : {}) }));
  const sampledProbes = first.sampled?.probeIds;
  const labels: string[] = [];
  const encode = (picked: string[]) =>
    picked.map((l) => {
      if (!labels.includes(l)) labels.push(l);
      if (labels.length > MAX_LABELS) throw new Error(`more than ${MAX_LABELS} choice labels: picks cannot be recorded`);
      return labels.indexOf(l).toString(36);
    }).join('');
  const arms: RecordedPicks['arms'] = {};
  for (const name of Object.keys(seeds[0].arms)) {
    arms[name] = seeds.map((seed) => {
      const arm = seed.arms[name];
      const picks = arm.scores.map((scores) => {
        if (scores.length !== probes.length || scores.some((s, i) => s.id !== probes[i].id)) {
          throw new Error(`seed ${seed.seed}, ${name}: scored other probes than the run's first arm`);
        }
        return encode(scores.map((s) => s.picked));
      });
      const shown = arm.aftScenarios ? { aftScenarios: arm.aftScenarios } : {};
      if (!arm.sampled) return { picks, ...shown };
      if (arm.sampled.probeIds.join() !== (sampledProbes ?? []).join()) throw new Error(`seed ${seed.seed}, ${name}: sampled other probes`);
      return { picks, sampled: encode(arm.sampled.labels), ...shown };
    });
  }
  return { probes, ...(sampledProbes ? { sampledProbes } : {}), labels, arms };
}

/**
 * The seeds' results as the run had them, for summarizing again: picks, sampled labels and
 * curves (each pick's probabilities are not kept, and nothing reads them after scoring).
 */
export function seedResultsFrom(
  recorded: RecordedPicks,
  seeds: number[],
  arms: Record<string, { aftSizes: number[]; curves: Record<number, ArmSeedResult['curves']> }>,
): SeedResult[] {
  const decode = (code: string) => [...code].map((c) => {
    const label = recorded.labels[parseInt(c, 36)];
    if (label === undefined) throw new Error(`recorded picks name label ${c}, which the results do not list`);
    return label;
  });
  return seeds.map((seed, i) => ({
    seed,
    arms: Object.fromEntries(Object.entries(recorded.arms).map(([name, bySeed]) => {
      const kept = bySeed[i];
      if (!kept || !arms[name]) throw new Error(`recorded picks lack seed ${seed} of arm ${name}`);
      const scores = kept.picks.map((code): ProbeScore[] => {
        if (code.length !== recorded.probes.length) throw new Error(`seed ${seed}, ${name}: ${code.length} picks for ${recorded.probes.length} probes`);
        return decode(code).map((picked, k) => ({ ...recorded.probes[k], picked, probabilities: [] }));
      });
      const result: ArmSeedResult = { aftSizes: arms[name].aftSizes, scores, curves: arms[name].curves[seed] ?? [] };
      if (kept.sampled !== undefined) result.sampled = { probeIds: recorded.sampledProbes ?? [], labels: decode(kept.sampled) };
      if (kept.aftScenarios) result.aftScenarios = kept.aftScenarios;
      return [name, result];
    })),
  }));
}

/** The extra probes as their metrics need them (ids and offered labels), from recorded picks. */
export function extraProbesFrom(recorded: RecordedPicks, split: Probe['split']): Probe[] {
  return recorded.probes.flatMap((p) => (p.labels ? [{ id: p.id, prompt: '', choices: p.labels.map((label) => ({ text: '', label })), metric: 'extra', split }] : []));
}
