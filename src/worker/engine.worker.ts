// The dedicated module Worker: all training runs here, never on the page's thread.
import * as Comlink from 'comlink';
import { useBrowserBackend } from '../backend/browser';
import { idbCheckpointStore } from '../checkpoint/idbStore';
import { Engine } from './engine';

Comlink.expose(new Engine(useBrowserBackend, idbCheckpointStore));
