// The app definition's platform settings (src/index.ts). `flags` is a deliberate setting with no
// behaviour a unit test can observe (core only skips patching node's http), so it is pinned
// here; it is read once when the module loads, so `npm run mutate` (ignoreStatic) does not
// count its mutants, but a change to it fails this test.
import App from '../src';

test("core's http patch is off: it would add a log upload for z.cache's RPC call on every event", () => {
  // every request the app makes goes through z.request, which core logs on its own
  expect(App.flags).toEqual({ skipHttpPatch: true });
});
