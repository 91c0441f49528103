// Measuring a model: mean loss on held-out examples, the log-probability of a continuation
// given a prompt (how probes are scored), and sampling. Batches keep the training batch size B
// (short lists are padded with masked rows), so few new kernels are compiled.
import * as tf from '@tensorflow/tfjs';
import type { GPT, KVCache } from '../model/gpt';
import { EOS, type Example } from '../tokenizer/tokenizer';
import { Random } from '../util/random';
import { packRows } from './batches';

/** Mean next-token loss over the masked positions of all examples. */
export async function meanLoss(model: GPT, examples: Example[], batchSize: number): Promise<number> {
  let total = 0;
  let count = 0;
  for (const rows of chunks(examples, batchSize)) {
    const [sum, n] = await maskedLogProbSums(model, rows, batchSize);
    total += sum.reduce((a, b) => a + b, 0);
    count += n.reduce((a, b) => a + b, 0);
  }
  return count ? -total / count : NaN;
}

export interface ContinuationScore {
  logProb: number; // sum of the continuation tokens' log-probabilities
  tokens: number; // how many tokens were scored
}

/** log p(continuation | prompt) for each pair, in one [B, T] forward pass per batch. */
export async function scoreContinuations(
  model: GPT,
  pairs: Array<{ prompt: number[]; continuation: number[] }>,
  batchSize: number,
): Promise<ContinuationScore[]> {
  const examples: Example[] = pairs.map(({ prompt, continuation }) => {
    if (prompt.length === 0) throw new Error('a prompt needs at least one token (e.g. <bos>)');
    const ids = [...prompt, ...continuation];
    // Position i predicts token i+1: the continuation is predicted from position prompt.length-1 on.
    return { ids, lossMask: ids.map((_, i) => (i >= prompt.length - 1 && i < ids.length - 1 ? 1 : 0)) };
  });
  const scores: ContinuationScore[] = [];
  for (const rows of chunks(examples, batchSize)) {
    const [sums, counts] = await maskedLogProbSums(model, rows, batchSize);
    rows.forEach((_, r) => scores.push({ logProb: sums[r], tokens: counts[r] }));
  }
  return scores;
}

/**
 * log p(choice | prompt) for every choice of every question: the same figures as
 * scoreContinuations, for about half the work. A question's prompt goes in once, followed by
 * each choice (all but its last token, which is only predicted), each choice seeing the prompt
 * and itself but not the other choices; several questions share a row where they fit. Rows are
 * cut to the longest question (a multiple of 8), batches keep batchSize rows.
 */
