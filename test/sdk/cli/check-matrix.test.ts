/**
 * `isao check` grades every receiver the package is proven on: each framework of the matrix
 * (test/sdk/frameworks/servers.ts) and each example (examples/, run as its users run it) passes
 * all eight lines and exits 0, and the events it ran are each run once.
 */
import { FRAMEWORKS, FRAMEWORK_SECRET, type FrameworkServer } from '../frameworks/servers';
import { EXAMPLES, removeExamples } from '../../examples/servers';
import { outputIn } from '../frameworks/process';
import { isao } from './run';

// each check takes seconds by design (a stale event, slow chunks), and the examples' first start
// builds the package
jest.setTimeout(120_000);

afterAll(() => {
  removeExamples();
});

/** Checks one receiver; its report and what it ran. */
const graded = async (server: FrameworkServer) => {
  const started = await server.start();
  try {
    const ran = await isao(['check', started.url, '--secret', FRAMEWORK_SECRET, '--json']);
    const report: unknown = JSON.parse(ran.stdout);
    await outputIn();
    return { code: ran.code, report, handled: [...started.handled] };
  } finally {
    await started.close();
  }
};

describe.each([...FRAMEWORKS, ...EXAMPLES].map((server) => [server.name, server] as const))(
  'isao check on %s',
  (_name, server) => {
    it('passes every line, each event run once', async () => {
      const { code, report, handled } = await graded(server);
      expect(report).toMatchObject({ passed: true });
      expect(code).toBe(0);
      // the valid event, the burst of five, emoji, pretty-printed and slow: five events
      expect(handled).toHaveLength(5);
      expect(new Set(handled).size).toBe(5);
    });
  },
);
