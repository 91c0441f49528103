// The backend's own ceiling for our kind of work: FLOP/s of one large float32 matrix product,
// measured, so that a training step's rate can be stated as a fraction of it.
import * as tf from '@tensorflow/tfjs';

export async function matmulRate(n: number, repeats: number): Promise<number> {
  const a = tf.randomNormal([n, n]) as tf.Tensor2D;
  const b = tf.randomNormal([n, n]) as tf.Tensor2D;
  const run = async (times: number) => {
    let last: tf.Tensor | null = null;
    for (let i = 0; i < times; i++) {
      last?.dispose();
      last = tf.matMul(a, b);
    }
    await last!.data();
    last!.dispose();
  };
  await run(1); // compile and warm up
  const start = performance.now();
  await run(repeats);
  const seconds = (performance.now() - start) / 1000;
  a.dispose();
  b.dispose();
  return (2 * n ** 3 * repeats) / seconds;
}
