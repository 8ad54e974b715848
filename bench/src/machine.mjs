import os from 'node:os';

/**
 * The fields every result line carries about where and when it was measured.
 *
 * `load1` (the 1-minute load average when the case started) flags figures taken while other work shared the cores.
 *
 * @returns {{date: string, machine: string, cores: number, node: string, load1: number}}
 */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    machine: `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores`,
    cores: cpus.length,
    node: process.version,
    load1: Number(os.loadavg()[0].toFixed(2)),
  };
}
