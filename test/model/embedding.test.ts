import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import { embed } from '../../src/model/embedding';
import { Random } from '../../src/util/random';

describe.each(['wasm', 'cpu'] as const)('embed on %s', (backend) => {
  beforeAll(async () => {
    await useNodeBackend(backend);
  });
  afterAll(() => {
    tf.engine().reset();
  });

  it('looks rows up and adds each position\'s gradient into its token\'s row, repeats summed', () => {
    const [M, V, C, N] = [2, 7, 3, 9];
    const rng = new Random(1);
    const table = Array.from({ length: M * V * C }, () => rng.normal());
    const ids = Array.from({ length: M * N }, () => rng.int(4)); // tokens repeat
    const dy = Array.from({ length: M * N * C }, () => rng.normal());
    const t = tf.tensor3d(table, [M, V, C]);
    const idsT = tf.tensor2d(ids, [M, N], 'int32');
    const out = embed(t, idsT).arraySync();
    const grad = tf.grad((x: tf.Tensor) => embed(x as tf.Tensor3D, idsT).mul(tf.tensor3d(dy, [M, N, C])).sum())(t).dataSync();
    const want = new Float64Array(M * V * C);
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        const row = ids[m * N + n];
        for (let c = 0; c < C; c++) {
          expect(out[m][n][c]).toBeCloseTo(table[(m * V + row) * C + c], 6);
          want[(m * V + row) * C + c] += dy[(m * N + n) * C + c];
        }
      }
    }
    want.forEach((w, i) => expect(grad[i]).toBeCloseTo(w, 5));
  });
});
