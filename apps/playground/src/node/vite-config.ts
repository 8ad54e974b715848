import { fileURLToPath } from 'node:url';
import { type InlineConfig, type Plugin, defaultClientConditions } from 'vite';
import { loadPlaygroundData } from './data.js';

/** The app's folder (where index.html is), from src/node or dist/node. */
export const APP_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const VIRTUAL_ID = 'virtual:playground-data';

/** Serves `virtual:playground-data`: the datasets extracted from node_modules once per build. */
export function playgroundDataPlugin(): Plugin {
  const resolved = `\0${VIRTUAL_ID}`;
  return {
    name: 'elman-playground-data',
    resolveId: (id) => (id === VIRTUAL_ID ? resolved : null),
    load: (id) => (id === resolved ? `export default ${JSON.stringify(loadPlaygroundData())};` : null),
  };
}

/**
 * The Vite configuration of the playground: module worker, data plugin, and the workspace packages taken from their
 * TypeScript sources (the `@elman/source` condition, as in the tests) so the page never runs stale builds.
 */
export function playgroundViteConfig(outDir: string): InlineConfig {
  return {
    root: APP_ROOT,
    configFile: false,
    logLevel: 'warn',
    base: './',
    plugins: [playgroundDataPlugin()],
    resolve: { conditions: ['@elman/source', ...defaultClientConditions] },
    worker: { format: 'es', plugins: () => [playgroundDataPlugin()] },
    build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  };
}
