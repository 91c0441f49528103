// The benchmark suite on a browser backend (run in the page by `npm run bench`).
import * as tf from '@tensorflow/tfjs';
import '../backend/browser';
import { runBenchSuite, type BenchPlan, type BenchReport } from './suite';

export async function benchInBrowser(backend: 'webgpu' | 'webgl', plan: BenchPlan): Promise<BenchReport | string> {
  try {
    if (!(await tf.setBackend(backend))) return `${backend} did not initialize`;
    await tf.ready();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return runBenchSuite(plan);
}
