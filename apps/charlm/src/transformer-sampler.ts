import type { CausalLM } from '@elman/transformer';

/**
 * Continues `prompt` by `length` characters with a transformer whose context is `context` characters: each call to
 * `generate` (KV cache) starts from the last half-context of what exists so far and fills the rest of the window, so
 * samples can be longer than the context. Returns the new ids only.
 */
export function sampleTransformer(
  lm: CausalLM,
  prompt: ArrayLike<number>,
  length: number,
  context: number,
  temperature: number,
  seed: number,
): Int32Array {
  const ids = Array.from(prompt);
  const keep = Math.max(1, Math.floor(context / 2));
  for (let chunk = 0; ids.length - prompt.length < length; chunk++) {
    const start = ids.slice(-Math.min(keep, ids.length));
    const want = Math.min(context - start.length, length - (ids.length - prompt.length));
    const out = lm.generate([start], { maxNewTokens: want, temperature, seed: seed + chunk }); // [1, P + want]
    ids.push(...out.data.subarray(start.length));
  }
  return Int32Array.from(ids.slice(prompt.length));
}
