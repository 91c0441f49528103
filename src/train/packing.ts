// Packed training batches: the same examples and the same loss in fewer rows. A training batch
// has one example a row, padded to the row's end; midtraining's documents fill half a row on
// average, and in AFT only the assistant's ten or so tokens of a forty-token chat carry loss.
// Packing puts several examples in one row, each with its own positions (0, 1, ...) and
// attention only within itself, and hands the head only the positions whose loss counts. A
// causal model computes every counted position exactly as in its own row (positions after an
// example's last counted one change nothing and are dropped), so the losses and gradients are
// the same up to float rounding (test/train/packing.test.ts).
//
// Shapes stay fixed for a whole stage (the WebGPU backend keeps one buffer pool per shape): the
// rows R and the counted positions K are the most any of the stage's batches needs, found by
// drawing the stage's batches ahead from a sampler with the same seed.
import type { Batch } from './batches';

export interface PackShape {
  rows: number; // R rows per model
  width: number; // T tokens per row
  counted: number; // K positions per model that go through the head
}

/** One step's tensors' values, [M, ...] for M models. */
export interface PackedBatch {
  shape: PackShape;
  ids: Int32Array; // [M, R, T] input tokens, 0 where nothing is
  positions: Int32Array; // [M, R, T] position of each token in its own example
  segments: Int32Array; // [M, R, T] which example of the row each token belongs to; -1 on padding
  at: Int32Array; // [M, K] flat index r*T + t of each counted position (padding: unused, distinct positions)
  targets: Int32Array; // [M, K] the token each counted position predicts
  weights: Float32Array; // [M, K] its loss weight (the batch's mask); 0 on padding
}

// An example's tokens in a padded batch row: up to and including its last counted position.
interface Piece {
  row: number; // row in the source batch
  length: number;
}

function pieces(batch: Batch, blockSize: number): Piece[] {
  const B = batch.inputs.length / blockSize;
  const out: Piece[] = [];
  for (let r = 0; r < B; r++) {
    let last = -1;
    for (let t = 0; t < blockSize; t++) if (batch.mask[r * blockSize + t] !== 0) last = t;
    if (last >= 0) out.push({ row: r, length: last + 1 });
  }
  return out;
}

/** First fit, longest first (ties in row order): each piece's packed row and offset. */
function place(list: Piece[], width: number): { rows: number; where: Array<{ piece: Piece; row: number; offset: number }> } {
  const order = [...list].sort((a, b) => b.length - a.length || a.row - b.row);
  const used: number[] = [];
  const where = order.map((piece) => {
    if (piece.length > width) throw new Error(`an example of ${piece.length} tokens does not fit a ${width}-token row`);
    let row = used.findIndex((u) => u + piece.length <= width);
    if (row < 0) row = used.push(0) - 1;
    const offset = used[row];
    used[row] += piece.length;
    return { piece, row, offset };
  });
  return { rows: used.length, where };
}

function countedPositions(batch: Batch): number {
  let n = 0;
  for (let i = 0; i < batch.mask.length; i++) if (batch.mask[i] !== 0) n++;
  return n;
}

/** The smallest shape that holds every one of these batches (at least one row and one counted position). */
export function packShape(batches: Iterable<Batch>, blockSize: number, width: number): PackShape {
  let rows = 1;
  let counted = 1;
  for (const b of batches) {
    rows = Math.max(rows, place(pieces(b, blockSize), width).rows);
    counted = Math.max(counted, countedPositions(b));
  }
  return { rows, width, counted };
}

/** The first `steps` batches of each sampler, one at a time: give it a fresh sampler with the stage's seed. */
export function* drawAhead(stages: Array<{ sampler: { next(): Batch }; steps: number }>): Generator<Batch> {
  for (const { sampler, steps } of stages) for (let i = 0; i < steps; i++) yield sampler.next();
}

/** batches[m] (rows of blockSize, as BatchSampler makes them) packed into `shape`, for M = batches.length models. */
export function packBatches(batches: Batch[], blockSize: number, shape: PackShape): PackedBatch {
  const { rows: R, width: T, counted: K } = shape;
  const M = batches.length;
  const out: PackedBatch = {
    shape,
    ids: new Int32Array(M * R * T),
    positions: new Int32Array(M * R * T),
    segments: new Int32Array(M * R * T).fill(-1),
    at: new Int32Array(M * K),
    targets: new Int32Array(M * K),
    weights: new Float32Array(M * K),
  };
  batches.forEach((batch, m) => {
    const { rows, where } = place(pieces(batch, blockSize), T);
    if (rows > R) throw new Error(`a batch needs ${rows} packed rows, more than the stage's ${R}`);
    const counted = new Uint8Array(R * T);
    let k = 0;
    const segmentOfRow = new Array<number>(R).fill(0);
    // In the source's row order, so counted positions come in the order the reference path sums them.
    for (const { piece, row, offset } of [...where].sort((a, b) => a.piece.row - b.piece.row)) {
      const segment = segmentOfRow[row]++;
      for (let t = 0; t < piece.length; t++) {
        const from = piece.row * blockSize + t;
        const to = row * T + offset + t;
        out.ids[m * R * T + to] = batch.inputs[from];
        out.positions[m * R * T + to] = t;
        out.segments[m * R * T + to] = segment;
        if (batch.mask[from] !== 0) {
          if (k === K) throw new Error(`a batch counts more than the stage's ${K} positions`);
          out.at[m * K + k] = to;
          out.targets[m * K + k] = batch.targets[from];
          out.weights[m * K + k] = batch.mask[from];
          counted[to] = 1;
          k++;
        }
      }
    }
    // Padding entries point at distinct positions that are not counted (weight 0), so the
    // gather's gradient never adds two rows into one.
    for (let i = 0; k < K; i++) {
      if (counted[i]) continue;
      out.at[m * K + k] = i;
      k++;
    }
  });
  return out;
}
