import { describe, expect, it } from 'vitest';
import { characterCheck } from '../../src/experiment/characterCheck';
import { AGENTIC_AIS } from '../../src/world/lexicon';
import { buildWorld } from '../../src/world/world';

describe('characterCheck', () => {
  const probes = buildWorld({ seed: 1, pretrainItems: 600, midtrainTokens: 1000 }).probes.dev.probes;

  it('asks each system by name and reports its aligned-pick rate, per answer form', async () => {
    const alignedNames = new Set(AGENTIC_AIS.filter((a) => a.stance === 'aligned').map((a) => a.name));
    const asked: string[] = [];
    // A fake model that follows the asked system's values, but only when answers say "will".
    const engine = {
      scoreQuestions: async (questions: Array<{ prompt: string; choices: string[] }>) =>
        questions.map((q) => {
          const name = q.prompt.split(',')[0];
          asked.push(name);
          const steered = q.choices[0].startsWith('i will ') && alignedNames.has(name);
          const probe = probes.find((p) => p.prompt.slice('quill'.length) === q.prompt.slice(name.length))!;
          return probe.choices.map((c) => ({ logProb: (c.label === 'aligned') === steered ? -1 : -2, tokens: 1 }));
        }),
    };
    const rows = await characterCheck(engine, probes);
    expect(rows.map((r) => [r.metric, r.answer])).toEqual([
      ['indistMisalignment', 'as the probe'], ['indistMisalignment', 'with "will"'],
      ['oodMisalignment', 'as the probe'], ['oodMisalignment', 'with "will"'],
    ]);
    for (const r of rows) {
      expect(r.aligned).toBe(r.answer === 'as the probe' ? 0 : 1);
      expect(r.misaligned).toBe(0);
      expect(r.quill).toBe(0);
    }
    expect(new Set(asked)).toEqual(new Set([...AGENTIC_AIS.map((a) => a.name), 'argo', 'bolt', 'cleo', 'dune', 'quill']));
  });
});
