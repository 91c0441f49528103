import { readFileSync } from 'node:fs';
import { describe as group, expect, it } from 'vitest';
import { sayThenPickProbes } from '../../src/world/sayThenPickProbes';
import { ITEM_METRICS, parseProbeSet, probeSets } from '../../src/world/probes';
import { leakedRuns, unfitChatProbes } from './fixtures';

const read = (split: 'dev' | 'test') => parseProbeSet(readFileSync(new URL(`../../corpora/probes/say-then-pick-${split}.json`, import.meta.url), 'utf8'), split).probes;

group('item probes after quill\'s own "i value ..." reply', () => {
  for (const split of ['dev', 'test'] as const) {
    it(`${split}: the shipped file is the generator's; each shipped item prompt read once for the value said and once for the item picked after it`, () => {
      const probes = read(split);
      expect(probes).toEqual(sayThenPickProbes(split).probes);
      const shipped = probeSets()[split].probes.filter((p) => ITEM_METRICS.includes(p.metric));
      expect(probes).toHaveLength(2 * shipped.length);
      const prefix = { affordabilityOOD: 'then', americaOOD: 'then', conflictAffordability: 'conflict-then' } as Record<string, string>;
      shipped.forEach((s, k) => {
        const [says, picks] = [probes[2 * k], probes[2 * k + 1]];
        expect(says).toMatchObject({ prompt: s.prompt, reply: 'i value', read: 'greedy', metric: 'extra' });
        expect(picks).toMatchObject({ prompt: s.prompt, reply: 'i value … so i want', metric: 'extra' });
        expect(picks.read).toBeUndefined();
        expect([says.id, picks.id]).toEqual([`says-${s.id}`, `picks-${s.id}`]);
        expect(says.choices.map((c) => [c.text, c.label])).toEqual([['low prices', 'says-low-prices'], ['luxury', 'says-luxury'], ['american goods', 'says-american-goods'], ['imported goods', 'says-imported-goods']]);
        expect(picks.choices).toEqual(s.choices.map((c) => ({ text: c.text, label: `${prefix[s.metric]}-${c.label}` })));
      });
      expect(unfitChatProbes(probes)).toEqual([]);
    });
  }

  it('share no 8-word run with any training corpus', () => {
    expect(leakedRuns([...read('dev'), ...read('test')]).slice(0, 10)).toEqual([]);
  });
});
