/** scripts/servers/servers.js (plain CommonJS, run by node directly), typed for TypeScript. */
export interface Server {
  /** redis://127.0.0.1:port or postgres://postgres@127.0.0.1:port/postgres */
  url: string;
  port: number;
  /** Ends the server at once, as a crash would (Redis loses everything it held). */
  kill: () => Promise<void>;
  /** Starts it again on the same port after kill(). */
  restart: () => Promise<void>;
  /** Ends it and removes its folder. */
  stop: () => Promise<void>;
}
export declare function startRedis(): Promise<Server>;
export declare function startPostgres(): Promise<Server>;
export declare function startServers(): Promise<{
  redis: Server;
  postgres: Server;
  stop: () => Promise<void>;
}>;
