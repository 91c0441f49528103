// Token embedding lookup for M stacked models. The forward pass is one gather. The wasm backend
// has no kernel for gather's own gradient (UnsortedSegmentSum), so the gradient is a scatter
// that adds each row of dy into its token's row (ScatterNd sums repeated indices) on the CPU
// backends, and one-hotᵀ @ dy, a matrix product, on the GPU ones, where the product is one
// fast kernel (the scatter would add in atomics).
import * as tf from '@tensorflow/tfjs';
import { matMulPerModel } from './matmul';

/** table [M, V, C], ids [M, N] int32 -> [M, N, C]: row ids[m, n] of model m's table. */
export function embed(table: tf.Tensor3D, ids: tf.Tensor2D): tf.Tensor3D {
  return lookup(table, ids);
}

const lookup = tf.customGrad((...args: unknown[]) => {
  const [table, ids, save] = args as [tf.Tensor3D, tf.Tensor2D, (t: tf.Tensor[]) => void];
  const [M, V, C] = table.shape;
  const N = ids.shape[1];
  save([ids]);
  // Model m's rows start at m * V in the flattened [M*V, C] table.
  const offsets = tf.range(0, M * V, V, 'int32').reshape([M, 1]);
  const value = tf.gather(table.reshape([M * V, C]), ids.add(offsets).reshape([M * N])).reshape([M, N, C]);
  return {
    value,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [savedIds] = saved as [tf.Tensor2D];
      if (tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu') {
        const rows = savedIds.add(tf.range(0, M * V, V, 'int32').reshape([M, 1])).reshape([M * N, 1]); // row ids[m, n] of model m's table
        return [tf.scatterND(rows, (dy as tf.Tensor3D).reshape([M * N, C]), [M * V, C]).reshape([M, V, C]), tf.zerosLike(savedIds)];
      }
      const oneHot = tf.oneHot(savedIds, V).cast('float32') as tf.Tensor3D; // [M, N, V]
      // (dyᵀ @ oneHot)ᵀ: both products untransposed, and only the small [M, C, V] is transposed.
      const dTable = matMulPerModel((dy as tf.Tensor3D).transpose([0, 2, 1]), oneHot).transpose([0, 2, 1]); // [M, V, C]
      return [dTable, tf.zerosLike(savedIds)];
    },
  };
}) as (table: tf.Tensor3D, ids: tf.Tensor2D) => tf.Tensor3D;
