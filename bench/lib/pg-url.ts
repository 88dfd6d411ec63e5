export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
