// User text (specs, prompts, imported runs) is rendered as text, and the page may load nothing
// from another origin. Svelte escapes every {expression}; only {@html} would insert markup.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicyProblems, parseContentSecurityPolicy } from './csp';

const ROOT = new URL('../../', import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('user text is never rendered as HTML', () => {
  it('no Svelte component in src/ui uses {@html}, and no code sets innerHTML', () => {
    const files = filesUnder(join(ROOT, 'src/ui')).filter((f) => /\.(svelte|ts|js)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${file.slice(ROOT.length)}:${i + 1}`, line }))
        .filter(({ line }) => /\{@html\b|\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML\(|document\.write\(/.test(line)),
    );
    expect(offenders).toEqual([]);
  });
});

describe('the Content-Security-Policy of index.html', () => {
  const html = readFileSync(join(ROOT, 'index.html'), 'utf8');
  const meta = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i);

  it('is set, with a default-src', () => {
    expect(meta).not.toBeNull();
    expect(parseContentSecurityPolicy(meta![1]).has('default-src')).toBe(true);
  });

  it('allows no remote origin in any directive', () => {
    expect(contentSecurityPolicyProblems(meta![1])).toEqual([]);
  });

  it('catches the remote sources it is there to catch', () => {
    expect(contentSecurityPolicyProblems("default-src 'self'; connect-src 'self' https://example.com")).toEqual([
      'connect-src allows https://example.com',
    ]);
    expect(contentSecurityPolicyProblems("script-src 'self'")).toEqual(['no default-src: directives left out allow any origin']);
    expect(contentSecurityPolicyProblems("default-src *; img-src https: data:")).toEqual(['default-src allows *', 'img-src allows https:']);
    expect(contentSecurityPolicyProblems("default-src 'self'; script-src 'self' 'unsafe-eval' 'unsafe-inline'")).toEqual([
      "script-src allows 'unsafe-eval'",
      "script-src allows 'unsafe-inline'",
    ]);
  });
});
