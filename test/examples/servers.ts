/**
 * The examples (examples/) as their users run them: copied into a clean project beside a fresh
 * build of the package, with the frameworks they use, and started with `node` as separate
 * processes (PORT=0, the port read from their "listening" line). The Next.js route handler is
 * served through the node:http → Request bridge (Next.js is not installed here), node running
 * the TypeScript as it is. Each has the shape of servers.ts's frameworks; what it handled is read
 * from the "(event <id>)" of its log lines.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageProject } from '../sdk/build';
import { ROOT } from '../sdk/helpers';
import { listening } from '../sdk/frameworks/process';
import { FRAMEWORK_SECRET, type FrameworkServer, type Started } from '../sdk/frameworks/servers';

const FRAMEWORKS = ['express', 'hono', '@hono/node-server'];

/** Node runs the TypeScript of the route and the bridge as ES modules, without a word. */
const NODE_FLAGS = ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'];

/**
 * A module serving the Next.js route module `route` at /api/isao on PORT through the node:http →
 * Request bridge, as Next.js would serve app/api/isao/route.*; it prints where it listens.
 */
export const routeServer = (route: string): string => `
import { serveFetch } from ${JSON.stringify(join(ROOT, 'test', 'sdk', 'frameworks', 'bridge.ts'))};
import { POST } from ${JSON.stringify(route)};
const notFound = () => Promise.resolve(new Response(null, { status: 404 }));
const { url } = await serveFetch(
  (request) => (new URL(request.url).pathname === '/api/isao' ? POST(request) : notFound()),
  Number(process.env.PORT),
);
console.log('Webhook server listening on port ' + new URL(url).port);
`;

let project: { dir: string; remove: () => void } | undefined;

/** The project the examples run in, made at the first start. */
const projectDir = (): string => {
  if (project) return project.dir;
  project = packageProject(FRAMEWORKS);
  cpSync(join(ROOT, 'examples'), project.dir, { recursive: true });
  cpSync(join(__dirname, 'guide-sample.js'), join(project.dir, 'guide-sample.js'));
  writeFileSync(join(project.dir, 'nextjs', 'serve.mjs'), routeServer('./app/api/isao/route.ts'));
  return project.dir;
};

/** Removes the examples' project (call it in afterAll). */
export const removeExamples = (): void => {
  project?.remove();
  project = undefined;
};

/** Writes `code` as `file` in the project and runs it with node: what it prints. */
export const runInProject = (file: string, code: string, secret = FRAMEWORK_SECRET): string => {
  const cwd = projectDir();
  writeFileSync(join(cwd, file), code);
  return execFileSync(process.execPath, [...NODE_FLAGS, file], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ISAO_WEBHOOK_SECRET: secret },
  });
};

/** Starts `node file` in the project; its URL once it says where it listens. */
export const startNode = (
  file: string,
  path: string,
  { secret = FRAMEWORK_SECRET } = {},
): Promise<Started & { output: () => string }> => {
  const child = spawn(process.execPath, ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', file], {
    cwd: projectDir(),
    env: { ...process.env, PORT: '0', ISAO_WEBHOOK_SECRET: secret },
  });
  return listening(child, file, path);
};

/** The examples, started as their users start them (ISAO's retries cannot be forced here). */
export const EXAMPLES: readonly FrameworkServer[] = [
  { name: 'examples/express', file: 'express/server.mjs', path: '/webhook/isao' },
  { name: 'examples/hono', file: 'hono/server.mjs', path: '/webhook/isao' },
  { name: 'examples/nextjs (route handler)', file: 'nextjs/serve.mjs', path: '/api/isao' },
].map(({ name, file, path }) => ({
  name,
  start: ({ secret, failures = 0 } = {}) => {
    if (failures > 0)
      throw new Error(`${name} cannot be made to fail: its handlers are the example's.`);
    return startNode(file, path, { secret });
  },
}));
