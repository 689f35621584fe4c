/**
 * Stands in for zapier-platform-core's `tools/memory-checker` in jest's runs (jest.config.js and
 * Stryker's, scripts/stryker/jest.config.js). Core's checker ends the process (exit 1) once it
 * has handled 250 invocations with more than 450 MB resident: Lambda's way to recycle a worker,
 * not app behaviour. A jest worker is long-lived and holds what every test file before it loaded
 * (the n8n and Make tests bring n8n-workflow and Make's SDK), so a file with hundreds of
 * invocations crossed that mark on a busy machine: jest-worker then ran the file again, after a
 * stack trace. jest recycles its workers itself (`workerIdleMemoryLimit`); the built bundle, in
 * the release tests, `npm start` and the n8n end-to-end run, keeps core's own checker.
 */
'use strict';
module.exports = () => undefined;
