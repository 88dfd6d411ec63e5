// The bare baseline for the throughput figures: Fastify with no plugins, no schemas, no session,
// no checks — two routes doing the same INSERT and SELECT as the real message routes, with `pg`
// directly, on a pool of the same size (10). Run as its own process, like the real server.
// The case comes from a header instead of a session.
// Two more routes send the same queries as the real routes (session, case, organisation,
// advisor, … — still raw `pg`, no plugins, no checks): the gap between them and the minimal
// routes is the cost of the extra round trips; between them and the real server, everything
// else (Fastify plugins, schemas, Kysely, the OpenPGP recipient check).
import { createHash } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

pg.types.setTypeParser(20, (v) => v);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
pool.on('error', () => {});
const app = Fastify({ logger: false });

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
type Row = { id: string; sender_role: string; kind: string; ciphertext: string; created_at: Date; read_at: Date | null };
const toMessage = (m: Row) => ({ id: m.id, senderRole: m.sender_role, kind: m.kind, ciphertext: m.ciphertext, createdAt: iso(m.created_at), readAt: iso(m.read_at) });

app.post('/messages', async (req, reply) => {
  const caseId = String(req.headers['x-case-id']);
  const body = req.body as { kind: string; ciphertext: string };
  const { rows } = await pool.query<Row>(
    `INSERT INTO messages (case_id, sender_role, sender_account_id, kind, ciphertext) VALUES ($1, 'melder', NULL, $2, $3) RETURNING *`,
    [caseId, body.kind, body.ciphertext],
  );
  const m = rows[0]!;
  await pool.query('UPDATE cases SET last_activity_at = $1 WHERE id = $2', [m.created_at, caseId]);
  return reply.code(201).send({ message: toMessage(m) });
});

app.get('/thread', async (req) => {
  const caseId = String(req.headers['x-case-id']);
  const { rows } = await pool.query<Row>(`SELECT * FROM messages WHERE case_id = $1 AND kind <> 'note' ORDER BY created_at, id`, [caseId]);
  return { messages: rows.map(toMessage) };
});

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const tokenOf = (cookie: unknown) => /kb_session=([^;]+)/.exec(String(cookie ?? ''))?.[1] ?? '';

async function sessionCase(cookie: unknown) {
  const s = await pool.query('SELECT * FROM sessions WHERE token_digest = $1', [digest(tokenOf(cookie))]);
  const c = await pool.query('SELECT * FROM cases WHERE id = $1', [s.rows[0].case_id]);
  return c.rows[0] as { id: string; organisation_id: string; advisor_id: string };
}

app.get('/thread-full', async (req) => {
  const c = await sessionCase(req.headers.cookie);
  const [org, advisor, messages, attachments] = await Promise.all([
    pool.query('SELECT slug, name FROM organisations WHERE id = $1', [c.organisation_id]),
    pool.query('SELECT id, name, public_key FROM accounts WHERE id = $1', [c.advisor_id]),
    pool.query<Row>(`SELECT * FROM messages WHERE case_id = $1 AND kind <> 'note' ORDER BY created_at, id`, [c.id]),
    pool.query('SELECT id, uploader_role, encrypted_manifest, size, complete, created_at FROM attachments WHERE case_id = $1 ORDER BY created_at', [c.id]),
  ]);
  return { case: { organisation: org.rows[0], advisor: advisor.rows[0] }, messages: messages.rows.map(toMessage), attachments: attachments.rows };
});

app.post('/messages-full', async (req, reply) => {
  const c = await sessionCase(req.headers.cookie);
  await pool.query('SELECT public_key FROM accounts WHERE id = $1', [c.advisor_id]);
  const body = req.body as { kind: string; ciphertext: string };
  const { rows } = await pool.query<Row>(
    `INSERT INTO messages (case_id, sender_role, sender_account_id, kind, ciphertext) VALUES ($1, 'melder', NULL, $2, $3) RETURNING *`,
    [c.id, body.kind, body.ciphertext],
  );
  await pool.query('UPDATE cases SET last_activity_at = $1 WHERE id = $2', [rows[0]!.created_at, c.id]);
  return reply.code(201).send({ message: toMessage(rows[0]!) });
});

app.get('/health', async () => ({ ok: true }));

const close = () => {
  void app.close().then(() => pool.end()).finally(() => process.exit(0));
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
