import { BackendError } from '../errors.js';
import type { Backend } from './backend.js';
import { createJsBackend } from './js/index.js';
import { createWasmBackend } from './wasm/index.js';

/** Creates a backend; async so that WebAssembly backends can compile their modules. */
export type BackendFactory = () => Backend | Promise<Backend>;

interface Entry {
  factory: BackendFactory;
  priority: number;
  instance: Backend | null;
  failed: unknown;
}

const entries = new Map<string, Entry>();
let current: Backend | null = null;
let initialising: Promise<void> | null = null;

/**
 * Registers a backend. The highest-priority backend that initialises becomes the default after {@link ready}.
 * Registering a name twice replaces the earlier factory.
 */
export function registerBackend(name: string, factory: BackendFactory, priority = 0): void {
  entries.set(name, { factory, priority, instance: null, failed: undefined });
  initialising = null;
}

/** Names of the registered backends, highest priority first. */
export function listBackends(): string[] {
  return [...entries.entries()].sort((a, b) => b[1].priority - a[1].priority).map(([n]) => n);
}

async function instantiate(name: string): Promise<Backend> {
  const entry = entries.get(name);
  if (!entry) {
    throw new BackendError(`setBackend: unknown backend '${name}'; registered: ${listBackends().join(', ') || 'none'}`);
  }
  if (entry.instance) return entry.instance;
  try {
    entry.instance = await entry.factory();
    return entry.instance;
  } catch (err) {
    entry.failed = err;
    throw new BackendError(`setBackend: backend '${name}' failed to initialise: ${String(err)}`, { cause: err });
  }
}

/**
 * Switches the active backend; resolves once it is initialised. Throws `BackendError` for unknown names.
 *
 * @example
 * ```ts run
 * import { getBackend, listBackends, ready, setBackend } from '@elman/core';
 *
 * await ready(); // the default: wasm SIMD where WebAssembly SIMD validates, else js
 * console.log(getBackend().name, listBackends()); // e.g. 'wasm' ['wasm', 'js']
 * await setBackend('js'); // the readable reference kernels, e.g. to compare results
 * console.log(getBackend().name); // 'js'
 * ```
 */
export async function setBackend(name: string): Promise<void> {
  current = await instantiate(name);
}

/** Switches to a backend that is already initialised (synchronous; used by tests and benchmarks). */
export function setBackendSync(name: string): void {
  const entry = entries.get(name);
  if (!entry) {
    throw new BackendError(`setBackend: unknown backend '${name}'; registered: ${listBackends().join(', ') || 'none'}`);
  }
  if (!entry.instance) {
    const made = entry.factory();
    if (made instanceof Promise) {
      throw new BackendError(`setBackend: backend '${name}' is asynchronous; await setBackend('${name}') or ready()`);
    }
    entry.instance = made;
  }
  current = entry.instance;
}

/** The active backend. Before {@link ready} resolves this is the always-available `js` backend. */
export function getBackend(): Backend {
  if (current) return current;
  setBackendSync('js');
  return current as unknown as Backend;
}

/**
 * Resolves when the default backend (the highest-priority one that initialises) is active.
 * Backends that fail to initialise are skipped; `js` always works.
 *
 * @example
 * ```ts run
 * import { ready, randn } from '@elman/core';
 *
 * await ready(); // before this, ops run on the js backend
 * const y = randn([64, 128]).matmul(randn([128, 32])); // [64, 32], on the fastest backend
 * console.log(y.shape);
 * ```
 */
export function ready(): Promise<void> {
  if (!initialising) {
    initialising = (async () => {
      for (const name of listBackends()) {
        try {
          current = await instantiate(name);
          return;
        } catch {
          // fall through to the next backend by priority
        }
      }
    })();
  }
  return initialising;
}

// The pure-TypeScript reference backend is always present, at the lowest priority.
registerBackend('js', createJsBackend, 0);
// WebAssembly SIMD kernels: the default wherever SIMD validates; where it does not, the factory rejects and
// ready() keeps js.
registerBackend('wasm', () => createWasmBackend(), 10);
