// Reading a Content-Security-Policy: which sources each directive allows, and which of them
// would let the page reach another origin (or run strings as code).

/** directive -> its source expressions, lower-cased. */
export function parseContentSecurityPolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources.map((s) => s.toLowerCase()));
  }
  return directives;
}

// Sources that keep a page to its own origin: the page itself, nothing, wasm compilation, and
// data/blob URLs the page makes itself; inline code only for styles (inline scripts are how
// injected markup would run).
const LOCAL_SOURCES = new Set(["'self'", "'none'", "'wasm-unsafe-eval'", 'data:', 'blob:']);
const INLINE_OK = new Set(['style-src', 'style-src-elem', 'style-src-attr']);

/** What in the policy allows a remote origin or eval; empty when it allows none. */
export function contentSecurityPolicyProblems(policy: string): string[] {
  const directives = parseContentSecurityPolicy(policy);
  const problems: string[] = [];
  if (!directives.has('default-src')) problems.push('no default-src: directives left out allow any origin');
  for (const [name, sources] of directives) {
    if (!name.endsWith('-src')) continue;
    for (const source of sources) {
      if (LOCAL_SOURCES.has(source) || (source === "'unsafe-inline'" && INLINE_OK.has(name))) continue;
      problems.push(`${name} allows ${source}`);
    }
  }
  return problems;
}
