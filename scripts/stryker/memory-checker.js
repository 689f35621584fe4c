/**
 * Stands in for zapier-platform-core's `tools/memory-checker` in `npm run mutate` only (see
 * stryker.config.mjs). Core's checker ends the process (exit 1) once it has handled 250
 * invocations with more than 450 MB resident: a guard for Zapier's Lambda workers. A Stryker
 * worker runs jest hundreds of times in one process and passes that mark, which would crash it
 * mid-run; `maxTestRunnerReuse` restarts workers instead.
 */
'use strict';
module.exports = () => undefined;
