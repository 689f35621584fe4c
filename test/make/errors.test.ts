/**
 * The generator's reading of the core's messages (make/errors.ts): a message is split around the
 * API's words, and a core that words them otherwise, or no longer words a status at all, stops
 * the generator with a sentence instead of a Make app with wrong messages. What the generated
 * messages say on real answers is in error-answers.test.ts.
 */
import { partsOf, wordedFailure } from '../../make/errors';

/** A core message: `with` around the words when there are some, `without` when there are none. */
const message =
  (withWords: (words: string) => string, without: string) => (body: Record<string, unknown>) =>
    typeof body.message === 'string' ? withWords(body.message) : without;

test('a message is split around the words, wherever they are', () => {
  expect(partsOf(message((w) => `ISAO refused (400: ${w}).`, 'ISAO refused (400).'))).toEqual({
    before: 'ISAO refused (400',
    none: '',
    after: ').',
  });
  expect(partsOf(message((w) => `: ${w}`, ' (none)'))).toEqual({
    before: '',
    none: ' (none)',
    after: '',
  });
});

test.each([
  ['without the words after a colon', message((w) => `Refused ${w}.`, 'Refused.')],
  ['otherwise before them', message((w) => `Refused: ${w}.`, 'Denied.')],
  ['otherwise after them', message((w) => `Refused: ${w}.`, 'Refused!')],
  ['not at all', () => 'Refused.'],
])('a core that words them %s stops the generator', (_case, worded) => {
  expect(() => partsOf(worded)).toThrow(/^core\/errors\.ts words the API's words differently: /);
});

test('a status the core no longer words stops the generator', () => {
  expect(() => wordedFailure(undefined, 418)).toThrow('core/errors.ts words no failure for 418');
});
