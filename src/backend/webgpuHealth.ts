// Watching the WebGPU device. A GPU can go away under a running tab (a driver reset, the OS
// reclaiming it, another tab's crash), and a kernel that breaks a limit raises a validation
// error instead of throwing. TF.js listens to neither: its kernels would go on returning zeros
// or stale buffers, and a training run would carry on with garbage. GpuHealth turns both
// events into a DeviceLostError that the call in flight and every later call reject with.
import * as tf from '@tensorflow/tfjs';
import type { GPTConfig, PresetName } from '../model/config';
import { checkFitsDevice, type BufferLimits, type StepShape } from './deviceLimits';

/** The GPU device was lost or reported an error: nothing computed on it can be trusted any more. */
export class DeviceLostError extends Error {
  constructor(
    readonly reason: string, // GPUDeviceLostReason ("destroyed", "unknown") or "gpu error"
    readonly detail: string,
  ) {
    super(
      `the GPU stopped working (${reason}${detail ? `: ${detail}` : ''}). This engine computes nothing more; ` +
        'checkpoints saved before are intact. Start a new engine, on this or a fallback backend, and load the last checkpoint to continue.',
    );
    this.name = 'DeviceLostError';
  }
}

/** The parts of a GPUDevice watched here. */
export interface WatchedDevice {
  readonly lost: Promise<{ reason: string; message: string }>;
  readonly limits: BufferLimits;
  addEventListener(type: 'uncapturederror', listener: (event: { error?: { message?: string } }) => void): void;
  destroy(): void;
}

// After a call fails, how long to wait for the device's lost promise: when the device goes away
// mid-call, the failing read-back and the lost promise settle in no fixed order.
const LOST_GRACE_MS = 200;

export class GpuHealth {
  private failure: DeviceLostError | null = null;
  private device: WatchedDevice | null = null;
  private readonly listeners: Array<(e: DeviceLostError) => void> = [];
  private signalFailure!: (e: DeviceLostError) => void;
  /** Rejects with the DeviceLostError when the device goes; never resolves. */
  readonly failed: Promise<never> = new Promise<never>((_, reject) => (this.signalFailure = reject));

  constructor() {
    this.failed.catch(() => undefined); // observed through calls, not as an unhandled rejection
  }

  /** Starts watching the device of the current TF.js backend, when that backend is webgpu. */
  watchBackend(): void {
    if (tf.getBackend() !== 'webgpu') return;
    this.watch((tf.backend() as unknown as { device: WatchedDevice }).device);
  }

  watch(device: WatchedDevice): void {
    this.device = device;
    void device.lost.then((info) => this.fail(new DeviceLostError(info.reason || 'unknown', info.message)));
    device.addEventListener('uncapturederror', (event) => this.fail(new DeviceLostError('gpu error', event.error?.message ?? 'no details')));
  }

  /** The error every call now rejects with, or null while the device is healthy (or not watched). */
  get lost(): DeviceLostError | null {
    return this.failure;
  }

  /** Called once, when the device is lost (e.g. to stop the training loop). */
  onLost(listener: (e: DeviceLostError) => void): void {
    this.listeners.push(listener);
  }

  /** The watched device's buffer limits; null when the backend is not webgpu. */
  limits(): BufferLimits | null {
    return this.device ? { maxStorageBufferBindingSize: this.device.limits.maxStorageBufferBindingSize, maxBufferSize: this.device.limits.maxBufferSize } : null;
  }

  /** Refuses (DeviceLimitError) a model whose training step would not fit the watched GPU. */
  checkFits(config: GPTConfig, step: StepShape, preset?: PresetName | 'custom'): void {
    this.check();
    const limits = this.limits();
    if (limits) checkFitsDevice(config, step, limits, preset);
  }

  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Runs one engine operation: refused once the device is lost, and cut short when it is lost meanwhile. */
  async run<T>(operation: () => T | Promise<T>): Promise<T> {
    this.check();
    try {
      const result = await Promise.race([Promise.resolve().then(operation), this.failed]);
      this.check(); // an error event during the call means its result is not to be trusted
      return result;
    } catch (e) {
      if (this.failure) throw this.failure;
      if (this.device && !(e instanceof DeviceLostError)) {
        await Promise.race([this.failed, new Promise((r) => setTimeout(r, LOST_GRACE_MS))]).catch(() => undefined);
        if (this.failure) throw this.failure;
      }
      throw e;
    }
  }

  /**
   * `target` with every method run through run(), plus `loseDeviceForTest`, which destroys the
   * device as a driver reset would.
   */
  guard<T extends object>(target: T): T & { loseDeviceForTest(): void } {
    return new Proxy(target, {
      get: (obj, key, receiver) => {
        if (key === 'loseDeviceForTest') return () => this.loseDeviceForTest();
        const value = Reflect.get(obj, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => this.run(() => (value as (...a: unknown[]) => unknown).apply(obj, args));
      },
    }) as T & { loseDeviceForTest(): void };
  }

  loseDeviceForTest(): void {
    if (!this.device) throw new Error('no WebGPU device to lose: the backend is not webgpu');
    this.device.destroy();
  }

  private fail(error: DeviceLostError): void {
    if (this.failure) return; // the first cause is the one reported
    this.failure = error;
    console.error(`MSM Lab: ${error.message}`);
    this.signalFailure(error);
    for (const listener of this.listeners) listener(error);
  }
}
