// State of the engine demo: a tiny model trained for a few steps in the worker, so a visitor
// can see that training runs on their own device and on which backend.
import type { BackendReport } from '../backend/select';
import type { Progress, StepMetrics } from '../train/trainer';
import { progressCallback, startEngineWorker, type EngineClient } from '../worker/client';

const DEMO_TEXT = [
  'the assistant reads the rules and the reasons for them .',
  'a careful assistant asks a person before it acts .',
  'the cat sat on the mat and the dog ran to the red ball .',
];

export class EngineDemo {
  report = $state<BackendReport | null>(null);
  status = $state('idle');
  error = $state<string | null>(null);
  metrics = $state.raw<StepMetrics[]>([]);
  tokensPerSecond = $state(0);
  private client: EngineClient | null = null;

  async train(steps: number): Promise<void> {
    this.error = null;
    this.metrics = [];
    try {
      this.client ??= startEngineWorker();
      const { engine } = this.client;
      this.status = 'starting the backend';
      this.report ??= await engine.init();
      const words = new Set(DEMO_TEXT.join(' ').split(' '));
      await engine.createModel({ preset: 'nano', vocab: ['<pad>', '<bos>', '<eos>', '<user>', '<assistant>', ...[...words].sort()], seed: 1 });
      this.status = 'training';
      await engine.trainStage(
        { name: 'demo', steps, peakLr: 1e-2, minLr: 1e-3, warmupSteps: 5, readEvery: 5, seed: 1, sources: [{ documents: DEMO_TEXT, weight: 1 }] },
        progressCallback((p: Progress) => {
          this.metrics = [...this.metrics, ...p.metrics];
          this.tokensPerSecond = p.tokensPerSecond;
        }),
      );
      this.status = 'done';
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      this.status = 'failed';
    }
  }

  pause = () => this.client?.engine.pause();
  resume = () => this.client?.engine.resume();
  stop = () => this.client?.engine.stop();
}
