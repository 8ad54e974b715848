import { ValueError } from '@elman/core';
import { describe, expect, it } from 'vitest';
import { HELP, runCli } from './cli.js';

describe('playground CLI options', () => {
  it('--help prints the usage and starts nothing', async () => {
    const lines: string[] = [];
    expect(await runCli(['--help'], (l) => lines.push(l))).toEqual({ kind: 'help' });
    expect(lines).toEqual([HELP]);
    expect(HELP).toMatch(/--quick/);
    expect(HELP).toMatch(/--port/);
  });

  it('rejects a bad --port before building anything', async () => {
    const lines: string[] = [];
    await expect(runCli(['--port', 'http'], (l) => lines.push(l))).rejects.toThrow(ValueError);
    await expect(runCli(['--port=-1'], (l) => lines.push(l))).rejects.toThrow(/--port must be an integer >= 0, got '-1'/);
    await expect(runCli(['--port', '70000'], (l) => lines.push(l))).rejects.toThrow('--port must be at most 65535, got 70000');
    await expect(runCli(['--record'], (l) => lines.push(l))).rejects.toThrow('--record needs --quick or --full');
    await expect(runCli(['--quick', '--full'], (l) => lines.push(l))).rejects.toThrow('choose one of --quick and --full');
    expect(lines).toEqual([]);
  });
});
