import { renameSync, writeFileSync } from 'node:fs';

/**
 * Writes `text` to `file` through a temp file in the same directory and a rename, so readers (and a crash
 * mid-write) see either the old file or the new one, never a truncated mix.
 *
 * @param {string} file
 * @param {string} text
 */
export function writeFileAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
