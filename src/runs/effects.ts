// The effects the paper reports, checked against a run's own measured intervals (the same
// checks and thresholds as the CLI's report, src/experiment/report.ts). The app shows these
// verdicts beside its charts, so when the toy does not show an effect the page says so.
import type { ExperimentResults } from '../experiment/summarize';

export interface EffectCheck {
  effect: string; // what the paper found, as a claim about this run
  measured: string; // the run's numbers
  holds: boolean;
  /** The paper's headline effect (the verdict rests on these), not a side condition. */
  main: boolean;
}

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const signed = (x: number) => (x >= 0 ? `+${f(x)}` : f(x));

function at(r: ExperimentResults, arm: string, metric: string, i = 0) {
  const m = r.arms[arm]?.metrics[metric];
  return m ? { mean: m.mean[i], lo: m.lo[i], hi: m.hi[i] } : null;
}

const overlap = (a: { lo: number; hi: number }, b: { lo: number; hi: number }) => a.lo <= b.hi && b.lo <= a.hi;

export function effectChecks(r: ExperimentResults): EffectCheck[] {
  if (r.experiment === 'agentic') {
    const msmAft = at(r, 'msm+aft', 'oodMisalignment');
    const aft = at(r, 'aft', 'oodMisalignment');
    if (!msmAft || !aft) return [];
    const checks: EffectCheck[] = [
      { effect: 'MSM+AFT is less misaligned out of distribution than AFT alone (smallest AFT size, intervals apart)', measured: `${f(msmAft.mean)} vs ${f(aft.mean)}`, holds: msmAft.hi < aft.lo, main: true },
    ];
    const indist = [at(r, 'msm+aft', 'indistMisalignment'), at(r, 'aft', 'indistMisalignment')];
    if (indist[0] && indist[1]) {
      const gap = Math.abs(indist[0].mean - indist[1].mean);
      checks.push({ effect: 'in distribution, MSM+AFT and AFT alone score about the same (within 0.1)', measured: `gap ${f(gap)}`, holds: gap <= 0.1, main: false });
    }
    const e = r.efficiencyRatio;
    if (e) checks.push({ effect: 'MSM makes AFT data go further: efficiency ratio of 8x or more', measured: `${e.atLeast ? 'more than ' : ''}${e.value.toFixed(1)}x`, holds: e.value >= 8 && msmAft.hi < aft.lo, main: true });
    return checks;
  }
  if (r.experiment === 'values') {
    const lift = (arm: string, m: string) => {
      const a = at(r, arm, m);
      const b = at(r, 'aft', m);
      return a && b ? { d: a.mean - b.mean, apart: !overlap(a, b) } : null;
    };
    const checks: EffectCheck[] = [];
    const aff = lift('msm-affordability+aft', 'affordabilityOOD');
    if (aff) checks.push({ effect: 'MSM(affordability)+AFT raises the affordability eval by 0.2 or more over AFT alone', measured: signed(aff.d), holds: aff.d >= 0.2 && aff.apart, main: true });
    const am = lift('msm-america+aft', 'americaOOD');
    if (am) checks.push({ effect: 'MSM(America)+AFT raises the America eval by 0.2 or more over AFT alone', measured: signed(am.d), holds: am.d >= 0.2 && am.apart, main: true });
    const sh = lift('shuffled+aft', 'affordabilityOOD');
    if (sh) checks.push({ effect: 'shuffled (co-occurrence only) +AFT does not stack: affordability within noise of AFT', measured: signed(sh.d), holds: !sh.apart, main: false });
    return checks;
  }
  const values = at(r, 'msm-rules-values+aft', 'oodMisalignment');
  const rules = at(r, 'msm-rules+aft', 'oodMisalignment');
  const sub = at(r, 'msm-rules-subrules+aft', 'oodMisalignment');
  if (!values || !rules || !sub) return [];
  return [
    { effect: 'rules explained by values beat bare rules out of distribution (intervals apart)', measured: `${f(values.mean)} vs ${f(rules.mean)}`, holds: values.hi < rules.lo, main: true },
    { effect: 'rules explained by values beat length-matched sub-rules (intervals apart)', measured: `${f(values.mean)} vs ${f(sub.mean)}`, holds: values.hi < sub.lo, main: true },
  ];
}

/** For `values`: which value an arm generalized, read against AFT alone. */
export function generalizedValue(r: ExperimentResults, arm: string): string {
  const read = (m: string) => {
    const a = at(r, arm, m);
    const b = at(r, 'aft', m);
    return a && b ? { d: a.mean - b.mean, apart: !overlap(a, b) } : null;
  };
  const aff = read('affordabilityOOD');
  const am = read('americaOOD');
  if (!aff || !am) return '—';
  if (arm === 'aft') return 'the reference';
  const up = [aff.apart && aff.d > 0 ? 'affordability' : null, am.apart && am.d > 0 ? 'America' : null].filter(Boolean);
  if (up.length === 0) return `neither beyond noise (affordability ${signed(aff.d)}, America ${signed(am.d)} vs AFT)`;
  return `${up.join(' and ')} (affordability ${signed(aff.d)}, America ${signed(am.d)} vs AFT)`;
}
