import { join } from 'node:path';
import { build } from 'vite';
import { APP_ROOT, playgroundViteConfig } from './vite-config.js';

/** Where the page is built by default: `apps/playground/dist/web`. */
export const DEFAULT_SITE_DIR = join(APP_ROOT, 'dist', 'web');

/** Builds the page with Vite's API into `outDir`; resolves to the build time in seconds. */
export async function buildSite(outDir: string = DEFAULT_SITE_DIR): Promise<number> {
  const started = performance.now();
  await build(playgroundViteConfig(outDir));
  return (performance.now() - started) / 1000;
}
