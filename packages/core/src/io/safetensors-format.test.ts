import { describe, expect, it } from 'vitest';
import { compareCodePoints, swapBytes32 } from './safetensors-format.js';

describe('safetensors byte helpers', () => {
  it('swapBytes32 reverses each 4-byte word (the big-endian host path)', () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    swapBytes32(bytes);
    expect([...bytes]).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
    const f = new DataView(new ArrayBuffer(4));
    f.setFloat32(0, -1.5, false);
    const be = new Uint8Array(f.buffer);
    swapBytes32(be);
    expect(new DataView(be.buffer).getFloat32(0, true)).toBe(-1.5);
  });

  it('compareCodePoints orders like UTF-8 bytes, unlike UTF-16 code units', () => {
    const names = ['z😀', 'zﬁ', 'za', 'z', 'Z', 'é', '\u{10FFFF}', '\uFFFF'];
    const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
    expect([...names].sort(compareCodePoints)).toEqual([...names].sort(byBytes));
    expect([...names].sort()).not.toEqual([...names].sort(byBytes));
    expect(compareCodePoints('ab', 'ab')).toBe(0);
  });
});
