// Sends a JSON text built elsewhere (by the database, see modules/melder/hot-path.ts) as it is.
// Fastify serialises only objects; a string with a JSON content type goes out unchanged, so the
// route's response schema is not applied — the text's builder must produce exactly its fields.
import type { FastifyReply } from 'fastify';

export function sendJsonText(reply: unknown, status: number, json: string): FastifyReply {
  return (reply as FastifyReply).code(status).type('application/json; charset=utf-8').send(json);
}
