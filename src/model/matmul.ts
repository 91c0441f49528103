// Matrix products that stay on each backend's fast path. TF.js's wasm backend gives only
// untransposed 2-D products to XNNPACK (about 20 GFLOP/s on a laptop core); a transposed or
// batched product falls back to a generic loop ten times slower, and so do the transposed
// products in matMul's own gradient. On wasm the transposes are therefore made explicit, in
// the forward pass and in the gradient; other backends transpose inside the kernel for free.
import * as tf from '@tensorflow/tfjs';

/** a [n, k] times b [k, m] (or their transposes), with fast gradients on every backend. */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b, transposeA, transposeB);
  return plainProduct(transposeA ? a.transpose() : a, transposeB ? b.transpose() : b) as tf.Tensor2D;
}

/**
 * Per-model products: a [M, n, k] times b [M, k, m] -> [M, n, m]. On wasm, M untransposed 2-D
 * products (batched ones are the slow path there); elsewhere one batched kernel.
 */
export function matMulPerModel(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b);
  if (a.shape[0] === 1) return plainProduct(a.squeeze([0]) as tf.Tensor2D, b.squeeze([0]) as tf.Tensor2D).expandDims(0) as tf.Tensor3D;
  const as = tf.unstack(a);
  const bs = tf.unstack(b);
  return tf.stack(as.map((ai, i) => plainProduct(ai as tf.Tensor2D, bs[i] as tf.Tensor2D))) as tf.Tensor3D;
}

// a @ b whose gradient uses explicit transposes: d a = dy @ bᵀ, d b = aᵀ @ dy.
const plainProduct = tf.customGrad((...args: unknown[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, (t: tf.Tensor[]) => void];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, sb.transpose()), tf.matMul(sa.transpose(), g)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;
