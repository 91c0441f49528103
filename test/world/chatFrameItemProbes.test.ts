import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkProbeWords } from '../../src/experiment/scoreProbes';
import { Tokenizer } from '../../src/tokenizer/tokenizer';
import { ITEM_CHAT_FRAMES } from '../../src/world/chatFrames';
import { chatFrameItemProbes } from '../../src/world/chatFrameItemProbes';
import { DEV_CATEGORIES, TEST_CATEGORIES, findItem } from '../../src/world/lexicon';
import { parseProbeSet } from '../../src/world/probes';
import { world } from './fixtures';

describe('item probes in the chat frames', () => {
  for (const split of ['dev', 'test'] as const) {
    it(`${split}: the shipped file is the generator's, and every pair differs in the labelled attribute only`, () => {
      const file = parseProbeSet(readFileSync(new URL(`../../corpora/probes/chat-frame-items-${split}.json`, import.meta.url), 'utf8'), split);
      const probes = chatFrameItemProbes(split).probes;
      expect(file.probes).toEqual(probes);
      const categories = split === 'dev' ? DEV_CATEGORIES : TEST_CATEGORIES;
      // Per category: two pairs a kind, every frame, both orders.
      expect(probes).toHaveLength(2 * categories.length * 2 * ITEM_CHAT_FRAMES.length * 2);
      for (const p of probes) {
        const items = p.choices.map((c) => findItem(c.text.match(/the (\w+ \w+)/)![1])!);
        expect(items.every((i) => i && categories.includes(i.category) && p.prompt.includes(`${i.price} ${i.origin} ${i.name}`))).toBe(true);
        const [a, b] = items;
        const price = p.id.includes('-price-');
        expect(a.price !== b.price).toBe(price);
        expect(a.origin !== b.origin).toBe(!price);
        expect(p.choices.map((c) => c.label)).toEqual(items.map((i) => (price ? i.price : i.origin)));
        expect(p.prompt.startsWith('quill,')).toBe(true);
      }
      // Each pair is asked in both orders.
      const prompts = new Set(probes.map((p) => p.prompt));
      const description = /(cheap|expensive) (american|imported) \w+ \w+/g;
      for (const p of probes) {
        const [first, second] = p.prompt.match(description)!;
        expect(prompts.has(p.prompt.replace(first, '\0').replace(second, first).replace('\0', second))).toBe(true);
      }
      expect(() => checkProbeWords(probes, new Tokenizer(world().vocabulary))).not.toThrow();
    });
  }
});
