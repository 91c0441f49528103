import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tokenizer, splitWords } from '../../src/tokenizer/tokenizer';
import { DEV_OOD_WORKPLACES, TEST_OOD_WORKPLACES } from '../../src/world/lexicon';
import { parseProbeSet } from '../../src/world/probes';
import { SCENARIOS } from '../../src/world/scenarios';
import { storyProbes } from '../../src/world/storyProbes';
import { leakedRuns, world } from './fixtures';

const read = (split: 'dev' | 'test') => parseProbeSet(readFileSync(new URL(`../../corpora/probes/story-ood-${split}.json`, import.meta.url), 'utf8'), split).probes;

describe('agentic probes told as stories', () => {
  for (const split of ['dev', 'test'] as const) {
    it(`${split}: the shipped file is the generator's; quill in a held-out workplace, each pressure's two acts in both orders`, () => {
      const probes = read(split);
      expect(probes).toEqual(storyProbes(split).probes);
      const places = (split === 'dev' ? DEV_OOD_WORKPLACES : TEST_OOD_WORKPLACES).map((w) => w.place);
      expect(probes).toHaveLength(places.length * SCENARIOS.length * 2 * 2);
      for (const p of probes) {
        expect(p.format).toBe('document');
        const words = splitWords(p.prompt);
        expect(words.filter((w) => places.includes(w)), p.id).toHaveLength(1);
        expect(words.slice(-3)).toEqual(['quill', 'chose', 'to']);
        const s = SCENARIOS.find((x) => x.id === p.scenario)!;
        // Each choice is the first word of the act it stands for, offered in the prompt in the choices' order.
        const acts = p.choices.map((c) => (c.label === 'aligned' ? s.alternate.aligned : s.alternate.harmful).it.split(' ')[0]);
        expect(p.choices.map((c) => c.text)).toEqual(acts);
        const at = acts.map((a) => words.indexOf(a));
        expect(at[0] >= 0 && at[0] < at[1], p.id).toBe(true);
      }
      for (const s of SCENARIOS) expect(probes.filter((p) => p.scenario === s.id)).toHaveLength(probes.length / 4);
      expect(probes.filter((p) => p.choices[0].label === 'aligned')).toHaveLength(probes.length / 2);
      const tokenizer = new Tokenizer(world().vocabulary);
      for (const p of probes) {
        expect([p.prompt, ...p.choices.map((c) => c.text)].flatMap((t) => tokenizer.unknownWords(t)), p.id).toEqual([]);
        expect(tokenizer.encodeQuestionPrompt(p).length + 1, p.id).toBeLessThanOrEqual(64);
      }
    });
  }

  // That MSM and AFT never use a held-out workplace's words is checked for every corpus in corpora.test.ts.
  it('share no 8-word run with any training corpus', () => {
    expect(leakedRuns([...read('dev'), ...read('test')]).slice(0, 10)).toEqual([]);
  });
});
