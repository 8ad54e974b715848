import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { loadSafetensors, saveSafetensors } from '../io/index.js';
import { type AtomicFileHandle, type AtomicFs, writeFileAtomic, writeFileAtomicWith } from './atomic-write.js';

let dir: string;
let target: string;
const oldFile = saveSafetensors({ w: tensor([1, 2, 3]) }, { version: 'old' });
const newFile = saveSafetensors({ w: tensor([4, 5, 6, 7]) }, { version: 'new' });

beforeEach(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'elman-atomic-'));
  target = join(dir, 'model.safetensors');
});

afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** The real file system with one operation replaced. */
function withFs(patch: Partial<AtomicFs>): AtomicFs {
  return { open: fsp.open, rename: fsp.rename, unlink: fsp.unlink, ...patch };
}

/** Opens real files but hands back handles whose methods can be replaced. */
function withHandle(patch: (real: fsp.FileHandle) => Partial<AtomicFileHandle>): AtomicFs {
  return withFs({
    open: async (path, flags, mode) => {
      const real = await fsp.open(path, flags, mode);
      return {
        writeFile: (d) => real.writeFile(d),
        sync: () => real.sync(),
        close: () => real.close(),
        ...patch(real),
      };
    },
  });
}

async function expectOldFileIntactAndNoTemp(): Promise<void> {
  expect(await fsp.readdir(dir)).toEqual(['model.safetensors']);
  const bytes = await fsp.readFile(target);
  expect(loadSafetensors(bytes).metadata).toEqual({ version: 'old' });
}

describe('writeFileAtomic', () => {
  it('creates and then replaces a file, leaving no temporary files', async () => {
    await writeFileAtomic(target, oldFile);
    expect(new Uint8Array(await fsp.readFile(target))).toEqual(oldFile);
    await writeFileAtomic(target, newFile);
    expect(new Uint8Array(await fsp.readFile(target))).toEqual(newFile);
    expect(await fsp.readdir(dir)).toEqual(['model.safetensors']);
  });

  it('keeps the old file when the rename fails', async () => {
    await writeFileAtomic(target, oldFile);
    const fs = withFs({
      rename: () => Promise.reject(Object.assign(new Error('EIO: simulated rename failure'), { code: 'EIO' })),
    });
    await expect(writeFileAtomicWith(fs, target, newFile)).rejects.toThrow(/simulated rename failure/);
    await expectOldFileIntactAndNoTemp();
  });

  it('keeps the old file when the write dies half way', async () => {
    await writeFileAtomic(target, oldFile);
    let written = 0;
    const fs = withHandle((real) => ({
      writeFile: async (d) => {
        await real.writeFile(d.subarray(0, d.length >> 1));
        written = (await real.stat()).size;
        throw Object.assign(new Error('ENOSPC: simulated full disk'), { code: 'ENOSPC' });
      },
    }));
    await expect(writeFileAtomicWith(fs, target, newFile)).rejects.toThrow(/simulated full disk/);
    expect(written).toBe(newFile.length >> 1);
    await expectOldFileIntactAndNoTemp();
  });

  it('keeps the old file when fsync fails', async () => {
    await writeFileAtomic(target, oldFile);
    const fs = withHandle(() => ({ sync: () => Promise.reject(new Error('EIO: simulated fsync failure')) }));
    await expect(writeFileAtomicWith(fs, target, newFile)).rejects.toThrow(/simulated fsync failure/);
    await expectOldFileIntactAndNoTemp();
  });

  it('never removes a file it did not create', async () => {
    await writeFileAtomic(target, oldFile);
    const unlinked: string[] = [];
    const fs = withFs({
      open: () => Promise.reject(Object.assign(new Error('EEXIST: simulated name clash'), { code: 'EEXIST' })),
      unlink: async (p) => {
        unlinked.push(p);
      },
    });
    await expect(writeFileAtomicWith(fs, target, newFile)).rejects.toThrow(/simulated name clash/);
    expect(unlinked).toEqual([]);
    await expectOldFileIntactAndNoTemp();
  });

  it('succeeds when the directory cannot be fsynced (as on Windows)', async () => {
    const fs = withFs({
      open: (path, flags, mode) =>
        path === dir ? Promise.reject(Object.assign(new Error('EISDIR'), { code: 'EISDIR' })) : fsp.open(path, flags, mode),
    });
    await writeFileAtomicWith(fs, target, newFile);
    expect(new Uint8Array(await fsp.readFile(target))).toEqual(newFile);
  });

  it('rejects when the directory does not exist, creating nothing', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'x.safetensors'), newFile)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fsp.readdir(dir)).toEqual([]);
  });
});
