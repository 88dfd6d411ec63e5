// The hot queries, exactly as the server builds them: each is produced by calling the server's
// own repository or service function on a Kysely instance whose driver records the compiled SQL
// instead of running it. Then EXPLAIN (ANALYZE, FORMAT JSON) runs that SQL with its parameters
// on a real database (inside a rolled-back transaction when it writes), and the plan is checked
// for sequential scans of the large tables. Shared by the bench and tests/server/query-plans.test.ts.
import {
  CompiledQuery, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type Driver, type QueryResult,
} from 'kysely';
import type pg from 'pg';
import type { Database } from '../../server/db/database.ts';
import { caseStoredBytes, findCaseByCodeDigest, findCaseById, listAttachments, listSharedMessages, markMessagesRead } from '../../server/modules/cases/repository.ts';
import { openAttachment } from '../../server/modules/cases/attachments.ts';
import { deleteSessionsOfAccount, findSession } from '../../server/modules/sessions/service.ts';
import { findAssignedCase, listInbox, listMessagesForAdvisor } from '../../server/modules/advisor/repository.ts';

/** Tables that grow with use: a sequential scan of one of them is a defect. */
export const LARGE_TABLES = ['cases', 'messages', 'attachments', 'attachment_chunks', 'sessions'];

type Responder = (q: CompiledQuery, index: number) => unknown[];

class CaptureConnection implements DatabaseConnection {
  constructor(
    private readonly sink: CompiledQuery[],
    private readonly respond: Responder,
  ) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const index = this.sink.length;
    this.sink.push(q);
    return { rows: this.respond(q, index) as R[], numAffectedRows: 0n };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not captured');
  }
}

class CaptureDriver implements Driver {
  constructor(private readonly connection: CaptureConnection) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/** The SQL a piece of server code sends, without running it (answers come from `respond`). */
export async function captureQueries(fn: (db: Kysely<Database>) => Promise<unknown>, respond: Responder = () => []): Promise<CompiledQuery[]> {
  const sink: CompiledQuery[] = [];
  const connection = new CaptureConnection(sink, respond);
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new CaptureDriver(connection),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  await fn(db);
  return sink;
}

/** Real ids from the database the plans are explained on. */
export interface SampleIds {
  caseId: string;
  codeDigest: string;
  advisorId: string;
  attachmentId: string;
  sessionToken: string;
}

export interface HotQuery {
  name: string;
  /** Writes: explained inside a transaction that is rolled back. */
  writes: boolean;
  capture: () => Promise<CompiledQuery[]>;
}

export function hotQueries(ids: SampleIds, now = new Date()): HotQuery[] {
  const q = (name: string, fn: (db: Kysely<Database>) => Promise<unknown>, respond?: Responder, writes = false): HotQuery => ({
    name, writes, capture: () => captureQueries(fn, respond),
  });
  return [
    q('session by token (every request)', (db) => findSession(db, ids.sessionToken, now)),
    q('case by code digest (melder login)', (db) => findCaseByCodeDigest(db, ids.codeDigest)),
    q('case by id', (db) => findCaseById(db, ids.caseId)),
    q('thread messages (melder)', (db) => listSharedMessages(db, ids.caseId)),
    q('thread attachments', (db) => listAttachments(db, ids.caseId)),
    q('advisor: assigned case', (db) => findAssignedCase(db, ids.advisorId, ids.caseId)),
    q('advisor: thread with own notes', (db) => listMessagesForAdvisor(db, ids.caseId, ids.advisorId)),
    q('advisor: inbox first page (count and rows)', (db) => listInbox(db, ids.advisorId, {}, { limit: 25, offset: 0 }, now), (_q, i) => (i === 0 ? [{ total: '0' }] : [])),
    q('attachment chunk (download)', async (db) => {
      const { stream } = await openAttachment(db, ids.caseId, ids.attachmentId);
      await new Promise<void>((resolve, reject) => {
        stream.once('data', () => resolve());
        stream.once('error', reject);
      });
      stream.destroy();
    }, (_q, i) => (i === 0 ? [{ id: ids.attachmentId, size: '1024', chunk_count: 1 }] : [{ data: Buffer.alloc(1) }])),
    q('stored bytes of a case (upload quota)', (db) => caseStoredBytes(db, ids.caseId), () => [{ total: '0' }]),
    q('mark messages read', (db) => markMessagesRead(db, ids.caseId, 'advisor', now), undefined, true),
    q('sessions of an account (log out everywhere, password change)', (db) => deleteSessionsOfAccount(db, ids.advisorId), undefined, true),
  ];
}

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

export interface Explained {
  sql: string;
  executionMs: number;
  planningMs: number;
  seqScans: string[];
  indexes: string[];
  nodes: string[];
  /** Foreign-key (and other) triggers that ran: name, total ms, calls. */
  triggers: Array<{ name: string; relation: string; ms: number; calls: number }>;
  plan: unknown;
}

function walk(node: PlanNode, visit: (n: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

export async function explain(pool: pg.Pool, q: CompiledQuery, writes: boolean): Promise<Explained> {
  const client = await pool.connect();
  try {
    if (writes) await client.query('BEGIN');
    const r = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.sql}`, q.parameters as unknown[]);
    type Trigger = { 'Trigger Name': string; Relation: string; Time: number; Calls: number };
    const top = (r.rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number; Triggers?: Trigger[] }>)[0]!;
    const seqScans: string[] = [];
    const indexes: string[] = [];
    const nodes: string[] = [];
    walk(top.Plan, (n) => {
      nodes.push(`${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`);
      if (n['Node Type'] === 'Seq Scan' && n['Relation Name'] && LARGE_TABLES.includes(n['Relation Name'])) seqScans.push(n['Relation Name']);
      if (n['Index Name']) indexes.push(n['Index Name']);
    });
    const triggers = (top.Triggers ?? []).map((t) => ({ name: t['Trigger Name'], relation: t.Relation, ms: t.Time, calls: t.Calls }));
    return { sql: q.sql, executionMs: top['Execution Time'], planningMs: top['Planning Time'], seqScans, indexes, nodes, triggers, plan: top };
  } finally {
    if (writes) await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}

/**
 * What deleting a case's contents costs (retention after the retention period, DESIGN.md): not
 * server code yet, so plain SQL. Each deleted row runs the foreign-key checks of the tables that
 * point at it; without an index on the referencing column each check scans that whole table.
 */
export function retentionQueries(ids: SampleIds): HotQuery[] {
  const raw = (name: string, text: string): HotQuery => ({
    name, writes: true, capture: async () => [CompiledQuery.raw(text, [ids.caseId])],
  });
  return [
    raw('retention: delete the messages of a case', 'DELETE FROM messages WHERE case_id = $1'),
    raw('retention: delete a case with everything (cascade)', 'DELETE FROM cases WHERE id = $1'),
  ];
}

/** A case with messages and an attachment, its advisor, and a usable session token. */
export async function sampleIds(pool: pg.Pool, sessionToken: string): Promise<SampleIds> {
  const r = await pool.query(`
    SELECT c.id, c.code_digest, c.advisor_id, a.id AS attachment_id
    FROM cases c JOIN attachments a ON a.case_id = c.id
    WHERE c.status = 'in_behandeling' ORDER BY c.reference LIMIT 1`);
  const row = r.rows[0] as { id: string; code_digest: string; advisor_id: string; attachment_id: string } | undefined;
  if (!row) throw new Error('no seeded case with an attachment');
  return { caseId: row.id, codeDigest: row.code_digest, advisorId: row.advisor_id, attachmentId: row.attachment_id, sessionToken };
}
