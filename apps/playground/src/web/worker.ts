// The training worker (a module worker): picks the fastest backend, then hands every message to a TrainingSession.
import { getBackend, ready } from '@elman/core';
import data from 'virtual:playground-data';
import type { WorkerMessage } from './protocol.js';
import { TrainingSession } from './session.js';

/** The parts of `DedicatedWorkerGlobalScope` used here (the page's tsconfig has the DOM lib, not WebWorker). */
interface WorkerScope {
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

const scope = self as unknown as WorkerScope;
const session = new TrainingSession((message, transfer = []) => scope.postMessage(message, transfer), data);
// Messages arriving before the backend is ready wait in this promise chain, in order.
const initialised = ready();
scope.onmessage = (event) => {
  void initialised.then(() => session.handle(event.data));
};
await initialised;
// The wasm backend says which kernels the browser accepted: relaxed SIMD (FMA) or plain SIMD128.
const backend = getBackend() as ReturnType<typeof getBackend> & { variant?: string };
scope.postMessage({ type: 'ready', backend: backend.variant ? `${backend.name} (${backend.variant})` : backend.name });
