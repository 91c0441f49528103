// Floating-point operations of one training step, counted from the model's matrix products
// (everything else is a rounding error at these sizes): forward, plus twice that backward.
import type { GPTConfig } from '../model/config';

/** FLOPs of one training step of one model on B rows of T tokens. */
export function trainingStepFlops(c: GPTConfig, B: number, T: number): number {
  const N = B * T;
  const C = c.nEmbd;
  const H = c.mlpRatio * C;
  const perLayer =
    2 * N * C * 3 * C + // fused q, k, v
    2 * 2 * B * T * T * C + // q kᵀ and att v, over all heads
    2 * N * C * C + // attention output
    2 * 2 * N * C * H; // MLP in and out
  const forward = c.nLayer * perLayer + 2 * N * C * c.vocabSize; // + tied head
  const embeddingGradient = 2 * N * c.vocabSize * C; // one-hotᵀ @ dy
  return 3 * forward + embeddingGradient;
}
