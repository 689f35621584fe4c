/**
 * Node as the oracle of the Python package's date reading (tests/test_dates.py): reads a JSON list
 * of texts on stdin and prints, for each, `Date.parse(text)`, the core's `eventTime(text)`
 * (core/signatures.ts, compiled into dist/), NaN as null, and the date read as `toISOString()`
 * writes it (null when none). Local times are read in the zone of the
 * TZ variable it runs under.
 */
'use strict';
const { Buffer } = require('node:buffer');
const { join } = require('node:path');

const { eventTime } = require(join(__dirname, '..', '..', 'dist', 'core', 'signatures.js'));

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const texts = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const read = texts.map((text) => {
    const at = Date.parse(text);
    return [at, eventTime(text), Number.isNaN(at) ? null : new Date(at).toISOString()];
  });
  process.stdout.write(JSON.stringify(read));
});
