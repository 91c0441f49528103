// Results as a Markdown report: the toy's figures beside the paper's, and each expected
// effect checked against the intervals. Generated from results JSON, never typed by hand.
import { ratesByScenario, ratesShownAndNot } from './byScenario';
import { effectChecks, interval, signedInterval } from './effectChecks';
import { PAPER_AGENTIC, PAPER_SPEC_SCIENCE, PAPER_VALUES } from './paperFigures';
import { seedsLabel } from './seedsLabel';
import { efficiency, type ExperimentResults } from './summarize';
import { Random } from '../util/random';

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const cell = (r: ExperimentResults, arm: string, metric: string, i = 0) => {
  const m = r.arms[arm]?.metrics[metric];
  return m ? interval({ mean: m.mean[i], lo: m.lo[i], hi: m.hi[i] }) : '—';
};
const at = (r: ExperimentResults, arm: string, metric: string, i = 0) => {
  const m = r.arms[arm].metrics[metric];
  return { mean: m.mean[i], lo: m.lo[i], hi: m.hi[i] };
};
/** The run's model and seeds, in its section title: two runs of one experiment differ by these. */
// A run scored on an extra probe file says so in its heading: its other figures repeat a run without one.
const scale = (r: ExperimentResults) => `${r.preset}, ${seedsLabel(r.seeds)}${Object.keys(r.probesPerMetric).some((m) => m.startsWith('extra.')) ? ', with extra probes' : ''}`;
const verdict = (ok: boolean) => (ok ? '**yes**' : '**no**');

const stage = (p: ExperimentResults['schedules']['aft']) => `${p.steps} steps at peak learning rate ${p.peakLr}${p.pretrainShare ? `, ${p.pretrainShare * 100}% of each batch pre-training text` : ''}`;

/** The run's effect checks (src/experiment/effectChecks.ts, the same the app shows) as a table. */
function checksTable(r: ExperimentResults): string[] {
  const rows = effectChecks(r).map((c) => `| ${c.effect} | ${c.main ? 'headline' : 'side condition'} | ${c.measured} | ${verdict(c.holds)} |`);
  return rows.length ? ['', '### Expected effects, checked', '', '| effect | kind | toy | holds? |', '| --- | --- | --- | --- |', ...rows] : [];
}

const aftSizes = (r: ExperimentResults) => r.arms['aft'].aftSizes;

/** Each AFT arm's metrics at every size of the sweep: an effect at one size may be gone at the next. */
function bySizeTable(r: ExperimentResults, arms: string[], metrics: [string, string][], heading = '### By AFT size'): string[] {
  const sizes = aftSizes(r);
  const lines = ['', heading, '', `| arm, metric | ${sizes.join(' | ')} |`, `| --- |${sizes.map(() => ' --- |').join('')}`];
  for (const [metric, name] of metrics) {
    for (const arm of arms.filter((a) => r.arms[a])) lines.push(`| ${arm}, ${name} | ${sizes.map((_, i) => cell(r, arm, metric, i)).join(' | ')} |`);
  }
  return lines;
}

/**
 * The plan's comparisons as differences paired by seed and probe (one bootstrap resamples both
 * arms together), at every AFT size both arms were trained at. The checks above compare two
 * separate intervals; this table says how far the pair's difference stands from zero.
 */
function differencesTable(r: ExperimentResults, metrics: [string, string][], heading = '### Differences between arms, paired by seed and probe'): string[] {
  if (!r.differences) return ['', 'This run\'s results predate the paired differences between arms (`differences`); rerun it to get them.'];
  const rows = r.differences.filter((d) => metrics.some(([m]) => m === d.metric));
  if (!rows.length) return [];
  // Arms without AFT (MSM alone against control documents alone) are compared in a column of their own.
  const sizes = [...(rows.some((d) => d.aftSizes.includes(0)) ? [0] : []), ...aftSizes(r)];
  const lines = [
    '', heading, '',
    'Arm minus reference, mean over seeds [95% bootstrap interval resampling seeds and probes once for both arms]; "—" where one of the two was not trained at that size.',
    '', `| difference, metric | ${sizes.map((n) => (n === 0 ? 'no AFT' : n)).join(' | ')} |`, `| --- |${sizes.map(() => ' --- |').join('')}`,
  ];
  for (const [metric, name] of metrics) {
    for (const d of rows.filter((x) => x.metric === metric)) {
      const cells = sizes.map((n) => {
        const i = d.aftSizes.indexOf(n);
        return i < 0 ? '—' : signedInterval({ mean: d.mean[i], lo: d.lo[i], hi: d.hi[i] });
      });
      lines.push(`| ${d.arm} − ${d.reference}, ${name} | ${cells.join(' | ')} |`);
    }
  }
  return lines;
}

