let enabled = true;

/** True while operations are being recorded on the autograd tape. */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` without recording on the tape (inference, optimizer steps, backward itself). */
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
