// The audit trail of one case for its assigned advisor: who did what and when (status changes,
// exports, retention), never content. Anyone else — another advisor, an admin — gets the same
// 404 case_not_found as for a case that does not exist.
import { Type } from 'typebox';
import type { AppInstance } from '../../app.ts';
import { ErrorResponse } from '../../lib/schema.ts';
import { CaseNotFoundError } from '../advisor/case-service.ts';
import { findAssignedCase } from '../advisor/repository.ts';
import { caseTrail } from './service.ts';

const CaseParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }) });

export const CaseTrailEvent = Type.Object({
  id: Type.String(),
  at: Type.String({ description: 'ISO 8601' }),
  actorType: Type.String({ description: 'staff | system | melder' }),
  actorId: Type.Union([Type.String(), Type.Null()], { description: 'the staff account, for staff events' }),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export const CaseTrailResponse = Type.Object({ events: Type.Array(CaseTrailEvent, { description: 'oldest first' }) });

export default async function auditRoutes(app: AppInstance) {
  app.get('/api/advisor/cases/:id/audit', {
    schema: { params: CaseParams, response: { 200: CaseTrailResponse, 401: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse } },
  }, async (req) => {
    const { accountId } = await app.requireStaff(req);
    const c = await findAssignedCase(app.db, accountId, req.params.id);
    if (!c) throw new CaseNotFoundError();
    const events = await caseTrail(app.db, c.id);
    const actorIds = [...new Set(events.map((e) => e.actor_id).filter((x): x is string => !!x))];
    const names = new Map(
      actorIds.length ? (await app.db.selectFrom('accounts').select(['id', 'name']).where('id', 'in', actorIds).execute()).map((a) => [a.id, a.name]) : [],
    );
    return {
      events: events.map((e) => ({
        id: String(e.id),
        at: new Date(e.at).toISOString(),
        actorType: e.actor_type,
        actorId: e.actor_type === 'staff' ? e.actor_id : null,
        actorName: e.actor_type === 'staff' && e.actor_id ? (names.get(e.actor_id) ?? null) : null,
        action: e.action,
        detail: (typeof e.detail === 'string' ? JSON.parse(e.detail) : e.detail ?? {}) as Record<string, unknown>,
      })),
    };
  });
}
