let enabled = true;

/** True while operations are being recorded on the autograd tape. */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` without recording on the tape (inference, optimizer steps, backward itself).
 *
 * @example
 * ```ts run
 * import { Linear, noGrad, randn } from '@elman/core';
 *
 * const model = new Linear(16, 4);
 * const y = noGrad(() => model.forward(randn([8, 16]))); // inference: no tape is recorded
 * console.log(y.requiresGrad); // false
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/** Runs `fn` with recording switched on, even inside {@link noGrad}. */
export function enableGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}
