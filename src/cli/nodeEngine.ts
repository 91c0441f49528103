// An engine for the command line: the worker's Engine, called directly, on wasm (or cpu).
import type { BackendName } from '../backend/select';
import { useNodeBackend } from '../backend/node';
import { Engine } from '../worker/engine';

export async function nodeEngine(force?: BackendName): Promise<{ engine: Engine; backend: BackendName }> {
  const engine = new Engine(useNodeBackend);
  const report = await engine.init(force);
  return { engine, backend: report.chosen };
}
