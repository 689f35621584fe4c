/** Worker processes sharing the PostgreSQL stores, with leases and transactional (see workers.ts). */
import { testWorkers } from './workers';

testWorkers(['postgres', 'postgres-tx']);
