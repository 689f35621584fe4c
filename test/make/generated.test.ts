/**
 * The committed Make app is what the generator writes from the core today: a change to an event,
 * a field, a sample, an input or a message that was not followed by `npm run make:build` fails
 * here, naming the files that differ.
 */
import { APP_DIR, filesIn, generatedFiles } from '../../make/generate';

test('make/app/ is current: `npm run make:build` would write exactly these files', () => {
  const committed = filesIn(APP_DIR);
  const generated = generatedFiles();
  const differing = [...new Set([...committed.keys(), ...generated.keys()])].filter(
    (name) => committed.get(name) !== generated.get(name),
  );
  expect({
    differing,
    fix: differing.length ? 'run npm run make:build and commit make/app/' : 'none',
  }).toEqual({
    differing: [],
    fix: 'none',
  });
});
