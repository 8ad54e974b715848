// `pnpm --filter @elman/demo-playground dev`: the Vite dev server with the configuration the build uses.
import { join } from 'node:path';
import { APP_ROOT, playgroundViteConfig } from './src/node/vite-config.js';

export default playgroundViteConfig(join(APP_ROOT, 'dist', 'web'));
