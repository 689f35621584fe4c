/** Worker processes sharing the Redis store, through node-redis and ioredis (see workers.ts). */
import { testWorkers } from './workers';

testWorkers(['node-redis', 'ioredis']);
