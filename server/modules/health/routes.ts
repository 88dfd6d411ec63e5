// Health: whether the process runs and the database answers. Says nothing else about the
// deployment (no versions, no counts).
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { AppInstance } from '../../app.ts';

const HealthResponse = Type.Object({ status: Type.Literal('ok'), db: Type.Literal('ok') });
const Unhealthy = Type.Object({ status: Type.Literal('unavailable'), db: Type.Literal('unavailable') });

export default async function healthRoutes(app: AppInstance) {
  app.get('/api/health', { schema: { response: { 200: HealthResponse, 503: Unhealthy } } }, async (_req, reply) => {
    try {
      await Promise.race([
        sql`select 1`.execute(app.db),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
      return { status: 'ok' as const, db: 'ok' as const };
    } catch {
      return reply.code(503).send({ status: 'unavailable' as const, db: 'unavailable' as const });
    }
  });
}
