/** scripts/servers/install.js (plain CommonJS, run by node directly), typed for TypeScript. */
/** What is installed: the redis-server executable and the PostgreSQL bin folder, or undefined. */
export declare function found(): { redis: string | undefined; postgres: string | undefined };
/** The bin folder of the newest PostgreSQL installed, or undefined. */
export declare function postgresBin(): string | undefined;
/** The commands that install the packages. */
export declare const APT_COMMANDS: readonly (readonly string[])[];
export declare const PACKAGES: readonly string[];
/** The modules the Python tests import, each with the Debian package that installs it. */
export declare const PYTHON_MODULES: Readonly<Record<string, string>>;
