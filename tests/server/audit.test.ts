import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, verifyAuditChain } from '../../server/modules/audit/service.ts';
import { databaseKinds, createTestDatabase, type TestDatabase } from '../helpers/db.ts';

describe.each(databaseKinds)('audit log on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const seed = async (n: number) => {
    await sql`truncate audit_events`.execute(database.db);
    for (let i = 0; i < n; i++) {
      await audit(database.db, { actorType: 'staff', actorId: null, action: 'case.status_changed', detail: { to: 'nazorg', n: i, nested: { b: 1, a: [2, 3] } } });
    }
  };

  it('an untouched chain verifies, concurrent appends included', async () => {
    await seed(5);
    await Promise.all(Array.from({ length: 10 }, (_, i) => audit(database.db, { actorType: 'system', action: 'retention.case_deleted', detail: { i } })));
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: 15 });
  });

  it('an edited row is caught at that row', async () => {
    await seed(6);
    const rows = await database.db.selectFrom('audit_events').select('id').orderBy('id').execute();
    const target = rows[3]!.id;
    await database.db.updateTable('audit_events').set({ detail: JSON.stringify({ to: 'afgesloten' }) }).where('id', '=', target).execute();
    expect(await verifyAuditChain(database.db)).toEqual({ ok: false, checked: 3, firstBroken: { id: String(target), reason: 'hash_mismatch' } });
  });

  it('a deleted row is caught at the row after it', async () => {
    await seed(6);
    const rows = await database.db.selectFrom('audit_events').select('id').orderBy('id').execute();
    await database.db.deleteFrom('audit_events').where('id', '=', rows[2]!.id).execute();
    expect(await verifyAuditChain(database.db)).toEqual({ ok: false, checked: 2, firstBroken: { id: String(rows[3]!.id), reason: 'chain_broken' } });
  });

  it('a re-hashed edit (hash recomputed for one row only) is still caught by the next link', async () => {
    await seed(4);
    const rows = await database.db.selectFrom('audit_events').selectAll().orderBy('id').execute();
    const { chainHash } = await import('../../server/modules/audit/service.ts');
    const r = rows[1]!;
    const forged = { ...r, at: new Date(r.at), action: 'staff.login' };
    await database.db.updateTable('audit_events').set({ action: 'staff.login', hash: chainHash(r.prev_hash, forged) }).where('id', '=', r.id).execute();
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({ id: String(rows[2]!.id), reason: 'chain_broken' });
  });
});
