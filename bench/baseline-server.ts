// The bare baseline for the throughput figures: Fastify with no plugins, no schemas, no session,
// no checks — two routes doing the same INSERT and SELECT as the real message routes, with `pg`
// directly, on a pool of the same size (10). Run as its own process, like the real server.
// The case comes from a header instead of a session.
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

app.get('/health', async () => ({ ok: true }));

const close = () => {
  void app.close().then(() => pool.end()).finally(() => process.exit(0));
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