export async function scoreChoices(
  model: GPT,
  questions: Array<{ prompt: number[]; choices: number[][] }>,
  batchSize: number,
): Promise<ContinuationScore[][]> {
  const { blockSize } = model.config;
  // A piece: a prompt and the choices that go with it in one row (all of them where they fit).
  type Piece = { question: number; choices: number[]; length: number };
  const pieces: Piece[] = [];
  questions.forEach((q, question) => {
    if (q.prompt.length === 0) throw new Error('a prompt needs at least one token (e.g. <bos>)');
    const extra = q.choices.map((c) => Math.max(0, c.length - 1));
    const all = q.prompt.length + extra.reduce((a, b) => a + b, 0);
    if (all <= blockSize) pieces.push({ question, choices: q.choices.map((_, i) => i), length: all });
    else q.choices.forEach((_, i) => pieces.push({ question, choices: [i], length: q.prompt.length + extra[i] }));
  });
  const longest = Math.max(1, ...pieces.map((p) => p.length));
  if (longest > blockSize) throw new Error(`a prompt and choice of ${longest + 1} tokens do not fit the ${blockSize}-token context`);
  const W = Math.min(blockSize, Math.max(8, Math.ceil(longest / 8) * 8));
  // First fit, longest first, into rows of W tokens.
  const rows: Array<{ used: number; pieces: Array<{ piece: Piece; offset: number }> }> = [];
  for (const piece of [...pieces].sort((a, b) => b.length - a.length || a.question - b.question)) {
    let row = rows.find((r) => r.used + piece.length <= W);
    if (!row) rows.push((row = { used: 0, pieces: [] }));
    row.pieces.push({ piece, offset: row.used });
    row.used += piece.length;
  }
  const scores: ContinuationScore[][] = questions.map((q) => q.choices.map(() => ({ logProb: 0, tokens: 0 })));
  for (let first = 0; first < rows.length; first += batchSize) {
    const group = rows.slice(first, first + batchSize);
    const ids = new Int32Array(batchSize * W);
    const positions = new Int32Array(batchSize * W);
    const mask = new Float32Array(batchSize * W * W).fill(-1e9);
    const at: number[] = [];
    const targets: number[] = [];
    const owners: Array<{ question: number; choice: number }> = [];
    group.forEach((row, r) => {
      // Each token's piece and branch (0: the prompt, 1 + i: choice i); a token sees earlier tokens of its piece on its branch or the prompt.
      const pieceOf = new Int32Array(W).fill(-1);
      const branchOf = new Int32Array(W);
      row.pieces.forEach(({ piece, offset }, n) => {
        const { prompt, choices } = questions[piece.question];
        const put = (token: number, position: number, branch: number, i: number) => {
          ids[r * W + i] = token;
          positions[r * W + i] = position;
          pieceOf[i] = n;
          branchOf[i] = branch;
        };
        prompt.forEach((token, j) => put(token, j, 0, offset + j));
        let next = offset + prompt.length;
        for (const c of piece.choices) {
          const choice = choices[c];
          // Token j of the choice is predicted at the prompt's last token (j = 0) or at the choice's token j - 1.
          choice.forEach((token, j) => {
            at.push(r * W + (j === 0 ? offset + prompt.length - 1 : next + j - 1));
            targets.push(token);
            owners.push({ question: piece.question, choice: c });
          });
          choice.slice(0, -1).forEach((token, j) => put(token, prompt.length + j, 1 + c, next + j));
          next += Math.max(0, choice.length - 1);
        }
      });
      for (let i = 0; i < W; i++) {
        const m = mask.subarray((r * W + i) * W, (r * W + i + 1) * W);
        m[i] = 0;
        if (pieceOf[i] < 0) continue;
        for (let j = 0; j < i; j++) if (pieceOf[j] === pieceOf[i] && (branchOf[j] === 0 || branchOf[j] === branchOf[i])) m[j] = 0;
      }
    });
    for (let r = group.length; r < batchSize; r++) for (let i = 0; i < W; i++) mask[(r * W + i) * W + i] = 0;
    // Gathered positions rounded up to a multiple of 64 (padded with position 0, ignored), so few shapes are compiled.
    const K = Math.max(64, Math.ceil(at.length / 64) * 64);
    const picked = tf.tidy(() => {
      const layout = { positions: tf.tensor2d(positions, [batchSize, W], 'int32'), mask: tf.tensor3d(mask, [batchSize, W, W], 'float32') };
      const where = tf.tensor1d(Int32Array.from({ length: K }, (_, k) => at[k] ?? 0), 'int32');
      const logp = tf.logSoftmax(model.forward(tf.tensor2d(ids, [batchSize, W], 'int32'), where, layout)); // [K, V]
      const pick = tf.oneHot(tf.tensor1d(Int32Array.from({ length: K }, (_, k) => targets[k] ?? 0), 'int32'), model.config.vocabSize).cast('float32');
      return logp.mul(pick).sum(1);
    });
    const values = await picked.data();
    picked.dispose();
    owners.forEach(({ question, choice }, k) => {
      scores[question][choice].logProb += values[k];
      scores[question][choice].tokens++;
    });
  }
  return scores;
}

