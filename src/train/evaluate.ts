// Measuring a model: mean loss on held-out examples, the log-probability of a continuation
// given a prompt (how probes are scored), and sampling. Batches keep the training shape
// [B, T] (short lists are padded with masked rows) so no new kernels are compiled.
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
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
 * Samples one reply for each prompt, all rows in one [B, T] forward pass per new token
 * (B = batchSize, the training shape). Returns each row's new tokens, up to and including <eos>.
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
    for (let n = 0; n < o.maxTokens && done.includes(false); n++) {
      const ids = new Int32Array(batchSize * T);
      const last = new Int32Array(batchSize);
      rows.forEach((r, i) => {
        const context = r.slice(-T);
        ids.set(context, i * T);
        last[i] = i * T + context.length - 1;
      });
      const logits = tf.tidy(() => model.forward(tf.tensor2d(ids, [batchSize, T], 'int32'), tf.tensor1d(last, 'int32')));
      const values = await logits.data();
      logits.dispose();
      rows.forEach((r, i) => {
        if (done[i]) return;
        const next = pickToken(values.subarray(i * V, (i + 1) * V), o.temperature, o.topK, rng);
        r.push(next);
        replies[i].push(next);
        if (next === EOS) done[i] = true;
      });
    }
    out.push(...replies);
  }
  return out;
}
