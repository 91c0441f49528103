// Notices when the engine's Worker dies or stops answering, so the page's calls to it end with
// a WorkerDiedError instead of waiting forever (comlink alone never settles a call whose
// Worker is gone). A Worker reports an uncaught error or a message it could not read with an
// event; a Worker that hangs says nothing, so while a call is pending the page also pings it.

/** The engine's Worker died or hung; every call pending on it, and every later one, fails with this. */
export class WorkerDiedError extends Error {
  constructor(cause: string) {
    super(`the engine's Worker stopped (${cause})`);
    this.name = 'WorkerDiedError';
  }
}

/** What the watch needs of a Worker (a fake one in tests). */
export interface WatchedWorker {
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

export interface WatchTimes {
  /** How often to ping while a call is pending. */
  pingEveryMs: number;
  /**
   * How long a ping may go unanswered before the Worker counts as hung. The trainer lets
   * messages in only every readEvery steps (20), and a software GPU takes seconds a step, so
   * this is minutes, not seconds.
   */
  hangAfterMs: number;
}

export const DEFAULT_WATCH_TIMES: WatchTimes = { pingEveryMs: 5_000, hangAfterMs: 180_000 };

export class WorkerWatch {
  /** Why the Worker stopped, once it has. */
  failure: WorkerDiedError | null = null;
  private readonly died: Promise<never>;
  private reject: (e: WorkerDiedError) => void = () => {};
  private pending = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private pingSentAt: number | null = null;
  private listeners: Array<(e: WorkerDiedError) => void> = [];

  constructor(
    private readonly worker: WatchedWorker,
    private readonly ping: () => Promise<unknown>,
    private readonly times: WatchTimes = DEFAULT_WATCH_TIMES,
  ) {
    this.died = new Promise<never>((_, reject) => (this.reject = reject));
    this.died.catch(() => {}); // observed through guard() and onDied(); never an unhandled rejection
    worker.addEventListener('error', (e) => this.fail(describeError(e)));
    worker.addEventListener('messageerror', () => this.fail('a message from the Worker could not be read'));
  }

  /** Runs a call to the Worker; it rejects with WorkerDiedError if the Worker stops first. */
  async guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.failure) throw this.failure;
    this.begin();
    try {
      return await Promise.race([call(), this.died]);
    } finally {
      this.end();
    }
  }

  onDied(listener: (e: WorkerDiedError) => void): void {
    if (this.failure) listener(this.failure);
    else this.listeners.push(listener);
  }

  /** Ends the Worker and fails every pending call; the first cause is the one reported. */
  fail(cause: string): void {
    if (this.failure) return;
    this.failure = new WorkerDiedError(cause);
    this.stopPinging();
    this.worker.terminate(); // a hung Worker still holds its memory and its GPU device
    this.reject(this.failure);
    for (const listener of this.listeners) listener(this.failure);
    this.listeners = [];
  }

  private begin(): void {
    if (this.pending++ === 0) this.timer = setInterval(() => this.tick(), this.times.pingEveryMs);
  }

  private end(): void {
    if (--this.pending === 0) this.stopPinging();
  }

  private stopPinging(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.pingSentAt = null;
  }

  private tick(): void {
    const now = Date.now();
    if (this.pingSentAt !== null) {
      const silent = now - this.pingSentAt;
      if (silent >= this.times.hangAfterMs) this.fail(`it did not answer for ${Math.round(silent / 1000)} s`);
      return;
    }
    const sent = now;
    this.pingSentAt = sent;
    // Any answer, even an error, shows the Worker's event loop is alive.
    const answered = () => {
      if (this.pingSentAt === sent) this.pingSentAt = null;
    };
    this.ping().then(answered, answered);
  }
}

/**
 * `remote` with each method call run through watch.guard(). Works on comlink's proxy, whose
 * members are all callable; `then` is hidden so the wrapper is not mistaken for a promise.
 */
export function watchedRemote<T extends object>(remote: T, watch: WorkerWatch): T {
  return new Proxy(remote, {
    get: (obj, key) => {
      if (key === 'then') return undefined;
      const member = (obj as Record<PropertyKey, unknown>)[key] as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => watch.guard(() => member(...args));
    },
  });
}

function describeError(e: Event): string {
  const { message, filename, lineno } = e as ErrorEvent;
  if (!message) return 'an error in the Worker, with no message: it may have run out of memory or failed to load';
  return `an error in the Worker: ${message}${filename ? ` (${filename.split('/').pop()}:${lineno})` : ''}`;
}
