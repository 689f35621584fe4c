/**
 * The Node package as the oracle of the Python port's parity tests: reads a JSON list of cases
 * ({secrets, now, tolerance?, base64, headers: [[name, value]…]}) on stdin and prints, for each,
 * what the Node package's verify (over the core) makes of it: the outcome in the vectors' terms
 * (sdk/src/vectors.ts outcomeOf, as JSON text) and the reasons of the skipped items. Runs the
 * compiled package (dist/, which `npm run sdk:generate` and the tests' fixture build).
 */
'use strict';
const { Buffer } = require('node:buffer');
const { join } = require('node:path');

const dist = join(__dirname, '..', '..', 'dist', 'sdk', 'src');
const { verify } = require(join(dist, 'verify.js'));
const { outcomeOf, vectorHeaders } = require(join(dist, 'vectors.js'));

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const results = cases.map((c) => {
    const options = { secrets: c.secrets, now: c.now, tolerance: c.tolerance };
    const result = verify(Buffer.from(c.base64, 'base64'), vectorHeaders(c), options);
    return {
      outcome: JSON.stringify(outcomeOf(result)),
      skipped: result.ok ? result.skipped : [],
    };
  });
  process.stdout.write(JSON.stringify(results));
});
