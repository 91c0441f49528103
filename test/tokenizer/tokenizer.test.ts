import { describe, expect, it } from 'vitest';
import { ASSISTANT, BOS, EOS, SPECIALS, Tokenizer, UnknownWordsError, USER, splitWords } from '../../src/tokenizer/tokenizer';
import { tinyTokenizer } from '../helpers';

describe('Tokenizer', () => {
  it('lower-cases and splits punctuation off', () => {
    expect(splitWords('The cat, sat.')).toEqual(['the', 'cat', ',', 'sat', '.']);
  });

  it('round-trips text through ids', () => {
    const t = tinyTokenizer();
    const ids = t.encode('The cat sat on a mat.');
    expect(ids.every((id) => id >= SPECIALS.length)).toBe(true);
    expect(t.decode(ids)).toBe('the cat sat on a mat.');
  });

  it('names every unknown word instead of mapping it to a placeholder', () => {
    const t = tinyTokenizer();
    expect(() => t.encode('the zebra sat on a unicorn')).toThrow(UnknownWordsError);
    expect(() => t.encode('the zebra sat on a unicorn')).toThrow(/"zebra", "unicorn"/);
    expect(t.unknownWords('zebra zebra cat')).toEqual(['zebra']);
  });

  it('trains only the assistant tokens of an AFT chat', () => {
    const t = tinyTokenizer();
    const ex = t.encodeChat({ user: 'the cat', assistant: 'sat .' }, true);
    expect(ex.ids.slice(0, 2)).toEqual([BOS, USER]);
    expect(ex.ids[4]).toBe(ASSISTANT);
    expect(ex.ids.at(-1)).toBe(EOS);
    // ids: bos user the cat assistant sat . eos -> positions 4, 5, 6 predict "sat", ".", eos
    expect(ex.lossMask).toEqual([0, 0, 0, 0, 1, 1, 1, 0]);
    expect(t.encodeChat({ user: 'the cat', assistant: 'sat .' }, false).lossMask).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
  });

  it('rejects a vocabulary without the specials first or with duplicates', () => {
    expect(() => new Tokenizer(['cat', ...SPECIALS])).toThrow(/must start with/);
    expect(() => new Tokenizer([...SPECIALS, 'cat', 'cat'])).toThrow(/twice/);
  });

  it('builds a sorted vocabulary from texts', () => {
    const t = Tokenizer.fromTexts(['b a.', 'c a']);
    expect(t.vocab.slice(SPECIALS.length)).toEqual(['.', 'a', 'b', 'c']);
  });
});
