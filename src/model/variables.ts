import * as tf from '@tensorflow/tfjs';

/** A variable holding `initial`'s values; `initial` is disposed (tf.variable keeps it alive otherwise). */
export function variableFrom(initial: tf.Tensor, trainable: boolean, name?: string): tf.Variable {
  const v = tf.variable(initial, trainable, name);
  initial.dispose();
  return v;
}
