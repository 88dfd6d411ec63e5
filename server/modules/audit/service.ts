// The audit log: append-only, each row hash-chained to the one before it, so an edited or
// deleted row breaks the chain and `npm run cli -- audit:verify` names the first broken link.
// It records what staff did and what jobs deleted — never a melder's address or any content.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';

export const GENESIS = '0'.repeat(64);
const AUDIT_LOCK = 4_711_001; // pg advisory lock id that serialises appends

export type AuditAction =
  | 'staff.login' | 'staff.logout' | 'staff.password_changed' | 'staff.recovered' | 'staff.activated'
  | 'case.opened' | 'case.status_changed' | 'case.registration_changed' | 'case.handover'
  | 'register.exported' | 'report.exported' | 'report.recommendations_changed'
  | 'admin.changed' | 'admin.advisor_invited' | 'admin.advisor_deactivated'
  | 'retention.case_deleted' | 'setup.completed';

export interface AuditInput {
  actorType: 'staff' | 'system' | 'melder';
  actorId?: string | null;
  organisationId?: string | null;
  caseId?: string | null;
  action: AuditAction;
  detail?: Record<string, unknown>;
}

/** JSON with object keys sorted at every depth: jsonb does not keep key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function chainHash(prevHash: string, row: { at: Date; actor_type: string; actor_id: string | null; organisation_id: string | null; case_id: string | null; action: string; detail: unknown }): string {
  const body = canonicalJson({
    at: row.at.toISOString(),
    actor_type: row.actor_type,
    actor_id: row.actor_id,
    organisation_id: row.organisation_id,
    case_id: row.case_id,
    action: row.action,
    detail: row.detail ?? {},
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

async function appendIn(trx: Transaction<Database>, input: AuditInput, now: Date): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_events').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prev = last?.hash ?? GENESIS;
  const row = {
    at: new Date(Math.floor(now.getTime())),
    actor_type: input.actorType,
    actor_id: input.actorId ?? null,
    organisation_id: input.organisationId ?? null,
    case_id: input.caseId ?? null,
    action: input.action,
    detail: input.detail ?? {},
  };
  await trx
    .insertInto('audit_events')
    .values({ ...row, detail: canonicalJson(row.detail), prev_hash: prev, hash: chainHash(prev, row) })
    .execute();
}

/** Appends one event. Pass a transaction to make the event part of the change it records. */
export async function audit(db: Kysely<Database> | Transaction<Database>, input: AuditInput, now = new Date()): Promise<void> {
  if (db.isTransaction) return appendIn(db as Transaction<Database>, input, now);
  await (db as Kysely<Database>).transaction().execute((trx) => appendIn(trx, input, now));
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The id of the first row whose link is broken, and why. */
  firstBroken?: { id: string; reason: 'hash_mismatch' | 'chain_broken' };
}

export async function verifyAuditChain(db: Kysely<Database>): Promise<VerifyResult> {
  let prev = GENESIS;
  let checked = 0;
  let afterId = '0';
  for (;;) {
    const rows = await db.selectFrom('audit_events').selectAll().where('id', '>', afterId).orderBy('id').limit(1000).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.prev_hash !== prev) return { ok: false, checked, firstBroken: { id: String(r.id), reason: 'chain_broken' } };
      const expected = chainHash(prev, { ...r, at: new Date(r.at) });
      if (expected !== r.hash) return { ok: false, checked, firstBroken: { id: String(r.id), reason: 'hash_mismatch' } };
      prev = r.hash;
      checked++;
      afterId = String(r.id);
    }
  }
  return { ok: true, checked };
}

export async function caseTrail(db: Kysely<Database>, caseId: string) {
  return db.selectFrom('audit_events').select(['id', 'at', 'actor_type', 'actor_id', 'action', 'detail']).where('case_id', '=', caseId).orderBy('id').execute();
}
