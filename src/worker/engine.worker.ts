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
Comlink.expose(health.guard(engine));
