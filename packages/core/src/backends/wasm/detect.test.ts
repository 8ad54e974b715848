import { describe, expect, it } from 'vitest';
import { RELAXED_SIMD_PROBE, SIMD_PROBE, detectWasmVariant } from './detect.js';

/** A fake runtime: which probes validate, and whether enabling relaxed SIMD works. */
function runtime(simd: boolean, relaxed: 'yes' | 'after-flag' | 'no') {
  let flagSet = false;
  let flagCalls = 0;
  const validate = (bytes: Uint8Array): boolean => {
    if (bytes === SIMD_PROBE) return simd;
    if (bytes === RELAXED_SIMD_PROBE) return relaxed === 'yes' || (relaxed === 'after-flag' && flagSet);
    throw new Error('unexpected probe');
  };
  const enable = (): boolean => {
    flagCalls++;
    flagSet = relaxed === 'after-flag';
    return flagSet;
  };
  return { validate, enable, calls: () => flagCalls };
}

describe('wasm feature detection', () => {
  it('builds probes that this runtime validates once relaxed SIMD is enabled, and that a bad opcode breaks', () => {
    expect(WebAssembly.validate(SIMD_PROBE)).toBe(true);
    detectWasmVariant(); // enables the relaxed-SIMD flag where Node needs it
    const hasFlagApi = typeof (process as { getBuiltinModule?: unknown }).getBuiltinModule === 'function';
    if (hasFlagApi) expect(WebAssembly.validate(RELAXED_SIMD_PROBE)).toBe(true);
    const broken = RELAXED_SIMD_PROBE.slice();
    broken[broken.length - 3] = 0xff; // 0xfd 0x1ff is no opcode
    expect(WebAssembly.validate(broken)).toBe(false);
  });

  it('picks relaxed SIMD when it validates, without touching runtime flags', () => {
    const r = runtime(true, 'yes');
    expect(detectWasmVariant(r.validate, r.enable)).toBe('relaxed-simd');
    expect(r.calls()).toBe(0);
  });

  it('enables relaxed SIMD where the runtime needs a flag (Node 20), then re-validates', () => {
    const r = runtime(true, 'after-flag');
    expect(detectWasmVariant(r.validate, r.enable)).toBe('relaxed-simd');
    expect(r.calls()).toBe(1);
  });

  it('falls back to SIMD128 without relaxed SIMD, and to nothing (js) without SIMD', () => {
    const noRelaxed = runtime(true, 'no');
    expect(detectWasmVariant(noRelaxed.validate, noRelaxed.enable)).toBe('simd');
    const noSimd = runtime(false, 'yes');
    expect(detectWasmVariant(noSimd.validate, noSimd.enable)).toBeNull();
    expect(noSimd.calls()).toBe(0);
  });

  it('detects relaxed SIMD on this Node (≥ 20.16 can set the flag at run time)', () => {
    const hasFlagApi = typeof (process as { getBuiltinModule?: unknown }).getBuiltinModule === 'function';
    expect(detectWasmVariant()).toBe(hasFlagApi ? 'relaxed-simd' : 'simd');
  });
});
