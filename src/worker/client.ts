// The page's handle on the engine worker.
import * as Comlink from 'comlink';
import type { EngineApi } from './api';

export interface EngineClient {
  engine: Comlink.Remote<EngineApi>;
  terminate(): void;
}

export function startEngineWorker(): EngineClient {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'msm-lab-engine' });
  const engine = Comlink.wrap<EngineApi>(worker);
  return { engine, terminate: () => worker.terminate() };
}

/** Wrap a progress callback so it can cross the worker boundary. */
export const progressCallback = Comlink.proxy;
