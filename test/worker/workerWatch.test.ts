// The page's watch on the engine Worker, with a fake Worker: a call pending when the Worker
// reports an error, a message it could not read, or stops answering pings ends with a
// WorkerDiedError (a real Worker's pending comlink call would wait forever).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchedRemote, WorkerDiedError, WorkerWatch } from '../../src/worker/workerWatch';

class FakeWorker {
  terminated = 0;
  private listeners = new Map<string, Array<(e: Event) => void>>();
  addEventListener(type: string, listener: (e: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string, event: Partial<ErrorEvent> = {}): void {
    for (const l of this.listeners.get(type) ?? []) l(event as Event);
  }
  terminate(): void {
    this.terminated++;
  }
}

const never = () => new Promise<never>(() => {});
const times = { pingEveryMs: 1_000, hangAfterMs: 10_000 };

describe('WorkerWatch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fails a pending call and every later one when the Worker reports an error, and ends the Worker', async () => {
    const worker = new FakeWorker();
    const watch = new WorkerWatch(worker, async () => 'pong', times);
    const died: string[] = [];
    watch.onDied((e) => died.push(e.message));
    const pending = watch.guard(never);
    worker.emit('error', { message: 'Uncaught Error: out of memory', filename: 'http://x/src/worker/engine.worker.ts', lineno: 12 });
    await expect(pending).rejects.toThrow(WorkerDiedError);
    await expect(pending).rejects.toThrow("the engine's Worker stopped (an error in the Worker: Uncaught Error: out of memory (engine.worker.ts:12))");
    await expect(watch.guard(async () => 1)).rejects.toThrow(/Worker stopped/);
    expect(worker.terminated).toBe(1);
    expect(died).toHaveLength(1);
    worker.emit('messageerror'); // a second cause changes nothing: the first is reported
    expect(watch.failure?.message).toMatch(/out of memory/);
  });

  it('names an error event without a message (a Worker that failed to load or ran out of memory)', async () => {
    const worker = new FakeWorker();
    const watch = new WorkerWatch(worker, async () => 'pong', times);
    const pending = watch.guard(never);
    worker.emit('error', {});
    await expect(pending).rejects.toThrow(/with no message: it may have run out of memory or failed to load/);
  });

  it('fails a pending call on a message the Worker sent that could not be read', async () => {
    const worker = new FakeWorker();
    const watch = new WorkerWatch(worker, async () => 'pong', times);
    const pending = watch.guard(never);
    worker.emit('messageerror');
    await expect(pending).rejects.toThrow('a message from the Worker could not be read');
  });

  it('fails a pending call when pings go unanswered past the limit, not before', async () => {
    const worker = new FakeWorker();
    let pings = 0;
    const watch = new WorkerWatch(worker, () => (pings++, never()), times);
    const pending = watch.guard(never);
    let settled = false;
    pending.catch(() => (settled = true));
    await vi.advanceTimersByTimeAsync(10_500); // first ping at 1 s: unanswered for 9.5 s
    expect(settled).toBe(false);
    expect(pings).toBe(1); // no second ping while one is outstanding
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(pending).rejects.toThrow("the engine's Worker stopped (it did not answer for 10 s)");
    expect(worker.terminated).toBe(1);
  });

  it('a busy Worker that answers its pings is left alone, and pings stop when no call is pending', async () => {
    const worker = new FakeWorker();
    let pings = 0;
    const watch = new WorkerWatch(worker, async () => (pings++, 'pong'), times);
    let finish: (v: number) => void = () => {};
    const call = watch.guard(() => new Promise<number>((r) => (finish = r)));
    await vi.advanceTimersByTimeAsync(60_000);
    finish(7);
    await expect(call).resolves.toBe(7);
    expect(pings).toBeGreaterThanOrEqual(59);
    const before = pings;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pings).toBe(before);
    expect(watch.failure).toBeNull();
  });

  it('watchedRemote runs every method through the watch and is not a thenable', async () => {
    const worker = new FakeWorker();
    const watch = new WorkerWatch(worker, async () => 'pong', times);
    const remote = watchedRemote({ add: async (a: number, b: number) => a + b, hang: never }, watch);
    expect((remote as unknown as { then?: unknown }).then).toBeUndefined();
    await expect(remote.add(2, 3)).resolves.toBe(5);
    const hanging = remote.hang();
    worker.emit('error', { message: 'boom' });
    await expect(hanging).rejects.toThrow(/boom/);
  });
});