/** Per row: sum of masked token log-probabilities and the number of masked tokens. */
async function maskedLogProbSums(model: GPT, rows: Example[], batchSize: number): Promise<[number[], number[]]> {
  const T = model.config.blockSize;
  const padded = [...rows];
  while (padded.length < batchSize) padded.push({ ids: [EOS], lossMask: [0] });
  const batch = packRows(padded, T);
  // Only the masked positions go through the head; their count is rounded up to a multiple of
  // 64 (padded with position 0, ignored) so that few distinct shapes are ever compiled.
  const positions: number[] = [];
  batch.mask.forEach((m, i) => m > 0 && positions.push(i));
  const K = Math.max(64, Math.ceil(positions.length / 64) * 64);
  const at = new Int32Array(K);
  const targets = new Int32Array(K);
  positions.forEach((p, k) => ((at[k] = p), (targets[k] = batch.targets[p])));
  const picked = tf.tidy(() => {
    const logp = tf.logSoftmax(model.forward(tf.tensor2d(batch.inputs, [batchSize, T], 'int32'), tf.tensor1d(at, 'int32'))); // [K, V]
    return logp.mul(tf.oneHot(tf.tensor1d(targets, 'int32'), model.config.vocabSize).cast('float32')).sum(1);
  });
  const values = await picked.data();
  picked.dispose();
  const sums = rows.map(() => 0);
  const counts = rows.map(() => 0);
  positions.forEach((p, k) => {
    const r = Math.floor(p / T);
    if (r < rows.length) (sums[r] += values[k]), counts[r]++;
  });
  return [sums, counts];
}

export interface SampleOptions {
  maxTokens: number;
  temperature: number; // 0 picks the most likely token
  topK: number; // 0 keeps the whole vocabulary
  seed: number;
}

/** Continues `prompt` token by token until <eos> or maxTokens. Returns the new tokens. */
export async function sample(model: GPT, prompt: number[], o: SampleOptions): Promise<number[]> {
  const T = model.config.blockSize;
  const rng = new Random(o.seed);
  const ids = [...prompt];
  const out: number[] = [];
  for (let n = 0; n < o.maxTokens; n++) {
    const context = ids.slice(-T);
    const row = new Int32Array(T);
    row.set(context);
    const last = tf.tidy(() => model.forward(tf.tensor2d(row, [1, T], 'int32'), tf.tensor1d([context.length - 1], 'int32')));
    const logits = await last.data();
    last.dispose();
    const next = pickToken(logits, o.temperature, o.topK, rng);
    out.push(next);
    ids.push(next);
    if (next === EOS) break;
  }
  return out;
}

/** Temperature and top-k sampling over one row of logits. */
export function pickToken(logits: ArrayLike<number>, temperature: number, topK: number, rng: Random): number {
  const order = Array.from(logits, (_, i) => i).sort((a, b) => logits[b] - logits[a]);
  if (temperature <= 0) return order[0];
  const kept = topK > 0 ? order.slice(0, topK) : order;
  const max = logits[kept[0]];
  const weights = kept.map((i) => Math.exp((logits[i] - max) / temperature));
  let u = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let j = 0; j < kept.length; j++) {
    u -= weights[j];
    if (u < 0) return kept[j];
  }
  return kept[kept.length - 1];
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Samples one reply for each prompt, B rows at a time (B = batchSize, the training batch
 * size). The first token of a reply comes from one [B, T] forward pass, which also keeps every
 * layer's keys and values; each next token then costs one position a row (GPT.decodeStep),
 * until a row outgrows the context, from where each token takes a full forward pass over the
 * last T tokens again. The same tokens as a full pass a token (same logits up to float
 * rounding, same draws). Returns each row's new tokens, up to and including <eos>.
 */
