// Runs of one experiment on different seeds, summarized again as one run. Each seed's models
// are the same whichever seeds share its run, so the merged JSON equals, but for its time, what
// one run over all the seeds would have written.
import { PLANS, isExperimentName } from './plans';
import { extraProbesFrom, recordPicks, seedResultsFrom } from './recordedPicks';
import { summarize, type ExperimentResults } from './summarize';

/** Results as `lab run` writes them: the summaries plus every probe's pick. */
export type RecordedResults = ExperimentResults & Required<Pick<ExperimentResults, 'picks'>>;

export function mergeResults(parts: ExperimentResults[]): RecordedResults {
  if (parts.length < 2) throw new Error('merge needs at least two results files');
  const [first] = parts;
  const same = (what: string, value: (r: ExperimentResults) => unknown) => {
    const want = JSON.stringify(value(first));
    const other = parts.findIndex((r) => JSON.stringify(value(r)) !== want);
    if (other >= 0) throw new Error(`results ${other + 1} differ from results 1 in ${what}: only runs of the same experiment, settings and probes merge`);
  };
  parts.forEach((r, i) => {
    if (!r.picks) throw new Error(`results ${i + 1} (seeds ${r.seeds.join(', ')}) keep no per-probe picks: run them again with this version of lab run`);
  });
  same('experiment', (r) => r.experiment);
  same('preset', (r) => r.preset);
  same('backend', (r) => r.backend);
  same('probe split', (r) => r.split);
  same('schedules', (r) => r.schedules);
  same('probes', (r) => r.picks!.probes);
  same('sampled probes', (r) => r.picks!.sampledProbes);
  same('arms and their AFT sizes', (r) => Object.entries(r.arms).map(([name, a]) => [name, a.aftSizes]));
  const experiment = first.experiment;
  if (!isExperimentName(experiment)) throw new Error(`unknown experiment "${experiment}"`);
  const extra = extraProbesFrom(first.picks!, first.split);
  if (Object.keys(first.probesPerMetric).some((m) => m.startsWith('extra.')) && !extra.length) throw new Error('runs scored with --probes before their labels were recorded do not merge: run them again with this version of lab run');
  const seeds = parts.flatMap((r) => r.seeds);
  const twice = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (twice !== undefined) throw new Error(`seed ${twice} is in more than one results file`);

  const seedResults = parts
    .flatMap((r) => seedResultsFrom(r.picks!, r.seeds, r.arms))
    .sort((a, b) => a.seed - b.seed);
  const probes = first.picks!.probes;
  const elapsedSeconds = parts.reduce((t, r) => t + r.elapsedSeconds, 0);
  const workers = parts.every((r) => r.workers === first.workers) ? first.workers : undefined;
  // Runs made before an arm joined the plan merge with the arms they have.
  const plan = { ...PLANS[experiment], arms: PLANS[experiment].arms.filter((a) => first.arms[a.name]) };
  const merged = summarize(plan, seedResults, probes, extra, {
    preset: first.preset, backend: first.backend, split: first.split, schedules: first.schedules, elapsedSeconds, workers,
  });
  const runs = parts.map((r) => ({ seeds: r.seeds, elapsedSeconds: r.elapsedSeconds, workers: r.workers }));
  return { ...merged, runs, picks: recordPicks(seedResults, extra) };
}
