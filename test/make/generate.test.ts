/**
 * `npm run make:build` (make/generate.ts `writeApp`): it writes every file the generator makes,
 * in its folders, and removes what was there before, so a component or section the table no
 * longer has does not linger; and reading a folder that is not there finds no file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { filesIn, generatedFiles, writeApp } from '../../make/generate';

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'isao-make-build-'));
});
afterEach(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

test('writes exactly the generated files, what was there before removed', () => {
  const dir = path.join(work, 'app');
  fs.mkdirSync(path.join(dir, 'modules', 'watch-old-thing'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'modules', 'watch-old-thing', 'x.iml.json'), '{}');
  const generated = generatedFiles();
  expect(writeApp(dir)).toBe(generated.size);
  expect(filesIn(dir)).toEqual(generated);
});

test('writes into a folder that is not there yet', () => {
  const dir = path.join(work, 'new', 'app');
  expect(writeApp(dir)).toBe(generatedFiles().size);
  expect(filesIn(dir)).toEqual(generatedFiles());
});

test('a folder that is not there holds no file', () => {
  expect(filesIn(path.join(work, 'none'))).toEqual(new Map());
});
