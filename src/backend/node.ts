// Backends for Node: wasm (about 10x the pure-JS cpu backend here), then cpu.
import './wasmFewerCopies';
import { type BackendName, type BackendReport, selectBackend } from './select';

export const NODE_ORDER: readonly BackendName[] = ['wasm', 'cpu'];

export async function useNodeBackend(force?: BackendName): Promise<BackendReport> {
  if (force && !NODE_ORDER.includes(force)) throw new Error(`the ${force} backend is not available in Node; use ${NODE_ORDER.join(' or ')}`);
  return selectBackend(NODE_ORDER, force);
}
