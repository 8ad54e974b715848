import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '../errors.js';
import { getBackend, listBackends, setBackend } from '../backends/registry.js';
import { testBackends, useBackend } from './backends.js';

describe('testBackends / useBackend', () => {
  const saved = process.env.ELMAN_BACKENDS;
  afterEach(() => {
    if (saved === undefined) delete process.env.ELMAN_BACKENDS;
    else process.env.ELMAN_BACKENDS = saved;
  });

  it('lists every registered backend, js always among them', () => {
    delete process.env.ELMAN_BACKENDS;
    expect(testBackends()).toEqual(listBackends());
    expect(testBackends()).toContain('js');
  });

  it('restricts the list with ELMAN_BACKENDS', () => {
    process.env.ELMAN_BACKENDS = 'js,nonexistent';
    expect(testBackends()).toEqual(['js']);
  });

  it('activates a backend, and rejects an unknown one with a BackendError naming it', async () => {
    await useBackend('js');
    expect(getBackend().name).toBe('js');
    await expect(setBackend('nope')).rejects.toThrow(BackendError);
    await expect(setBackend('nope')).rejects.toThrow(/^setBackend: unknown backend 'nope'; registered: .*js/);
    await expect(useBackend('nope')).rejects.toThrow(BackendError);
    expect(getBackend().name).toBe('js');
  });
});
