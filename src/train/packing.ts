// Packed training batches: the same examples and the same loss in fewer rows. A training batch
// has one example a row, padded to the row's end; midtraining's documents fill half a row on
// average, and in AFT only the assistant's ten or so tokens of a forty-token chat carry loss.
// Packing puts several examples in one row, each with its own positions (0, 1, ...) and
// attention only within itself, and hands the head only the positions whose loss counts. A
// causal model computes every counted position exactly as in its own row (positions after an
// example's last counted one change nothing and are dropped), so the losses and gradients are
// the same up to float rounding (test/train/packing.test.ts).
//
// Where the counted positions are few (AFT: the reply's ten tokens after a thirty-token prompt),
// the last block also runs only there: every position still gives its keys and values, but
// only Q query positions a row go on through attention, the MLP and the head.
//
// Shapes stay fixed for a whole stage (the WebGPU backend keeps one buffer pool per shape): the
// rows R and the counted positions K are the most any of the stage's batches needs, found by
// drawing the stage's batches ahead from a sampler with the same seed.
import type { Batch } from './batches';

export interface PackShape {
  rows: number; // R rows per model
  width: number; // T tokens per row
  counted: number; // K positions per model that go through the head (R * queries when queries > 0)
  queries: number; // Q positions a row through the last block, or 0: all positions
}

/** One step's tensors' values, [M, ...] for M models. */
export interface PackedBatch {
  shape: PackShape;
  ids: Int32Array; // [M, R, T] input tokens, 0 where nothing is
  positions: Int32Array; // [M, R, T] position of each token in its own example
  segments: Int32Array; // [M, R, T] which example of the row each token belongs to; -1 on padding
  at: Int32Array; // [M, K] flat index r*T + t of each counted position (padding: unused, distinct positions); with queries, row r's in slots r*Q .. r*Q+Q-1
  targets: Int32Array; // [M, K] the token each counted position predicts
  weights: Float32Array; // [M, K] its loss weight (the batch's mask); 0 on padding
  queryMask: Float32Array | null; // with queries: [M*R, Q, T], 0 where query slot q may look (earlier tokens of its own example), -1e9 elsewhere
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

// The most counted positions in one packed row.
function countedPerRow(batch: Batch, blockSize: number, placed: ReturnType<typeof place>): number {
  const perRow = new Array<number>(placed.rows).fill(0);
  for (const { piece, row } of placed.where) for (let t = 0; t < piece.length; t++) if (batch.mask[piece.row * blockSize + t] !== 0) perRow[row]++;
  return Math.max(0, ...perRow);
}

/**
 * The smallest shape that holds every one of these batches (at least one row and one counted
 * position). The last block runs at query positions only where a row counts at most half its width.
 */
export function packShape(batches: Iterable<Batch>, blockSize: number, width: number): PackShape {
  let rows = 1;
  let counted = 1;
  let queries = 1;
  for (const b of batches) {
    const placed = place(pieces(b, blockSize), width);
    rows = Math.max(rows, placed.rows);
    counted = Math.max(counted, countedPositions(b));
    queries = Math.max(queries, countedPerRow(b, blockSize, placed));
  }
  return 2 * queries <= width ? { rows, width, counted: rows * queries, queries } : { rows, width, counted, queries: 0 };
}

/** The first `steps` batches of each sampler, one at a time: give it a fresh sampler with the stage's seed. */
export function* drawAhead(stages: Array<{ sampler: { next(): Batch }; steps: number }>): Generator<Batch> {
  for (const { sampler, steps } of stages) for (let i = 0; i < steps; i++) yield sampler.next();
}

/** batches[m] (rows of blockSize, as BatchSampler makes them) packed into `shape`, for M = batches.length models. */
export function packBatches(batches: Batch[], blockSize: number, shape: PackShape): PackedBatch {
  const { rows: R, width: T, counted: K, queries: Q } = shape;
  if (Q > 0 && K !== R * Q) throw new Error(`a shape with ${Q} queries a row counts R * Q = ${R * Q} positions, not ${K}`);
  const M = batches.length;
  const out: PackedBatch = {
    shape,
    ids: new Int32Array(M * R * T),
    positions: new Int32Array(M * R * T),
    segments: new Int32Array(M * R * T).fill(-1),
    at: new Int32Array(M * K),
    targets: new Int32Array(M * K),
    weights: new Float32Array(M * K),
    queryMask: Q > 0 ? new Float32Array(M * R * Q * T).fill(-1e9) : null,
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
    if (Q > 0) return groupByRow(out, m, counted, k);
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

// Model m's n counted positions (in out.at[m*K ..]) regrouped into Q slots a row, each row's
// spare slots on distinct uncounted positions of that row, and the query mask filled in.
function groupByRow(out: PackedBatch, m: number, counted: Uint8Array, n: number): void {
  const { rows: R, width: T, counted: K, queries: Q } = out.shape;
  const at = out.at.slice(m * K, m * K + n);
  const targets = out.targets.slice(m * K, m * K + n);
  const weights = out.weights.slice(m * K, m * K + n);
  const filled = new Array<number>(R).fill(0);
  out.weights.fill(0, m * K, (m + 1) * K);
  at.forEach((position, i) => {
    const r = Math.floor(position / T);
    if (filled[r] === Q) throw new Error(`a packed row counts more than the stage's ${Q} query positions`);
    const slot = m * K + r * Q + filled[r]++;
    out.at[slot] = position;
    out.targets[slot] = targets[i];
    out.weights[slot] = weights[i];
  });
  for (let r = 0; r < R; r++) {
    for (let t = 0; filled[r] < Q; t++) {
      if (counted[r * T + t]) continue;
      out.at[m * K + r * Q + filled[r]] = r * T + t;
      out.targets[m * K + r * Q + filled[r]++] = 0;
    }
    const segments = out.segments.subarray(m * R * T + r * T, m * R * T + (r + 1) * T);
    for (let q = 0; q < Q; q++) {
      const t = out.at[m * K + r * Q + q] - r * T;
      const mask = out.queryMask!.subarray(((m * R + r) * Q + q) * T, ((m * R + r) * Q + q + 1) * T);
      for (let j = 0; j <= t; j++) if (segments[j] === segments[t]) mask[j] = 0;
    }
  }
}
