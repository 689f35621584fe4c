/** What the sdk's generator writes (generate.ts formats and writes it; the tests compare it). */
import { pythonSources } from './python';
import { eventTypesSource } from './types';
import { vectors } from './vectors';

/** Each generated file, relative to the repository, with its content before formatting. */
export const sources = (): [path: string, source: string][] => [
  ['sdk/src/events.generated.ts', eventTypesSource()],
  ['conformance/vectors.json', JSON.stringify(vectors())],
  ...pythonSources(),
];

/** Whether prettier formats the file (the Python files are written as they are). */
export const prettierFormats = (path: string): boolean => !path.endsWith('.py');