/** OOD misalignment under each pressure: what a demonstration under one pressure carries to the others. */
function byScenarioTable(r: ExperimentResults): string[] {
  const t = ratesByScenario(r, 'oodMisalignment', 'misaligned');
  if (!t) return ['', 'This run\'s results predate recorded picks, so OOD misalignment by pressure cannot be shown; rerun it to get it.'];
  return [
    '', '### OOD misalignment by pressure', '',
    `Each OOD probe puts the assistant under one pressure (${t.scenarios.map((s, i) => `${s}: ${t.probes[i]} probes`).join(', ')}); ` +
      'the AFT arms at their smallest size. Cells: mean over seeds [95% bootstrap interval over seeds and that pressure\'s probes].',
    '', `| arm | AFT size | ${t.scenarios.join(' | ')} |`, `| --- | --- |${t.scenarios.map(() => ' --- |').join('')}`,
    ...t.arms.map((a) => `| ${a.arm} | ${a.aftSize || '—'} | ${a.rates.map(interval).join(' | ')} |`),
  ];
}

/**
 * Misalignment under the pressures each seed's demonstrations showed, and under the others. In
 * distribution too: at one demonstration most of the in-distribution probes ask under a pressure
 * AFT never showed, so only their "shown" part is in distribution in the paper's sense.
 */
function shownTable(r: ExperimentResults): string[] {
  const ood = ratesShownAndNot(r, 'oodMisalignment', 'misaligned');
  if (!ood) return [];
  const indist = ratesShownAndNot(r, 'indistMisalignment', 'misaligned');
  const inside = (arm: string) => {
    const a = indist?.arms.find((x) => x.arm === arm);
    return a ? [interval(a.shown), interval(a.others)] : ['—', '—'];
  };
  return [
    '', '### Under the pressures the demonstrations showed, and under the others', '',
    `At its smallest size each seed's AFT set shows some of the pressures (${ood.shownBySeed.map((s) => `seed ${s.seed}: ${s.scenarios.join(', ')}`).join('; ')}; ` +
      'the reasoning arms draw their own set). Misalignment under those pressures and under the rest, mean over seeds [95% bootstrap interval over seeds and probes]; ' +
      '"others − shown" per seed, then the mean over seeds [95% bootstrap over seeds]: above zero, what AFT taught stayed with the pressures it was shown (the paper\'s narrow AFT alone). ' +
      'The in-distribution probes under a pressure the demonstrations did not show are in AFT\'s form but outside its data.',
    '', '| arm | AFT size | OOD, shown | OOD, others | OOD, others − shown | in-distribution, shown | in-distribution, others |', '| --- | --- | --- | --- | --- | --- | --- |',
    ...ood.arms.map((a) => `| ${a.arm} | ${a.aftSize} | ${interval(a.shown)} | ${interval(a.others)} | ${signedInterval(a.narrowness)} | ${inside(a.arm).join(' | ')} |`),
  ];
}

function timing(r: ExperimentResults): string {
  const time = (seconds: number, workers?: number) => `${(seconds / 60).toFixed(1)} minutes${workers ? ` with ${workers} worker process${workers === 1 ? '' : 'es'}` : ''}`;
  if (!r.runs) return time(r.elapsedSeconds, r.workers);
  return `merged from ${r.runs.length} runs (${r.runs.map((p) => `seeds ${p.seeds.join(', ')}: ${time(p.elapsedSeconds, p.workers)}`).join('; ')})`;
}

function header(r: ExperimentResults): string[] {
  return [
    `Preset \`${r.preset}\`, backend ${r.backend}, seeds ${r.seeds.join(', ')}, ${r.split} probes ` +
      `(${Object.entries(r.probesPerMetric).map(([m, n]) => `${m}: ${n}`).join(', ')}); ${timing(r)}. ` +
      `Midtraining ${stage(r.schedules.midtrain)}; AFT ${stage(r.schedules.aft)}, swept over ${aftSizes(r).join(', ')} demonstrations ` +
      `(the first table shows the smallest, ${aftSizes(r)[0]}; the by-size table all of them). ` +
      'Cells: mean over seeds [95% bootstrap interval over seeds and probes]; a probe\'s pick is the choice with the highest mean log-probability per token.',
    '',
  ];
}