export async function sampleBatch(model: GPT, prompts: number[][], batchSize: number, o: SampleOptions): Promise<number[][]> {
  const T = model.config.blockSize;
  const V = model.config.vocabSize;
  const rng = new Random(o.seed);
  const out: number[][] = [];
  for (const group of chunks(prompts, batchSize)) {
    const rows = group.map((p) => [...p]);
    const replies: number[][] = group.map(() => []);
    const done = group.map(() => false);
    let cache: KVCache | null = null;
    try {
      for (let n = 0; n < o.maxTokens && done.includes(false); n++) {
        const fits = rows.every((r) => r.length <= T);
        let logits: tf.Tensor2D;
        if (cache && fits) {
          // Each row's newest token, at its place; rows of the batch past the group's end repeat row 0.
          const tokens = Int32Array.from({ length: batchSize }, (_, i) => rows[i < rows.length ? i : 0].at(-1)!);
          const positions = Int32Array.from({ length: batchSize }, (_, i) => rows[i < rows.length ? i : 0].length - 1);
          const previous: KVCache = cache;
          const next: KVCache = { keys: [], values: [] };
          logits = tf.tidy(() => {
            const step = model.decodeStep(tf.tensor1d(tokens, 'int32'), tf.tensor1d(positions, 'int32'), previous);
            step.cache.keys.forEach((k) => next.keys.push(tf.keep(k)));
            step.cache.values.forEach((v) => next.values.push(tf.keep(v)));
            return step.logits;
          });
          disposeCache(previous);
          cache = next;
        } else {
          const { ids, last } = contextRows(rows, batchSize, T);
          if (cache) disposeCache(cache);
          const kept: KVCache | null = fits ? { keys: [], values: [] } : null; // the first pass fills it
          logits = tf.tidy(() => {
            const result = model.forward(tf.tensor2d(ids, [batchSize, T], 'int32'), tf.tensor1d(last, 'int32'), undefined, kept ?? undefined);
            kept?.keys.forEach((k) => tf.keep(k));
            kept?.values.forEach((v) => tf.keep(v));
            return result;
          });
          cache = kept;
        }
        const values = await logits.data();
        logits.dispose();
        takeTokens(values, V, rows, replies, done, o, rng);
      }
    } finally {
      if (cache) disposeCache(cache);
    }
    out.push(...replies);
  }
  return out;
}

/** sampleBatch's reference (tests and the benchmark compare against it): one full [B, T] forward pass for each new token. */
export async function sampleByFullPasses(model: GPT, prompts: number[][], batchSize: number, o: SampleOptions): Promise<number[][]> {
  const { blockSize: T, vocabSize: V } = model.config;
  const rng = new Random(o.seed);
  const out: number[][] = [];
  for (let first = 0; first < prompts.length; first += batchSize) {
    const rows = prompts.slice(first, first + batchSize).map((p) => [...p]);
    const replies: number[][] = rows.map(() => []);
    const done = rows.map(() => false);
    for (let n = 0; n < o.maxTokens && done.includes(false); n++) {
      const { ids, last } = contextRows(rows, batchSize, T);
      const logits = tf.tidy(() => model.forward(tf.tensor2d(ids, [batchSize, T], 'int32'), tf.tensor1d(last, 'int32')));
      const values = await logits.data();
      logits.dispose();
      takeTokens(values, V, rows, replies, done, o, rng);
    }
    out.push(...replies);
  }
  return out;
}

/** Each row's last T tokens, left-aligned in a [B, T] block, and the flat index of its last token. */
function contextRows(rows: number[][], batchSize: number, T: number): { ids: Int32Array; last: Int32Array } {
  const ids = new Int32Array(batchSize * T);
  const last = new Int32Array(batchSize);
  rows.forEach((r, i) => {
    const context = r.slice(-T);
    ids.set(context, i * T);
    last[i] = i * T + context.length - 1;
  });
  return { ids, last };
}

/** Draws each unfinished row's next token from its logits (values: [B, V]) and appends it. */
function takeTokens(values: tf.TypedArray, V: number, rows: number[][], replies: number[][], done: boolean[], o: SampleOptions, rng: Random): void {
  rows.forEach((r, i) => {
    if (done[i]) return;
    const next = pickToken(values.subarray(i * V, (i + 1) * V), o.temperature, o.topK, rng);
    r.push(next);
    replies[i].push(next);
    if (next === EOS) done[i] = true;
  });
}

function disposeCache(cache: KVCache): void {
  cache.keys.forEach((k) => k.dispose());
  cache.values.forEach((v) => v.dispose());
}
