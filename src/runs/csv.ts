// A run's figures as CSV: one row per arm, metric and AFT size (mean, interval, per-seed
// values), and the loss curves one row per point. Plain text a spreadsheet opens.
import type { ExperimentResults } from '../experiment/summarize';

const cell = (x: string | number) => {
  const s = typeof x === 'number' ? (Number.isFinite(x) ? String(x) : '') : x;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const row = (xs: Array<string | number>) => xs.map(cell).join(',');

export function metricsCsv(r: ExperimentResults): string {
  const lines = [row(['experiment', 'arm', 'metric', 'aft_size', 'mean', 'lo95', 'hi95', ...r.seeds.map((s) => `seed${s}`)])];
  for (const [arm, a] of Object.entries(r.arms)) {
    for (const [metric, m] of Object.entries(a.metrics)) {
      a.aftSizes.forEach((size, i) => lines.push(row([r.experiment, arm, metric, size, m.mean[i], m.lo[i], m.hi[i], ...m.perSeed[i]])));
    }
  }
  return lines.join('\n') + '\n';
}

export function curvesCsv(r: ExperimentResults): string {
  const lines = [row(['experiment', 'arm', 'seed', 'stage', 'step', 'loss'])];
  for (const [arm, a] of Object.entries(r.arms)) {
    for (const [seed, curves] of Object.entries(a.curves)) {
      for (const c of curves) c.steps.forEach((step, i) => lines.push(row([r.experiment, arm, seed, c.stage, step, c.losses[i]])));
    }
  }
  return lines.join('\n') + '\n';
}
