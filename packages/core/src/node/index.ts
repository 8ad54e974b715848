/**
 * @elman/core/node: file helpers that need `node:` modules (safetensors files, atomic writes).
 * @packageDocumentation
 */
export { writeFileAtomic } from './atomic-write.js';
export { saveSafetensorsFile, loadSafetensorsFile } from './safetensors-file.js';
export { saveModel, loadModel, type StateDictModule } from './model-file.js';
