/**
 * Python receivers as separate `/usr/bin/python3` processes on 127.0.0.1 (Debian's interpreter:
 * it sees Debian's Flask, FastAPI, uvicorn and Django; the `python3` first on PATH may be another
 * that does not), with the package from python/ on PYTHONPATH. Each prints "listening on port N"
 * when it accepts requests and "(event <id>)" for each event it ran; a start gives the shape of
 * test/sdk/frameworks/servers.ts's receivers, so the same deliveries and `isao check` run on them.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../sdk/helpers';
import { listening } from '../sdk/frameworks/process';
import { FRAMEWORK_SECRET, type FrameworkServer, type Started } from '../sdk/frameworks/servers';

export const PYTHON = '/usr/bin/python3';

/** Runs `python3 script args…` until it says where it listens; its URL at `path`. */
export const startPython = (
  script: string,
  args: readonly string[],
  path: string,
  env: Record<string, string> = {},
): Promise<Started & { output: () => string }> => {
  const child = spawn(PYTHON, ['-u', script, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      PYTHONPATH: join(ROOT, 'python'),
      PYTHONDONTWRITEBYTECODE: '1',
      ISAO_WEBHOOK_SECRET: FRAMEWORK_SECRET,
      PORT: '0',
      ...env,
    },
  });
  return listening(child, script, path);
};

const SERVE = join(__dirname, 'serve.py');

/** Flask (werkzeug), FastAPI (uvicorn) and Django, with the package's helpers. */
export const PYTHON_FRAMEWORKS: readonly FrameworkServer[] = [
  ['Flask on werkzeug', 'flask'],
  ['FastAPI under uvicorn', 'fastapi'],
  ['Django (its threaded server)', 'django'],
].map(([name = '', framework = '']) => ({
  name,
  start: ({ secret = FRAMEWORK_SECRET, failures = 0 } = {}) =>
    startPython(SERVE, [framework], '/webhooks/isao', {
      ISAO_WEBHOOK_SECRET: secret,
      FAILURES: String(failures),
    }),
}));

/** The Python examples, run as their users run them (their handlers cannot be made to fail). */
export const PYTHON_EXAMPLES: readonly FrameworkServer[] = [
  ['examples/flask', join(ROOT, 'examples', 'flask', 'app.py'), '/webhook/isao'],
  ['examples/fastapi', join(ROOT, 'examples', 'fastapi', 'app.py'), '/webhook/isao'],
  ['examples/django', join(ROOT, 'examples', 'django', 'app.py'), '/webhook/isao'],
].map(([name = '', script = '', path = '']) => ({
  name,
  start: ({ secret = FRAMEWORK_SECRET, failures = 0 } = {}) => {
    if (failures > 0)
      throw new Error(`${name} cannot be made to fail: its handlers are the example's.`);
    return startPython(script, [], path, { ISAO_WEBHOOK_SECRET: secret });
  },
}));
