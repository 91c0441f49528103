// The page's handle on the engine worker.
import * as Comlink from 'comlink';
import type { EngineApi } from './api';
import { watchedRemote, WorkerWatch } from './workerWatch';

export interface EngineClient {
  /** Every call fails with WorkerDiedError, instead of waiting forever, once the Worker dies. */
  engine: Comlink.Remote<EngineApi>;
  watch: WorkerWatch;
  terminate(): void;
}

export function startEngineWorker(): EngineClient {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'msm-lab-engine' });
  const remote = Comlink.wrap<EngineApi>(worker);
  const watch = new WorkerWatch(worker, () => remote.ping());
  return { engine: watchedRemote(remote, watch), watch, terminate: () => worker.terminate() };
}

/** Wrap a progress callback so it can cross the worker boundary. */
export const progressCallback = Comlink.proxy;
