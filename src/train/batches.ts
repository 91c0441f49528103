// Seeded batching. A stage draws each row of a batch from one of its sources (by weight),
// and each source walks through its examples in a seeded shuffled order, reshuffled every
// epoch. Rows are padded to blockSize so every batch has the same shape.
import { PAD, type Example } from '../tokenizer/tokenizer';
import { Random } from '../util/random';

export interface Batch {
  inputs: Int32Array; // [B*T] tokens 0..T-1 of each row
  targets: Int32Array; // [B*T] tokens 1..T of each row
  mask: Float32Array; // [B*T] 1 where the loss counts
}

export interface Source {
  examples: Example[];
  weight: number;
}

/** Turns examples into fixed-shape rows. An example longer than blockSize + 1 tokens is an error. */
export function packRows(rows: Example[], blockSize: number): Batch {
  const B = rows.length;
  const T = blockSize;
  const batch: Batch = { inputs: new Int32Array(B * T).fill(PAD), targets: new Int32Array(B * T).fill(PAD), mask: new Float32Array(B * T) };
  rows.forEach((ex, r) => {
    if (ex.ids.length > T + 1) throw new Error(`an example of ${ex.ids.length} tokens does not fit the ${T}-token context`);
    for (let i = 0; i + 1 < ex.ids.length; i++) {
      batch.inputs[r * T + i] = ex.ids[i];
      batch.targets[r * T + i] = ex.ids[i + 1];
      batch.mask[r * T + i] = ex.lossMask[i];
    }
  });
  return batch;
}

export class BatchSampler {
  private readonly orders: number[][];
  private readonly cursors: number[];
  private readonly totalWeight: number;

  constructor(
    private readonly sources: Source[],
    private readonly batchSize: number,
    private readonly blockSize: number,
    private readonly rng: Random,
  ) {
    if (sources.length === 0 || sources.some((s) => s.examples.length === 0)) throw new Error('every source needs at least one example');
    if (sources.some((s) => !(s.weight > 0))) throw new Error('source weights must be positive');
    for (const s of sources) for (const ex of s.examples) {
      if (ex.ids.length > blockSize + 1) throw new Error(`an example of ${ex.ids.length} tokens does not fit the ${blockSize}-token context`);
    }
    this.orders = sources.map((s) => rng.shuffle(s.examples.map((_, i) => i)));
    this.cursors = sources.map(() => 0);
    this.totalWeight = sources.reduce((a, s) => a + s.weight, 0);
  }

  next(): Batch {
    const rows: Example[] = [];
    for (let r = 0; r < this.batchSize; r++) rows.push(this.draw(this.pickSource()));
    return packRows(rows, this.blockSize);
  }

  /** Moves on n batches without packing them: the same draws as n calls of next(), so a resumed stage sees the same data from there on. */
  skip(n: number): void {
    for (let b = 0; b < n; b++) for (let r = 0; r < this.batchSize; r++) this.draw(this.pickSource());
  }

  private pickSource(): number {
    if (this.sources.length === 1) return 0;
    let u = this.rng.next() * this.totalWeight;
    for (let i = 0; i < this.sources.length; i++) {
      u -= this.sources[i].weight;
      if (u < 0) return i;
    }
    return this.sources.length - 1;
  }

  private draw(s: number): Example {
    if (this.cursors[s] === this.orders[s].length) {
      this.rng.shuffle(this.orders[s]);
      this.cursors[s] = 0;
    }
    return this.sources[s].examples[this.orders[s][this.cursors[s]++]];
  }
}
