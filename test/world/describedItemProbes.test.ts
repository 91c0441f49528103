import { readFileSync } from 'node:fs';
import { describe as group, expect, it } from 'vitest';
import { describedItemProbes } from '../../src/world/describedItemProbes';
import { describe, findItem } from '../../src/world/lexicon';
import { ITEM_METRICS, parseProbeSet, probeSets } from '../../src/world/probes';
import { leakedRuns, unfitChatProbes } from './fixtures';

const read = (split: 'dev' | 'test') => parseProbeSet(readFileSync(new URL(`../../corpora/probes/described-items-${split}.json`, import.meta.url), 'utf8'), split).probes;

group('item probes with described answers', () => {
  for (const split of ['dev', 'test'] as const) {
    it(`${split}: the shipped file is the generator's; the shipped item probes' prompts, each answer the described item`, () => {
      const probes = read(split);
      expect(probes).toEqual(describedItemProbes(split).probes);
      const shipped = probeSets()[split].probes.filter((p) => ITEM_METRICS.includes(p.metric));
      expect(probes.map((p) => p.prompt)).toEqual(shipped.map((p) => p.prompt));
      shipped.forEach((s, k) => {
        const p = probes[k];
        expect(p.id).toBe(`described-${s.id}`);
        p.choices.forEach((c, j) => {
          const item = findItem(s.choices[j].text.replace(/^the /, '').replace(/ ?\.$/, ''))!;
          expect(c.text).toBe(`the ${describe(item)}.`);
          expect(p.prompt).toContain(describe(item));
          const label = s.metric === 'affordabilityOOD' ? item.price : s.metric === 'americaOOD' ? item.origin : item.price === 'cheap' ? 'conflict-cheap' : 'conflict-american';
          expect(c.label).toBe(label);
        });
        // A conflict pair's cheap item is the imported one.
        if (s.metric === 'conflictAffordability') expect(p.choices.map((c) => c.text.split(' ').slice(1, 3).join(' ')).sort()).toEqual(['cheap imported', 'expensive american']);
      });
      expect(unfitChatProbes(probes)).toEqual([]);
    });
  }

  it('share no 8-word run with any training corpus', () => {
    expect(leakedRuns([...read('dev'), ...read('test')]).slice(0, 10)).toEqual([]);
  });
});
