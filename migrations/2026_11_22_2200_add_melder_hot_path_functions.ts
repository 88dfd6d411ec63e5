// Stored functions for the melder's two busiest requests (server/modules/melder/hot-path.ts):
// - melder_session_case(): the session check and the case with its organisation and advisor
//   (posting a message);
// - melder_thread(): the same, then the thread's messages and complete files, as one result
//   (reading the thread): part 'c' is the case (state as JSON), then 'm' rows (messages, oldest
//   first), then 'a' rows (files), with timestamps as ISO text;
// - add_thread_message(): stores a message and the case's last activity together (posting).
// As plain SQL the lookup is a four-table join that PostgreSQL planned afresh on every request
// (~0.2 ms of its CPU each time, measured with EXPLAIN); PL/pgSQL prepares its statements once
// per connection and reuses the plans.
// Same rules as findSession: live = not past expires_at and seen within the idle window; the
// session is touched (last_seen_at) only when it was last seen before p_touch_before. Returns no
// row for no, an expired or idle session, or a case whose content was deleted — the caller then
// takes the ordinary path, which gives the exact error and deletes an expired session.
// Frozen in time: no imports from app code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    CREATE FUNCTION melder_session_case(p_digest text, p_now timestamptz, p_idle_since timestamptz, p_touch_before timestamptz)
    RETURNS TABLE (
      id uuid, status text, kind text, category text, melder_public_key text,
      created_at timestamptz, acknowledged_at timestamptz, first_reply_due_at timestamptz,
      first_reply_at timestamptz, feedback_due_at timestamptz, feedback_given_at timestamptz,
      closed_at timestamptz, closed_by text,
      org_slug text, org_name text, advisor_id uuid, advisor_name text, advisor_public_key text
    )
    LANGUAGE plpgsql VOLATILE AS $fn$
    #variable_conflict use_column
    DECLARE
      v_case uuid;
      v_seen timestamptz;
    BEGIN
      SELECT s.case_id, s.last_seen_at INTO v_case, v_seen FROM sessions s
      WHERE s.token_digest = p_digest AND s.subject = 'melder' AND s.case_id IS NOT NULL
        AND s.expires_at > p_now AND s.last_seen_at >= p_idle_since;
      IF v_case IS NULL THEN
        RETURN;
      END IF;
      IF v_seen < p_touch_before THEN
        UPDATE sessions SET last_seen_at = p_now WHERE token_digest = p_digest;
      END IF;
      RETURN QUERY
        SELECT c.id, c.status, c.kind, c.category, c.melder_public_key, c.created_at, c.acknowledged_at,
               c.first_reply_due_at, c.first_reply_at, c.feedback_due_at, c.feedback_given_at, c.closed_at,
               c.closed_by, o.slug, o.name, a.id, a.name, a.public_key
        FROM cases c
        JOIN organisations o ON o.id = c.organisation_id
        JOIN accounts a ON a.id = c.advisor_id
        WHERE c.id = v_case AND c.content_deleted_at IS NULL;
    END
    $fn$
  `).execute(db);
  await sql.raw(`
    CREATE FUNCTION melder_thread(p_digest text, p_now timestamptz, p_idle_since timestamptz, p_touch_before timestamptz)
    RETURNS TABLE (part text, id uuid, role text, kind text, body text, size bigint, created_at text, read_at text, state json)
    LANGUAGE plpgsql VOLATILE AS $fn$
    #variable_conflict use_column
    DECLARE
      r record;
    BEGIN
      SELECT * INTO r FROM melder_session_case(p_digest, p_now, p_idle_since, p_touch_before);
      IF NOT FOUND THEN
        RETURN;
      END IF;
      RETURN QUERY SELECT 'c'::text, r.id, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::text, to_json(r);
      RETURN QUERY
        SELECT 'm'::text, m.id, m.sender_role, m.kind, m.ciphertext, NULL::bigint,
               to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
               to_char(m.read_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), NULL::json
        FROM messages m WHERE m.case_id = r.id AND m.kind <> 'note' ORDER BY m.created_at, m.id;
      RETURN QUERY
        SELECT 'a'::text, f.id, f.uploader_role, NULL::text, f.encrypted_manifest, f.size,
               to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), NULL::text, NULL::json
        FROM attachments f WHERE f.case_id = r.id AND f.complete ORDER BY f.created_at;
    END
    $fn$
  `).execute(db);
  await sql.raw(`
    CREATE FUNCTION add_thread_message(p_case uuid, p_role text, p_account uuid, p_kind text, p_ciphertext text)
    RETURNS TABLE (id uuid, created_at text, read_at text)
    LANGUAGE plpgsql VOLATILE AS $fn$
    #variable_conflict use_column
    DECLARE
      v_id uuid;
      v_at timestamptz;
    BEGIN
      INSERT INTO messages (case_id, sender_role, sender_account_id, kind, ciphertext)
      VALUES (p_case, p_role, p_account, p_kind, p_ciphertext)
      RETURNING messages.id, messages.created_at INTO v_id, v_at;
      UPDATE cases SET last_activity_at = v_at WHERE cases.id = p_case;
      RETURN QUERY SELECT v_id, to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), NULL::text;
    END
    $fn$
  `).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS add_thread_message(uuid, text, uuid, text, text)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS melder_thread(text, timestamptz, timestamptz, timestamptz)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS melder_session_case(text, timestamptz, timestamptz, timestamptz)`.execute(db);
}
