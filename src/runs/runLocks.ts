// Which runs are training now in some tab of this browser. A run holds a Web Lock named for it
// while it trains, and the lock goes when the run ends or its tab closes or crashes. Another tab
// then tells a run going on elsewhere from one that was cut off: it neither offers to resume it
// (two tabs would train it twice and write one journal) nor reports it as interrupted.

/** The part of the Web Locks API used here (navigator.locks; a fake in tests). */
export interface Locks {
  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown>;
  query(): Promise<{ held?: Array<{ name?: string }> }>;
}

const PREFIX = 'msm-lab-run:';

const browserLocks = (): Locks | null => (globalThis.navigator as { locks?: Locks } | undefined)?.locks ?? null;

/**
 * Takes the run's lock if no tab holds it; resolves to its release, or null when another tab
 * holds it. Without Web Locks every run counts as free (no other tab can be detected).
 */
export function lockRun(id: string, locks: Locks | null = browserLocks()): Promise<(() => void) | null> {
  if (!locks) return Promise.resolve(() => {});
  return new Promise((resolve, reject) => {
    locks
      .request(PREFIX + id, { ifAvailable: true }, (lock) => {
        if (!lock) return resolve(null);
        return new Promise<void>((release) => resolve(release));
      })
      .catch(reject);
  });
}

/** The ids of the runs whose lock some tab holds (this one included). */
export async function runsTrainingNow(locks: Locks | null = browserLocks()): Promise<Set<string>> {
  if (!locks) return new Set();
  const { held = [] } = await locks.query();
  return new Set(held.flatMap((l) => (l.name?.startsWith(PREFIX) ? [l.name.slice(PREFIX.length)] : [])));
}

/**
 * Resolves once no tab holds the run's lock: its tab finished it, closed or reloaded. A reloaded
 * tab's lock can outlive the old page for a moment, so a fresh page first sees its own run as
 * training elsewhere, and learns otherwise here.
 */
export async function whenRunFree(id: string, locks: Locks | null = browserLocks()): Promise<void> {
  if (locks) await locks.request(PREFIX + id, {}, () => undefined);
}
