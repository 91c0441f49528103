// BatchSampler.skip moves on exactly as next() does, so a stage resumed at step k trains on
// the very batches it would have seen had it never been cut.
import { describe, expect, it } from 'vitest';
import { BatchSampler, type Batch } from '../../src/train/batches';
import { Random } from '../../src/util/random';
import { randomExamples } from '../helpers';

// Two sources by weight (a draw per row), small enough to be reshuffled several times.
const sampler = () => new BatchSampler(
  [{ examples: randomExamples(new Random(1), 5, 6, 20), weight: 2 }, { examples: randomExamples(new Random(2), 3, 4, 20), weight: 1 }],
  4, 8, new Random(3),
);

describe('BatchSampler.skip', () => {
  it.each([0, 1, 7, 20])('after skip(%i), the next batches are those after as many next() calls', (k) => {
    const straight = sampler();
    const seen: Batch[] = Array.from({ length: k + 5 }, () => straight.next());
    const skipped = sampler();
    skipped.skip(k);
    expect(Array.from({ length: 5 }, () => skipped.next())).toEqual(seen.slice(k));
  });
});
