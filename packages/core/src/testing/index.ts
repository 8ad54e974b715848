/**
 * Test helpers for Elman and for users writing their own ops: finite-difference gradient checks and the list of
 * backends every suite runs against.
 * @packageDocumentation
 */
export { gradcheck, assertGradcheck, type GradcheckOptions, type GradcheckResult, type GradcheckMismatch } from './gradcheck.js';
export { testBackends, useBackend } from './backends.js';
