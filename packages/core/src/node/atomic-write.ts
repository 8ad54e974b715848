import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file handle operations an atomic write needs (a subset of `FileHandle`). */
export interface AtomicFileHandle {
  /** Writes all of `data`. */
  writeFile(data: Uint8Array): Promise<void>;
  /** Flushes the file's data and metadata to the device. */
  sync(): Promise<void>;
  /** Closes the handle. */
  close(): Promise<void>;
}

/** The file-system operations an atomic write needs (a subset of `node:fs/promises`), injectable for tests. */
export interface AtomicFs {
  /** Opens a file. */
  open(path: string, flags: string, mode?: number): Promise<AtomicFileHandle>;
  /** Renames `from` over `to`, atomically on POSIX file systems. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file. */
  unlink(path: string): Promise<void>;
}

/**
 * Writes `data` to `path` so that readers (and a crash) see either the old file or the complete new one, never a
 * mix: the bytes go to a temporary file in the same directory, which is fsynced and renamed over the target, then
 * the directory is fsynced where the platform supports it. On any error the temporary file is removed and the old
 * file is left intact.
 *
 * @example
 * ```ts run
 * import { randn, saveSafetensors } from '@elman/core';
 * import { writeFileAtomic } from '@elman/core/node';
 *
 * // A crash mid-write leaves the previous file intact: readers see the old or the new contents, never half of one.
 * await writeFileAtomic('weights.safetensors', saveSafetensors({ w: randn([4, 4]) }));
 * ```
 *
 * @param path - Destination file; its directory must exist.
 * @param data - The complete new contents.
 */
export function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  return writeFileAtomicWith(fsp, path, data);
}

/** @internal {@link writeFileAtomic} over an injected file system (tests simulate failures with it). */
export async function writeFileAtomicWith(fs: AtomicFs, path: string, data: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: AtomicFileHandle | undefined;
  let created = false;
  try {
    // 'wx' fails rather than truncating a file that happens to have the temporary name.
    handle = await fs.open(temp, 'wx', 0o666);
    created = true;
    await handle.writeFile(data);
    await handle.sync();
    const h = handle;
    handle = undefined;
    await h.close();
    await fs.rename(temp, path);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    if (created) await fs.unlink(temp).catch(() => undefined);
    throw err;
  }
  await syncDirectory(fs, dir);
}

/** Makes the rename durable. Some platforms (Windows) cannot open or fsync a directory; the write has succeeded anyway. */
async function syncDirectory(fs: AtomicFs, dir: string): Promise<void> {
  let handle: AtomicFileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Unsupported here; the renamed file is complete, only its durability across a power loss is not guaranteed.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
