import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  worker: { format: 'es' },
  build: { target: 'es2022' },
  // Pre-bundle everything the worker imports up front: a dependency found later makes the dev
  // server reload the page mid-run.
  optimizeDeps: {
    entries: ['index.html', 'test/browser/*.html', 'src/worker/engine.worker.ts'],
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm', 'comlink', 'idb-keyval'],
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/browser/**'], environment: 'node', testTimeout: 120_000 },
      },
      {
        extends: true,
        // Headless Chromium with WebGPU on a CPU adapter: slow, so one file at a time.
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], environment: 'node', testTimeout: 600_000, hookTimeout: 180_000, fileParallelism: false },
      },
    ],
  },
});
