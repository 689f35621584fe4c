/**
 * The two measurements: verify + parse per delivery, in this process, contenders interleaved
 * in a balanced order (bench/order.ts); and requests per second through each receiver on
 * loopback, the two servers in a child process, alternating each round.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { balancedOrder } from '../order';
import { summarise, type Summary } from '../report';
import { CONTENDERS, type ContenderName } from './contenders';
import { delivery, type Delivery } from './deliveries';
import { load } from './load';

export const CONTENDER_NAMES = [
  'ours',
  'floor',
  'standardwebhooks',
  'svix',
] as const satisfies readonly ContenderName[];

/** Microseconds per delivery for each contender: `rounds` rounds of `ops` deliveries each. */
export const perDelivery = (
  bytes: number,
  { rounds, ops }: { rounds: number; ops: number },
): Record<ContenderName, Summary> => {
  const pool = Array.from({ length: 100 }, () => delivery(bytes));
  const samples = new Map<ContenderName, number[]>(CONTENDER_NAMES.map((name) => [name, []]));
  const passes = Math.max(1, Math.round(ops / pool.length));
  let kept = 0;
  const run = (name: ContenderName): number => {
    const contender = CONTENDERS[name];
    const began = process.hrtime.bigint();
    for (let pass = 0; pass < passes; pass += 1) {
      for (const sent of pool) if (contender(sent) !== undefined) kept += 1;
    }
    return Number(process.hrtime.bigint() - began) / 1e3 / (passes * pool.length);
  };
  for (const name of CONTENDER_NAMES) run(name); // warm-up, not counted
  for (let round = 0; round < rounds; round += 1) {
    for (const name of balancedOrder(CONTENDER_NAMES, round)) samples.get(name)?.push(run(name));
  }
  if (kept === 0) throw new Error('no contender returned anything');
  const of = (name: ContenderName) => summarise(samples.get(name) ?? []);
  return {
    ours: of('ours'),
    floor: of('floor'),
    standardwebhooks: of('standardwebhooks'),
    svix: of('svix'),
  };
};

export interface Throughput {
  ours: Summary;
  bare: Summary;
  /** Each round's bare rps over ours (the time per request, ours over bare). */
  paired: Summary;
  /** The servers' CPU time per request (µs), and each round's ours over bare. */
  cpu: { ours: Summary; bare: Summary; paired: Summary };
}

/** The servers' process's CPU time so far (µs), as the server on `port` answers a GET. */
const cpuTime = async (port: number): Promise<number> =>
  Number(await (await fetch(`http://127.0.0.1:${String(port)}/`)).text());

const fresh = (count: number, bytes: number): Delivery[] =>
  Array.from({ length: count }, () => delivery(bytes));

/** Requests per second through each receiver, alternating, `rounds` rounds of `requests`. */
export const throughput = async (
  bytes: number,
  { rounds, requests, concurrency }: { rounds: number; requests: number; concurrency: number },
): Promise<Throughput> => {
  const child = spawn(process.execPath, [path.join(__dirname, 'servers.js')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', () => {
        reject(new Error('the servers exited before they listened'));
      });
    });
    const ports: unknown = JSON.parse(line);
    if (typeof ports !== 'object' || ports === null || !('ours' in ports) || !('bare' in ports)) {
      throw new Error(`the servers printed ${line}`);
    }
    const port = { ours: Number(ports.ours), bare: Number(ports.bare) };
    await load(port.ours, fresh(requests / 4, bytes), concurrency); // warm-up
    await load(port.bare, fresh(requests / 4, bytes), concurrency);
    const ours: number[] = [];
    const bare: number[] = [];
    const paired: number[] = [];
    const cpu: Record<'ours' | 'bare' | 'paired', number[]> = { ours: [], bare: [], paired: [] };
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
      const rps = { ours: 0, bare: 0 };
      const used = { ours: 0, bare: 0 };
      for (const name of order) {
        const before = await cpuTime(port[name]);
        rps[name] = await load(port[name], fresh(requests, bytes), concurrency);
        used[name] = ((await cpuTime(port[name])) - before) / requests;
      }
      ours.push(rps.ours);
      bare.push(rps.bare);
      paired.push(rps.bare / rps.ours);
      cpu.ours.push(used.ours);
      cpu.bare.push(used.bare);
      cpu.paired.push(used.ours / used.bare);
    }
    return {
      ours: summarise(ours),
      bare: summarise(bare),
      paired: summarise(paired),
      cpu: { ours: summarise(cpu.ours), bare: summarise(cpu.bare), paired: summarise(cpu.paired) },
    };
  } finally {
    child.stdin.end();
  }
};
