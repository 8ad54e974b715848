#!/usr/bin/env node
import { ready } from '@elman/core';
import { runCli } from './cli.js';

await ready();

try {
  await runCli(process.argv.slice(2));
} catch (error) {
  // Bad options are the user's to fix: print the message, not a stack trace.
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
