// The app definition's platform settings (src/index.ts).
import App from '../src';

test("core's http patch is off: it would add a log upload for z.cache's RPC call on every event", () => {
  // every request the app makes goes through z.request, which core logs on its own
  expect(App.flags).toEqual({ skipHttpPatch: true });
});
