// The bare baseline for the throughput figures: Fastify with no plugins, no schemas, no session,
// no checks — two routes doing the same INSERT and SELECT as the real message routes, with `pg`
// directly, on a pool of the same size (10). Run as its own process, like the real server.
// The case comes from a header instead of a session.
// Two more routes send the same statements as the real routes (the stored functions that check
// the session and read case, organisation, advisor, messages and files — still raw `pg`, no
// plugins, no checks): the gap between them and the minimal routes is the cost of that extra
// database work; between them and the real server, everything else (Fastify plugins, cookie
// parsing, Kysely, the OpenPGP recipient check).
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

// The same statements as the real routes (server/modules/melder/hot-path.ts): one stored-function
// call for the thread; for a post, the session/case function and the insert function.
const live = `$2::timestamptz, $2::timestamptz - interval '30 minutes', $2::timestamptz - interval '30 seconds'`;
type Part = { part: string; id: string; role: string; kind: string; body: string; size: string; created_at: string; read_at: string | null; state: unknown };

app.get('/thread-full', async (req) => {
  const { rows } = await pool.query<Part>(`SELECT part, id, role, kind, body, size, created_at, read_at, state FROM melder_thread($1, ${live})`, [digest(tokenOf(req.headers.cookie)), new Date()]);
  return {
    case: rows[0]!.state,
    messages: rows.filter((r) => r.part === 'm').map((r) => ({ id: r.id, senderRole: r.role, kind: r.kind, ciphertext: r.body, createdAt: r.created_at, readAt: r.read_at })),
    attachments: rows.filter((r) => r.part === 'a').map((r) => ({ id: r.id, uploaderRole: r.role, encryptedManifest: r.body, size: Number(r.size), createdAt: r.created_at })),
  };
});

app.post('/messages-full', async (req, reply) => {
  const { rows: [c] } = await pool.query<{ id: string }>(`SELECT * FROM melder_session_case($1, ${live})`, [digest(tokenOf(req.headers.cookie)), new Date()]);
  const body = req.body as { kind: string; ciphertext: string };
  const { rows } = await pool.query<{ id: string; created_at: string; read_at: null }>(
    `SELECT id, created_at, read_at FROM add_thread_message($1, 'melder', NULL, $2, $3)`,
    [c!.id, body.kind, body.ciphertext],
  );
  return reply.code(201).send({ message: { id: rows[0]!.id, senderRole: 'melder', kind: body.kind, ciphertext: body.ciphertext, createdAt: rows[0]!.created_at, readAt: null } });
});

app.get('/health', async () => ({ ok: true }));

const close = () => {
  void app.close().then(() => pool.end()).finally(() => process.exit(0));
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
