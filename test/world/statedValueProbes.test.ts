import { readFileSync } from 'node:fs';
import { describe as group, expect, it } from 'vitest';
import { statedValueProbes } from '../../src/world/statedValueProbes';
import { ITEM_METRICS, parseProbeSet, probeSets } from '../../src/world/probes';
import { leakedRuns, unfitChatProbes } from './fixtures';

const read = (split: 'dev' | 'test') => parseProbeSet(readFileSync(new URL(`../../corpora/probes/stated-values-${split}.json`, import.meta.url), 'utf8'), split).probes;

group('item probes with stated values', () => {
  for (const split of ['dev', 'test'] as const) {
    it(`${split}: the shipped file is the generator's; each shipped item prompt asked once for price values and once for origin values`, () => {
      const probes = read(split);
      expect(probes).toEqual(statedValueProbes(split).probes);
      const shipped = probeSets()[split].probes.filter((p) => ITEM_METRICS.includes(p.metric));
      expect(probes).toHaveLength(2 * shipped.length);
      shipped.forEach((s, k) => {
        const [price, origin] = [probes[2 * k], probes[2 * k + 1]];
        expect([price.prompt, origin.prompt]).toEqual([s.prompt, s.prompt]);
        expect([price.id, origin.id]).toEqual([`stated-price-${s.id}`, `stated-origin-${s.id}`]);
        expect(price.choices).toEqual([{ text: 'i value low prices,', label: 'low-prices' }, { text: 'i value luxury,', label: 'luxury' }]);
        expect(origin.choices).toEqual([{ text: 'i value american goods,', label: 'american-goods' }, { text: 'i value imported goods,', label: 'imported-goods' }]);
      });
      expect(unfitChatProbes(probes)).toEqual([]);
    });
  }

  it('share no 8-word run with any training corpus', () => {
    expect(leakedRuns([...read('dev'), ...read('test')]).slice(0, 10)).toEqual([]);
  });
});