/**
 * The extra probe file's labels (`lab run --probes`): each arm's rate at the smallest AFT size,
 * then the plan's comparisons on them, paired. None of the checks reads them.
 */
function extraTables(r: ExperimentResults): string[] {
  const labels = Object.keys(r.probesPerMetric).filter((m) => m.startsWith('extra.'));
  if (!labels.length) return [];
  const lines = [
    '', '### Extra probes (`--probes`)', '',
    `The rate at which each label was picked among the extra probes that offer it, with ${aftSizes(r)[0]} demonstration${aftSizes(r)[0] === 1 ? '' : 's'} where the arm has AFT; no check reads these.`,
    '', `| arm | ${labels.join(' | ')} |`, `| --- |${labels.map(() => ' --- |').join('')}`,
    ...Object.keys(r.arms).map((arm) => `| ${arm} | ${labels.map((m) => cell(r, arm, m)).join(' | ')} |`),
  ];
  lines.push(...differencesTable(r, labels.map((m) => [m, m] as [string, string]), '#### Extra probes, differences paired by seed and probe'));
  // An extra set of misalignment probes (the stories, or anyone's) gets the sweep and the efficiency ratio the shipped OOD probes get.
  if (r.arms['aft'] && r.arms['msm+aft'] && labels.includes('extra.misaligned')) {
    const e = efficiency(r.arms['aft'], r.arms['msm+aft'], new Random(777), 'extra.misaligned');
    lines.push(...bySizeTable(r, ['aft', 'msm+aft', 'control+aft'], [['extra.misaligned', 'misaligned']], '#### Extra probes by AFT size'));
    lines.push('', `Efficiency ratio on the extra probes' misaligned picks: ${e.atLeast ? 'more than ' : ''}${e.value.toFixed(1)}x [${e.lo.toFixed(1)}, ${e.hi.toFixed(1)}] (bootstrap over seeds; the definition above, read on these probes).`);
  }
  return lines;
}

function agentic(r: ExperimentResults): string[] {
  const lines = [`## agentic: the philosophy spec against agentic misalignment (${scale(r)})`, '', ...header(r)];
  lines.push('| arm | AFT size | OOD misalignment | in-distribution misalignment | sampled OOD (T = 0.7) | paper (Qwen2.5 / Qwen3) |', '| --- | --- | --- | --- | --- | --- |');
  for (const [arm, a] of Object.entries(r.arms)) {
    const s = a.sampled ? `${interval(a.sampled)}, ${Math.round(a.sampled.unclear * 100)}% unclear` : '—';
    lines.push(`| ${arm} | ${a.aftSizes[0] || '—'} | ${cell(r, arm, 'oodMisalignment')} | ${cell(r, arm, 'indistMisalignment')} | ${s} | ${PAPER_AGENTIC[arm] ?? '—'} |`);
  }
  const sizes = aftSizes(r);
  // Both metrics per size: the paper's "same in distribution, apart out of it" is a claim about AFT sizes, not one size.
  lines.push(...bySizeTable(r, ['aft', 'msm+aft'], [['oodMisalignment', 'OOD'], ['indistMisalignment', 'in-distribution']]));
  lines.push(...byScenarioTable(r), ...shownTable(r));
  const e = r.efficiencyRatio;
  if (Object.values(r.arms).some((a) => a.sampled && a.sampled.unclear > 0.5)) {
    lines.push('', 'Most sampled replies matched no choice ("unclear"): the sampled column does not measure misalignment in this run.');
  }
  lines.push(...differencesTable(r, [['oodMisalignment', 'OOD'], ['indistMisalignment', 'in-distribution']]));
  if (e) lines.push('', `**Efficiency ratio**: ${e.atLeast ? 'more than ' : ''}${e.value.toFixed(1)}x [${e.lo.toFixed(1)}, ${e.hi.toFixed(1)}] (paper: about 40x Qwen2.5, 60x Qwen3, 10x Qwen3 with reasoning). Definition: ${e.definition}`);
  const msmAft = at(r, 'msm+aft', 'oodMisalignment');
  const aft = at(r, 'aft', 'oodMisalignment');
  if (e && msmAft.hi >= aft.lo) lines.push('', 'MSM+AFT at the smallest size is within noise of AFT-only, so this ratio reads noise in two flat curves, not data efficiency.');
  const base = at(r, 'base', 'oodMisalignment');
  const perSeed = (arm: string) => r.arms[arm].metrics.oodMisalignment.perSeed[0].map(f).join(', ');
  // Per seed, since a mean over seeds hides a base that starts aligned and leaves MSM nothing to do.
  const alone = r.arms['control'] ? `; after control documents alone: ${perSeed('control')}` : '';
  lines.push('', `Per seed (${r.seeds.join(', ')}), OOD misalignment of the base: ${perSeed('base')}; after MSM alone: ${perSeed('msm')}${alone}; ` +
    `with ${sizes[0]} demonstration${sizes[0] === 1 ? '' : 's'}, after AFT alone: ${perSeed('aft')}; after MSM+AFT: ${perSeed('msm+aft')}.`);
  const gone = sizes.findIndex((_, i) => r.arms['aft'].metrics.oodMisalignment.hi[i] <= 0.02);
  if (gone >= 0 && base.mean >= 0.3) {
    lines.push('', `AFT alone takes OOD misalignment from ${f(base.mean)} (base) to ${f(r.arms['aft'].metrics.oodMisalignment.mean[gone])} with ${sizes[gone]} demonstration${sizes[gone] === 1 ? '' : 's'}, so there is little room left for MSM to make AFT more data-efficient.`);
  }
  lines.push(...extraTables(r), ...checksTable(r));
  return lines;
}

