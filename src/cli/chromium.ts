// Headless Debian Chromium with WebGPU (a software SwiftShader adapter on a CPU machine),
// driven by playwright-core, with the app served by Vite's dev server. Never downloads a browser.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** In CI the browser tests must run: a missing Chromium fails them instead of skipping. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run must install Debian's chromium package`);
  return false;
}

export interface BrowserSession {
  url: string;
  context: BrowserContext;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  // No HMR and no file watching: an edit elsewhere in the tree must not reload the page mid-test.
  const server: ViteDevServer = await createServer({
    root: process.cwd(),
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1', hmr: false, watch: { ignored: ['**/*'] } },
  });
  await server.listen();
  const address = server.httpServer!.address();
  if (!address || typeof address === 'string') throw new Error('the dev server has no port');
  const profile = mkdtempSync(join(tmpdir(), 'msm-lab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    url: `http://127.0.0.1:${address.port}`,
    context,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
