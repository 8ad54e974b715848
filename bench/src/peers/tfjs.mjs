import { createRequire } from 'node:module';
import path from 'node:path';

// tfjs ships CommonJS for Node (no `exports` map); `require` picks its Node bundles without ESM interop guesses.
const require = createRequire(import.meta.url);

/** The tfjs backends measured as peers, by peer name. */
export const TFJS_PEERS = { 'tfjs-cpu': 'cpu', 'tfjs-wasm': 'wasm' };

/**
 * Loads `@tensorflow/tfjs` on one of its backends, single-threaded where tfjs lets us choose.
 *
 * @param {'cpu' | 'wasm'} backend
 * @returns {Promise<{tf: any, threads: number, version: string, detail: string}>}
 */
export async function loadTfjs(backend) {
  const tf = require('@tensorflow/tfjs');
  let threads = 1;
  let detail = '';
  if (backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    // The .wasm binaries sit next to the bundle in the package's dist/; load them from disk, never the network.
    const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    wasm.setWasmPaths(dist + path.sep);
    wasm.setThreadsCount(1);
    await setBackendOrThrow(tf, backend);
    // tfjs disables its threaded binary under Node (tfjs issue #3830), so this reports what XNNPACK actually got.
    threads = wasm.getThreadsCount();
    detail = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'simd' : 'no-simd';
  } else {
    // tfjs's cpu backend is plain single-threaded JavaScript.
    await setBackendOrThrow(tf, backend);
  }
  return { tf, threads, version: tf.version.tfjs, detail };
}

async function setBackendOrThrow(tf, backend) {
  const ok = await tf.setBackend(backend);
  if (!ok || tf.getBackend() !== backend) {
    throw new Error(`tfjs: backend '${backend}' failed to initialise (active: ${tf.getBackend()})`);
  }
}