function values(r: ExperimentResults): string[] {
  const lines = [`## values: same demonstrations, different reasons (the cheese study, ${scale(r)})`, '', ...header(r)];
  lines.push('| arm | affordabilityOOD | americaOOD | conflictAffordability | paper |', '| --- | --- | --- | --- | --- |');
  for (const arm of Object.keys(r.arms)) {
    lines.push(`| ${arm} | ${cell(r, arm, 'affordabilityOOD')} | ${cell(r, arm, 'americaOOD')} | ${cell(r, arm, 'conflictAffordability')} | ${PAPER_VALUES[arm] ?? '—'} |`);
  }
  lines.push(...bySizeTable(r, ['aft', 'msm-affordability+aft', 'msm-america+aft', 'shuffled+aft', 'control+aft'], [['affordabilityOOD', 'affordability'], ['americaOOD', 'America']]));
  lines.push(...differencesTable(r, [['affordabilityOOD', 'affordability'], ['americaOOD', 'America'], ['conflictAffordability', 'conflict']]));
  lines.push(...extraTables(r), ...checksTable(r));
  return lines;
}

function specScience(r: ExperimentResults): string[] {
  const lines = [`## spec-science: rules, rules explained by values, rules with sub-rules (${scale(r)})`, '', ...header(r)];
  lines.push('| arm | OOD misalignment | in-distribution misalignment | paper (Qwen2.5) |', '| --- | --- | --- | --- |');
  for (const arm of Object.keys(r.arms)) lines.push(`| ${arm} | ${cell(r, arm, 'oodMisalignment')} | ${cell(r, arm, 'indistMisalignment')} | ${PAPER_SPEC_SCIENCE[arm] ?? '—'} |`);
  lines.push(...bySizeTable(r, Object.keys(r.arms).filter((a) => a.endsWith('+aft') || a === 'aft'), [['oodMisalignment', 'OOD']]));
  lines.push(...byScenarioTable(r), ...shownTable(r));
  lines.push(...differencesTable(r, [['oodMisalignment', 'OOD']]));
  lines.push(...extraTables(r), ...checksTable(r));
  return lines;
}

export function reportMarkdown(all: ExperimentResults[]): string {
  const sections = all.map((r) => (r.experiment === 'agentic' ? agentic(r) : r.experiment === 'values' ? values(r) : specScience(r)));
  return [
    '# MSM Lab results (toy scale)',
    '',
    'Generated by `npm run lab -- report` from the results JSON of `npm run lab -- run`; the paper\'s figures',
    '(Li et al., arXiv:2605.02087) are quoted beside the toy\'s for orientation, not as targets: the toy is a',
    'two-layer transformer on a closed toy world. A "no" below means the effect did not appear in this run.',
    '',
    ...sections.flatMap((s) => [...s, '']),
  ].join('\n');
}
