// What the steps of `npm run zip` (scripts/zip.js) share: where the project is, and how the
// Zapier CLI runs offline.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

// Offline builds: the CLI would otherwise post usage analytics to zapier.com on every command.
const OFFLINE_ENV = { ...process.env, DISABLE_ZAPIER_ANALYTICS: '1', NO_UPDATE_NOTIFIER: '1' };

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

module.exports = { root, OFFLINE_ENV, readJson };
