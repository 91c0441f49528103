// Pause, resume and stop, between training steps. The training loop asks `shouldContinue()`
// before each step; the UI (through the worker) flips the flags at any moment.

export type RunState = 'running' | 'paused' | 'stopped';

export class RunControl {
  private current: RunState = 'running';
  private wake: (() => void) | null = null;

  get state(): RunState {
    return this.current;
  }

  pause(): void {
    if (this.current === 'running') this.current = 'paused';
  }

  resume(): void {
    if (this.current === 'paused') this.current = 'running';
    this.wake?.();
  }

  stop(): void {
    this.current = 'stopped';
    this.wake?.();
  }

  /** Waits while paused; false once stopped. */
  async shouldContinue(): Promise<boolean> {
    while (this.current === 'paused') await new Promise<void>((r) => (this.wake = r));
    this.wake = null;
    return this.current === 'running';
  }
}
