// The app keeps to its own origin: loading it makes no request elsewhere, its Content-Security-
// Policy allows no remote origin, and the browser enforces that policy on the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, type BrowserSession } from '../../src/cli/chromium';
import { contentSecurityPolicyProblems } from '../security/csp';

const run = chromiumAvailable() ? describe : describe.skip;

run('the app page in headless Chromium', () => {
  let browser: BrowserSession;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('makes no request beyond its own origin, under a CSP that allows none and is enforced', async () => {
    const page = await browser.context.newPage();
    const origin = new URL(browser.url).origin;
    const requests: string[] = [];
    const sockets: string[] = [];
    browser.context.on('request', (r) => requests.push(r.url())); // the page's and its workers'
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));

    const response = await page.goto(`${browser.url}/index.html`);
    expect(response?.status()).toBe(200);
    // The app has mounted, and gets a few seconds for what it fetches at start (worker, wasm, models).
    await page.waitForFunction(() => (document.querySelector('#app')?.children.length ?? 0) > 0, null, { timeout: 120_000 });
    await page.waitForTimeout(3000);

    const own = (url: string) => url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:');
    const seen = [...requests];
    console.log(`app page: ${seen.length} requests, all to ${origin}: ${seen.every(own)}`);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.filter((url) => !own(url))).toEqual([]);
    // The dev server's own socket (if any) goes to the same host and port.
    expect(sockets.filter((url) => new URL(url).host !== new URL(origin).host)).toEqual([]);

    // The policy, as a header (if the server sends one) and as the page's meta tag.
    const header = response!.headers()['content-security-policy'];
    if (header !== undefined) expect(contentSecurityPolicyProblems(header)).toEqual([]);
    const meta = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null);
    expect(meta).not.toBeNull();
    expect(contentSecurityPolicyProblems(meta!)).toEqual([]);

    // Enforced: a fetch, an image and a script from another origin are blocked before any network use.
    const probe = await page.evaluate(async () => {
      const violations: Array<{ directive: string; blocked: string }> = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
      const fetched = await fetch('https://example.com/collect').then(() => 'sent', () => 'blocked');
      const load = (make: () => HTMLImageElement | HTMLScriptElement, url: string) =>
        new Promise<string>((resolve) => {
          const el = make();
          el.onload = () => resolve('loaded');
          el.onerror = () => resolve('blocked');
          el.src = url;
          if (el instanceof HTMLScriptElement) document.head.append(el);
        });
      const image = await load(() => new Image(), 'https://example.com/pixel.png');
      const script = await load(() => document.createElement('script'), 'https://example.com/script.js');
      await new Promise((r) => setTimeout(r, 200)); // violation events are queued as tasks
      return { fetched, image, script, violations };
    });
    expect(probe).toEqual({
      fetched: 'blocked',
      image: 'blocked',
      script: 'blocked',
      violations: expect.arrayContaining([
        { directive: 'connect-src', blocked: 'https://example.com/collect' },
        { directive: 'img-src', blocked: 'https://example.com/pixel.png' },
        { directive: 'script-src-elem', blocked: 'https://example.com/script.js' },
      ]),
    });
  });
});
