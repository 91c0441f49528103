// Backends for the browser: WebGPU first, then WebGL, then wasm, then cpu. The wasm binaries
// are bundled by Vite and served by the app itself: no request leaves the page.
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import './wasmFewerCopies';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { type BackendName, type BackendReport, selectBackend, BACKEND_NAMES } from './select';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

interface GpuLike {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean } | null>;
}

export async function useBrowserBackend(force?: BackendName): Promise<BackendReport> {
  let detail: string | undefined;
  const report = await selectBackend(BACKEND_NAMES, force, async (name) => {
    if (name === 'webgpu') {
      const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
      if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
      const adapter = await gpu.requestAdapter();
      if (!adapter) return 'no WebGPU adapter (the GPU is blocklisted or unavailable)';
      const info = adapter.info ?? {};
      // A fallback adapter is software (e.g. SwiftShader): it works, slowly.
      detail = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU adapter';
      if (adapter.isFallbackAdapter || info.isFallbackAdapter) detail += ' (fallback adapter: software, slow)';
    }
    if (name === 'webgl' && typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') return 'no canvas in this context';
    return null;
  });
  return report.chosen === 'webgpu' ? { ...report, detail } : report;
}
