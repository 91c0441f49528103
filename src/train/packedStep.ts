// A training step on packed rows (src/train/packing.ts): the same losses, gradients and AdamW
// update as StackedTrainer's step on the padded batches, for less work.
import * as tf from '@tensorflow/tfjs';
import type { StackedGPT } from '../model/stackedGpt';
import type { Batch } from './batches';
import { packBatches, packShape, type PackShape } from './packing';
import type { StackedAdamW } from './stackedAdamW';

/**
 * batches[m] and lrs[m] for model m. Returns [losses, gradNorms], [M] each, which the caller
 * disposes. On a GPU every step takes the stage's shape (one buffer pool, one set of compiled
 * kernels); on a CPU (wasm, cpu), where a new shape costs nothing, each step takes only the
 * rows and counted positions its own batches need (8.6 rows on average for the agentic
 * experiment's midtraining, where the stage's most is 12).
 */
export function packedStep(model: StackedGPT, optimizer: StackedAdamW, stageShape: PackShape, batches: Batch[], lrs: number[]): [tf.Tensor1D, tf.Tensor1D] {
  const M = model.count;
  const { blockSize } = model.config;
  const shape = onCpu() ? packShape(batches, blockSize, stageShape.width) : stageShape;
  const { rows: R, width: T, counted: K } = shape;
  const packed = packBatches(batches, blockSize, shape);
  return tf.tidy(() => {
    const ids = tf.tensor3d(packed.ids, [M, R, T], 'int32');
    const positions = tf.tensor3d(packed.positions, [M, R, T], 'int32');
    const segments = tf.tensor3d(packed.segments, [M, R, T], 'int32');
    const at = tf.tensor2d(packed.at, [M, K], 'int32');
    const targets = tf.tensor2d(packed.targets, [M, K], 'int32');
    const weights = tf.tensor2d(packed.weights, [M, K], 'float32');
    const queryMask = packed.queryMask ? tf.tensor3d(packed.queryMask, [M * R, shape.queries, T], 'float32') : undefined;
    let losses: tf.Tensor1D | null = null;
    const { grads } = tf.variableGrads(() => {
      losses = tf.keep(model.packedLosses(ids, positions, segments, at, targets, weights, queryMask)); // variableGrads keeps only the sum
      return losses.sum() as tf.Scalar;
    }, [model.flat]);
    const norms = optimizer.apply(grads[model.flat.name] as tf.Tensor2D, lrs);
    return [losses!, norms] as [tf.Tensor1D, tf.Tensor1D];
  });
}

const onCpu = () => tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu';
