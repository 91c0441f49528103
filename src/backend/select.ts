// Picks the first TF.js backend that initializes, and says why the others were passed over.
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendReport {
  chosen: BackendName;
  skipped: Array<{ name: BackendName; reason: string }>;
  forced: boolean;
  detail?: string; // e.g. the WebGPU adapter, or "fallback adapter (software)"
}

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/**
 * Tries `order` in turn; a forced backend is tried alone and its failure is an error.
 * `precheck` may veto a backend with a reason before TF.js tries it (e.g. no navigator.gpu).
 */
export async function selectBackend(
  order: readonly BackendName[],
  force: BackendName | undefined,
  precheck: (name: BackendName) => Promise<string | null> = async () => null,
): Promise<BackendReport> {
  const skipped: BackendReport['skipped'] = [];
  for (const name of force ? [force] : order) {
    const reason = (await precheck(name)) ?? (await trySetBackend(name));
    if (reason === null) return { chosen: name, skipped, forced: force !== undefined };
    skipped.push({ name, reason });
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(force ? `the ${force} backend is not available here (${why})` : `no TF.js backend could start (${why})`);
}

async function trySetBackend(name: BackendName): Promise<string | null> {
  if (!tf.engine().registryFactory[name]) return 'not registered in this build';
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return 'failed to initialize';
    await tf.ready();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
