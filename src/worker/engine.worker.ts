// The dedicated module Worker: all training runs here, never on the page's thread.
import * as Comlink from 'comlink';
import { useBrowserBackend } from '../backend/browser';
import { GpuHealth } from '../backend/webgpuHealth';
import { idbCheckpointStore } from '../checkpoint/idbStore';
import { Engine } from './engine';

// On webgpu, a lost device (or a GPU error) fails the call in flight and every later call with
// a DeviceLostError, and a model too big for the GPU's buffer limits is refused before it exists.
const health = new GpuHealth();
const chooseBackend: typeof useBrowserBackend = async (force) => {
  const report = await useBrowserBackend(force);
  health.watchBackend();
  return report;
};
const engine = new Engine(chooseBackend, idbCheckpointStore, (config, step, preset) => health.checkFits(config, step, preset));
health.onLost(() => engine.stop());
// Test hook: an error no call catches, as a crash raises; the page's WorkerWatch must notice it.
const crashForTest = () => void setTimeout(() => {
  throw new Error('crash for test');
});
Comlink.expose(new Proxy(health.guard(engine), { get: (obj, key, receiver) => (key === 'crashForTest' ? crashForTest : Reflect.get(obj, key, receiver)) }));
