// The benchmark suite, on whatever backend is active (Node's wasm, a browser's webgpu, Dawn's
// webgpu in Node): the backend's large-matmul rate, then single-model steps and stacked steps,
// each with its FLOP/s as a fraction of that rate.
import * as tf from '@tensorflow/tfjs';
import { configFor, PRESETS, type PresetName } from '../model/config';
import { trainingStepFlops } from './flops';
import { matmulRate } from './matmulRate';
import { benchStackedStep, type StackedBench } from './stackedStepBench';
import { BENCH_VOCAB, benchTrainStep, type StepBench } from './trainStepBench';

export interface BenchPlan {
  matmul: { size: number; repeats: number };
  single: Array<{ preset: PresetName; steps: number }>;
  stacked: Array<{ preset: PresetName; models: number[]; steps: number }>;
}

export interface BenchReport {
  backend: string;
  matmulFlops: number; // FLOP/s of one large matrix product
  matmulSize: number;
  single: Array<StepBench & { flops: number }>; // flops: achieved FLOP/s
  stacked: Array<StackedBench & { flops: number }>;
}

export async function runBenchSuite(plan: BenchPlan, log: (line: string) => void = () => {}): Promise<BenchReport> {
  const matmulFlops = await matmulRate(plan.matmul.size, plan.matmul.repeats);
  log(`${tf.getBackend()}: ${plan.matmul.size}² matmul ${gflops(matmulFlops)} GFLOP/s`);
  const report: BenchReport = { backend: tf.getBackend(), matmulFlops, matmulSize: plan.matmul.size, single: [], stacked: [] };
  for (const { preset, steps } of plan.single) {
    const b = await benchTrainStep(preset, steps);
    report.single.push({ ...b, flops: stepFlops(preset) / (b.msPerStep / 1000) });
    log(singleRow(report.single.at(-1)!, matmulFlops));
  }
  for (const { preset, models, steps } of plan.stacked) {
    for (const m of models) {
      const b = await benchStackedStep(preset, m, steps);
      report.stacked.push({ ...b, flops: (m * stepFlops(preset)) / (b.msPerStackedStep / 1000) });
      log(stackedRow(report.stacked.at(-1)!, matmulFlops));
    }
  }
  return report;
}

function stepFlops(preset: PresetName): number {
  const c = configFor(preset, BENCH_VOCAB);
  return trainingStepFlops(c, PRESETS[preset].batchSize, c.blockSize);
}

const gflops = (f: number) => (f / 1e9).toFixed(2);
const percent = (f: number, of: number) => `${((100 * f) / of).toFixed(1)}%`;

export function singleRow(b: BenchReport['single'][number], matmulFlops: number): string {
  return `${b.backend.padEnd(7)} ${b.preset.padEnd(6)} one model   ${b.msPerStep.toFixed(1).padStart(9)} ms/step ${Math.round(b.tokensPerSecond).toString().padStart(8)} tok/s ${String(b.kernelsPerStep).padStart(6)} kernels/step ${gflops(b.flops).padStart(7)} GFLOP/s (${percent(b.flops, matmulFlops)} of matmul)`;
}

export function stackedRow(b: BenchReport['stacked'][number], matmulFlops: number): string {
  return `${b.backend.padEnd(7)} ${b.preset.padEnd(6)} M=${String(b.models).padEnd(3)} stack ${b.msPerStackedStep.toFixed(1).padStart(9)} ms/step ${Math.round(b.tokensPerSecond).toString().padStart(8)} tok/s ${String(b.kernelsPerStep).padStart(6)} kernels/step ${gflops(b.flops).padStart(7)} GFLOP/s (${percent(b.flops, matmulFlops)} of matmul); sequential ${b.msPerSequentialStep.toFixed(1)} ms: speed-up ${b.speedup.toFixed(2)}x`;
}
