import type * as tf from '@tensorflow/tfjs';

/** GELU, tanh approximation (GPT-2's); x*x*x rather than pow, a slow generic kernel on wasm. */
export function gelu<T extends tf.Tensor>(x: T): T {
  const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
  return x.mul(0.5).mul(inner.tanh().add(1)) as T;
}
