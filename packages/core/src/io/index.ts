/** safetensors serialization (browser-safe: no `node:` imports). */
export { saveSafetensors } from './save-safetensors.js';
export { loadSafetensors } from './load-safetensors.js';
export type { SafetensorsContents } from './safetensors-format.js';
