/** The machine a run is on, and each run's ratios kept in bench/.work/history.jsonl. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WORK } from './children';

export const machine = () => {
  const release = fs.existsSync('/etc/os-release')
    ? fs.readFileSync('/etc/os-release', 'utf8')
    : '';
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1];
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${pretty ?? os.type()}, ${os.platform()} ${os.release()} ${os.arch()}`,
  };
};

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

export interface HistoryEntry {
  /** 2: per-event ratios against the no-op on our definition, bare installed on its own. */
  bench?: number;
  date: string;
  machine: string;
  load: string;
  cold: number;
  coldPaired: number;
  coldNoId: number;
  /** cold start without eventId over the no-op app on our definition (runs since it exists) */
  coldNoIdNoop?: number;
  perEvent: Record<string, number>;
  zipDelta: number;
}

/**
 * Appends a run to a history file (one JSON line each); returns the latest runs on the same
 * machine that `comparable` keeps.
 */
export const recentRuns = <T extends { machine: string }>(
  file: string,
  entry: T,
  comparable: (run: T) => boolean = () => true,
): T[] => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T)
    .filter((e) => e.machine === entry.machine && comparable(e))
    .slice(-6);
};

/** Appends this run to bench/.work/history.jsonl; returns the latest runs on this machine. */
export const history = (entry: HistoryEntry): HistoryEntry[] =>
  recentRuns(path.join(WORK, 'history.jsonl'), entry, (e) => e.bench === 2);
