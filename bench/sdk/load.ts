/**
 * Load on loopback: `concurrency` keep-alive connections posting the given deliveries, each
 * once, as fast as the receiver answers. Every answer must be a 200, or the round fails.
 */
import { Agent, request } from 'node:http';
import type { Delivery } from './deliveries';

const post = (agent: Agent, port: number, delivery: Delivery): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent,
        headers: { ...delivery.headers, 'Content-Length': String(delivery.body.length) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on('error', reject);
    req.end(delivery.body);
  });

/** Sends every delivery once; the requests per second. */
export const load = async (
  port: number,
  deliveries: readonly Delivery[],
  concurrency: number,
): Promise<number> => {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const began = process.hrtime.bigint();
  const worker = async () => {
    for (let delivery = deliveries[next++]; delivery; delivery = deliveries[next++]) {
      const status = await post(agent, port, delivery);
      if (status !== 200) throw new Error(`a delivery was answered ${String(status)}, not 200`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  agent.destroy();
  return deliveries.length / seconds;
};
