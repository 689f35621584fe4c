/**
 * A receiver run as its own process (an example under node, a Python server): it is ready once
 * it prints "listening on port N", and prints "(event <id>)" at the end of a line for each event
 * it ran. Gives the shape of servers.ts's receivers, so every test runs it as it runs them.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Started } from './servers';

/** The process's URL at `path` once it listens; rejects when it exits before (with its stderr). */
export const listening = (
  child: ChildProcessWithoutNullStreams,
  name: string,
  path: string,
): Promise<Started & { output: () => string }> => {
  let out = '';
  let err = '';
  const handled: string[] = [];
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      handled.splice(
        0,
        handled.length,
        ...[...out.matchAll(/\(event (\S+)\)$/gm)].map(([, id = '']) => id),
      );
      const port = /listening on port (\d+)/.exec(out)?.[1];
      if (port === undefined) return;
      resolve({
        url: `http://127.0.0.1:${port}${path}`,
        handled,
        output: () => out,
        close: () =>
          new Promise((closed) => {
            child.once('exit', () => {
              closed();
            });
            child.kill();
          }),
      });
    });
    child.once('exit', (code) => {
      reject(new Error(`${name} exited (${String(code)}) before listening: ${err}`));
    });
  });
};

/**
 * Lets the process's output in: its lines come through a pipe that the test may read after the
 * HTTP answer that followed them (the handlers print before the answer is sent, so the lines are
 * in the pipe already; a few passes of node's event loop bring them in). Call it before reading
 * `handled` or `output()` after a request.
 */
export const outputIn = (): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, 50);
  });
