#!/usr/bin/env node
import { runCli } from './cli.js';

try {
  const outcome = await runCli(process.argv.slice(2));
  if (outcome.kind === 'serve') {
    const stop = () => void outcome.server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  // Bad options and a failed check are the user's to read: print the message, not a stack trace.
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
