// Imported first by bench/run.ts: the tests' helpers read TEST_DATABASE_URL when they load, so
// it must name the bench's PostgreSQL before they do (whether it answers is checked later).
import { DEFAULT_PG_URL } from './pg-url.ts';

process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_PG_URL;
