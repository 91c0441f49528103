// Shared fixtures for the unit tests.
import { SPECIALS, Tokenizer } from '../src/tokenizer/tokenizer';
import type { GPTConfig } from '../src/model/config';
import { Random } from '../src/util/random';
import type { Example } from '../src/tokenizer/tokenizer';

export const TINY: GPTConfig = { vocabSize: 16, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8, mlpRatio: 2 };

export const WORDS = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran', 'to', 'red', 'ball', '.'];
export const tinyTokenizer = () => new Tokenizer([...SPECIALS, ...WORDS]);

/** Random examples of `length` tokens over ids 5..vocabSize-1, every next token trained. */
export function randomExamples(rng: Random, count: number, length: number, vocabSize: number): Example[] {
  return Array.from({ length: count }, () => {
    const ids = Array.from({ length }, () => 5 + rng.int(vocabSize - 5));
    return { ids, lossMask: ids.map((_, i) => (i < length - 1 ? 1 : 0)) };
  });
}

/** The error a promise rejects with; fails when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
