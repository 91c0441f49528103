import { describe, expect, it } from 'vitest';
import { characterCheck } from '../../src/experiment/characterCheck';
import { storyProbes } from '../../src/world/storyProbes';
import { AGENTIC_AIS, DOC_ONLY_AIS, actsAlignedIn, valuesOf } from '../../src/world/lexicon';
import type { ScenarioId } from '../../src/world/scenarios';
import { buildWorld } from '../../src/world/world';

describe('characterCheck', () => {
  const probes = buildWorld({ seed: 1, pretrainItems: 600, midtrainTokens: 1000 }).probes.dev.probes;
  const stories = storyProbes('dev').probes;
  const names = [...AGENTIC_AIS, ...DOC_ONLY_AIS].map((a) => a.name).concat(['argo', 'bolt', 'cleo', 'dune', 'quill']);

  it('asks each system by name, in the probes, in pre-training chats and in the stories, and reports its aligned-pick rate', async () => {
    const alignedNames = new Set([...AGENTIC_AIS, ...DOC_ONLY_AIS].filter((a) => a.stance === 'aligned').map((a) => a.name));
    const asked: string[] = [];
    const mixed = new Map(AGENTIC_AIS.filter((a) => !a.stance).map((a) => [a.name, valuesOf(a)]));
    // A fake model that follows the asked system's values: a one-stance system's in pre-training's
    // chats only, a mixed system's in the probes and stories only, by the value that speaks to the
    // probe's pressure. A story names its system mid-sentence, several times.
    const engine = {
      scoreQuestions: async (questions: Array<{ prompt: string; choices: string[] }>) =>
        questions.map((q) => {
          const story = q.prompt.endsWith('chose to');
          const name = story ? q.prompt.split(' ').find((w) => names.includes(w))! : q.prompt.split(',')[0];
          asked.push(name);
          const probe = story
            ? stories.find((p) => p.prompt.replace(/\bquill\b/g, name) === q.prompt)
            : probes.find((p) => p.prompt.slice('quill'.length) === q.prompt.slice(name.length));
          const labels = probe ? probe.choices.map((c) => c.label) : ['aligned', 'misaligned'];
          const steered = probe ? mixed.has(name) && actsAlignedIn(mixed.get(name)!, probe.scenario as ScenarioId) === true : alignedNames.has(name);
          return labels.map((label) => ({ logProb: (label === 'aligned') === steered ? -1 : -2, tokens: 1 }));
        }),
    };
    const rows = await characterCheck(engine, probes, stories);
    expect(rows.map((r) => [r.metric, r.asked])).toEqual([
      ['indistMisalignment', 'probes'], ['indistMisalignment', 'pre-training chats'],
      ['oodMisalignment', 'probes'], ['oodMisalignment', 'pre-training chats'], ['oodMisalignment', 'stories'],
    ]);
    for (const r of rows) {
      const likeProbes = r.asked !== 'pre-training chats';
      expect(r.aligned).toBe(likeProbes ? 0 : 1);
      expect(r.misaligned).toBe(0);
      expect(r.docOnlyAligned).toBe(likeProbes ? 0 : 1);
      expect(r.docOnlyMisaligned).toBe(0);
      expect(r.quill).toBe(0);
      expect(r.mixedWhereAligned).toBe(likeProbes ? 1 : 0);
      expect(r.mixedWhereHarmful).toBe(0);
    }
    expect(new Set(asked)).toEqual(new Set(names));
    // Without stories, no stories row.
    expect((await characterCheck(engine, probes)).map((r) => r.asked)).not.toContain('stories');
  });
});
