import { describe, expect, it } from 'vitest';
import { DeviceLimitError } from '../../src/backend/deviceLimits';
import { DeviceLostError, GpuHealth, type WatchedDevice } from '../../src/backend/webgpuHealth';
import { configFor } from '../../src/model/config';
import { rejection } from '../helpers';

/** A stand-in GPUDevice whose loss and errors the test triggers. */
function fakeDevice(limits = { maxStorageBufferBindingSize: 128 << 20, maxBufferSize: 256 << 20 }) {
  let resolveLost!: (info: { reason: string; message: string }) => void;
  const errorListeners: Array<(e: { error?: { message?: string } }) => void> = [];
  const device: WatchedDevice & { destroyed: boolean } = {
    lost: new Promise((r) => (resolveLost = r)),
    limits,
    destroyed: false,
    addEventListener: (_type, listener) => errorListeners.push(listener),
    destroy() {
      this.destroyed = true;
      resolveLost({ reason: 'destroyed', message: 'Device was destroyed.' });
    },
  };
  return { device, lose: resolveLost, raiseError: (message: string) => errorListeners.forEach((l) => l({ error: { message } })) };
}

/** An engine-like object: a slow "training" call, a quick one, and one that fails. */
class FakeEngine {
  stopped = false;
  finishTraining!: (v: string) => void;
  train(): Promise<string> {
    return new Promise((r) => (this.finishTraining = r));
  }
  add(a: number, b: number): number {
    return a + b;
  }
  async readBack(): Promise<number> {
    throw new Error('mapAsync failed');
  }
}

describe('GpuHealth', () => {
  it('passes calls through while the device is healthy', async () => {
    const health = new GpuHealth();
    health.watch(fakeDevice().device);
    const engine = health.guard(new FakeEngine());
    expect(await engine.add(2, 3)).toBe(5);
    expect(health.lost).toBeNull();
  });

  it('ends a call in flight with DeviceLostError when the device is lost, and refuses every later call', async () => {
    const health = new GpuHealth();
    const { device, lose } = fakeDevice();
    health.watch(device);
    const raw = new FakeEngine();
    health.onLost(() => (raw.stopped = true));
    const engine = health.guard(raw);
    const training = engine.train(); // never finishes by itself
    lose({ reason: 'unknown', message: 'the driver was reset' });
    const e = await rejection(training);
    expect(e).toBeInstanceOf(DeviceLostError);
    expect(e.name).toBe('DeviceLostError');
    expect((e as DeviceLostError).reason).toBe('unknown');
    expect(e.message).toMatch(/^the GPU stopped working \(unknown: the driver was reset\)\. .*load the last checkpoint to continue\.$/);
    expect(raw.stopped).toBe(true);
    // Later calls, even quick synchronous ones, reject with the same error.
    expect(await rejection(Promise.resolve(engine.add(1, 1)))).toBe(e);
    expect(await rejection(engine.train())).toBe(e);
    expect(health.lost).toBe(e);
  });

  it('treats a GPU error event as fatal: its results are garbage', async () => {
    const health = new GpuHealth();
    const { device, raiseError } = fakeDevice();
    health.watch(device);
    const raw = new FakeEngine();
    const engine = health.guard(raw);
    const training = engine.train();
    await new Promise((r) => setTimeout(r, 0)); // the call is under way
    raiseError('Buffer size (300000000) exceeds the max buffer size limit (268435456).');
    raw.finishTraining('a result computed after the error');
    const e = await rejection(training);
    expect(e).toBeInstanceOf(DeviceLostError);
    expect(e.message).toContain('(gpu error: Buffer size (300000000) exceeds the max buffer size limit (268435456).)');
  });

  it('reports the lost device, not the read-back failure it caused, when both come together', async () => {
    const health = new GpuHealth();
    const { device, lose } = fakeDevice();
    health.watch(device);
    const engine = health.guard(new FakeEngine());
    const call = engine.readBack(); // fails first; the lost promise settles a moment later
    setTimeout(() => lose({ reason: 'destroyed', message: '' }), 20);
    const e = await rejection(call);
    expect(e).toBeInstanceOf(DeviceLostError);
    expect(e.message).toContain('the GPU stopped working (destroyed)');
  });

  it('keeps an ordinary failure as it is while the device stays healthy', async () => {
    const health = new GpuHealth();
    health.watch(fakeDevice().device);
    const e = await rejection(health.guard(new FakeEngine()).readBack());
    expect(e.message).toBe('mapAsync failed');
    expect(health.lost).toBeNull();
  });

  it('destroys the device through the test hook', async () => {
    const health = new GpuHealth();
    const { device } = fakeDevice();
    health.watch(device);
    const engine = health.guard(new FakeEngine());
    engine.loseDeviceForTest();
    expect(device.destroyed).toBe(true);
    expect(await rejection(Promise.resolve(engine.add(1, 2)))).toBeInstanceOf(DeviceLostError);
    expect(() => new GpuHealth().loseDeviceForTest()).toThrow(/no WebGPU device to lose/);
  });

  it('checks a model against the watched device\'s limits, and against nothing without one', () => {
    const medium = configFor('medium', 643);
    expect(() => new GpuHealth().checkFits(medium, { batchSize: 64 }, 'medium')).not.toThrow();
    const health = new GpuHealth();
    health.watch(fakeDevice({ maxStorageBufferBindingSize: 8 << 20, maxBufferSize: 256 << 20 }).device);
    expect(() => health.checkFits(medium, { batchSize: 64 }, 'medium')).toThrow(DeviceLimitError);
    expect(() => health.checkFits(medium, { batchSize: 64 }, 'medium')).toThrow(/maxStorageBufferBindingSize of 8\.0 MiB; try the small preset/);
  });
});
