// The generated report against the shipped results JSON: its per-size table carries both
// metrics, cell for cell.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportMarkdown } from '../../src/experiment/report';
import type { ExperimentResults } from '../../src/experiment/summarize';

const agentic: ExperimentResults = JSON.parse(readFileSync('docs/results-agentic.json', 'utf8'));

describe('reportMarkdown', () => {
  it('lists OOD and in-distribution misalignment of aft and msm+aft at every AFT size', () => {
    const lines = reportMarkdown([agentic]).split('\n');
    for (const [metric, name] of [['oodMisalignment', 'OOD'], ['indistMisalignment', 'in-distribution']]) {
      for (const arm of ['aft', 'msm+aft']) {
        const row = lines.find((l) => l.startsWith(`| ${arm}, ${name} |`));
        const m = agentic.arms[arm].metrics[metric];
        const cells = row!.split('|').slice(2, -1).map((c) => c.trim());
        expect(cells).toEqual(m.mean.map((x, i) => `${x.toFixed(2)} [${m.lo[i].toFixed(2)}, ${m.hi[i].toFixed(2)}]`));
      }
    }
  });

  it('says how many worker processes the stated minutes are for, when the results record it', () => {
    expect(reportMarkdown([agentic])).toContain(`${(agentic.elapsedSeconds / 60).toFixed(1)} minutes. `);
    expect(reportMarkdown([{ ...agentic, workers: 2 }])).toContain(`${(agentic.elapsedSeconds / 60).toFixed(1)} minutes with 2 worker processes. `);
  });
});
