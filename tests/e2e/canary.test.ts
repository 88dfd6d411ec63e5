// I1 and I2 as an auditor would check them: after a full round trip through the real UI with
// unique canary strings in every place a melder writes (report, message, changed wishes,
// identity, file content, file name) and in the advisor's reply, neither a pg_dump of the
// PostgreSQL database nor any line the server logged contains a canary, the passphrase (in any
// spelling) or the case code. Positive controls prove the scan would see them if they were there.
// PostgreSQL only: PGlite has no pg_dump.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../server/modules/organisations/service.ts';
import { advisorReplies, createActiveAdvisor, type TestAdvisor } from '../helpers/actors.ts';
import { TEST_DATABASE_URL } from '../helpers/db.ts';
import { passRetypeCheck, reportThroughUi, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

const run = promisify(execFile);
const PG_DUMP = '/usr/bin/pg_dump';

const canary = (label: string) => `canary-${label}-${randomBytes(20).toString('hex')}`;

/** Every spelling a secret or canary could be stored in: as typed, upper-case, without separators, and hex (bytea). */
function spellings(secret: string): string[] {
  const bare = secret.replace(/[-\s]/g, '');
  return [...new Set([secret, secret.toLowerCase(), bare.toLowerCase(), secret.replace(/-/g, ' ').toLowerCase(), Buffer.from(secret).toString('hex'), Buffer.from(bare).toString('hex')])];
}

/** The needles found in `haystack` (case-insensitive). */
function found(haystack: string, needles: string[]): string[] {
  const lower = haystack.toLowerCase();
  return needles.filter((needle) => lower.includes(needle.toLowerCase()));
}

async function pgDump(url: string): Promise<string> {
  const { stdout } = await run(PG_DUMP, ['--no-owner', '--no-privileges', url], { maxBuffer: 512 * 1024 * 1024 });
  return stdout;
}

describe('canary: no plaintext or secret in the PostgreSQL dump or the server logs', () => {
  let h: BrowserHarness;
  let anna: TestAdvisor;

  beforeAll(async () => {
    if (!TEST_DATABASE_URL) return;
    h = await startBrowserHarness('postgres');
    await createOrganisation(h.t.database.db, { slug: 'acme', name: 'Acme BV' });
    anna = await createActiveAdvisor(h.t.database.db, { organisationSlug: 'acme', email: 'anna@example.org', name: 'Anna de Vries' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it.skipIf(!TEST_DATABASE_URL)('finds no canary, passphrase or case code after a full round trip', { timeout: 240_000 }, async () => {
    const canaries = {
      report: canary('report'),
      when: canary('when'),
      where: canary('where'),
      who: canary('who'),
      contactDetails: canary('contact'),
      identityName: canary('name'),
      message: canary('message'),
      wishesDetails: canary('wishes'),
      fileContent: canary('filecontent'),
      fileName: `${canary('filename')}.txt`,
      reply: canary('reply'),
    };

    const w = await h.newPage({ viewport: { width: 390, height: 844 } });
    await w.page.goto(`${h.baseUrl}/acme`);
    await w.page.getByTestId('org-name').waitFor();
    const { caseCode, passphrase } = await reportThroughUi(w.page, {
      advisorName: 'Anna de Vries',
      what: `Wat er gebeurde: ${canaries.report}`,
      when: canaries.when,
      where: canaries.where,
      who: canaries.who,
      wishes: ['advice'],
      contact: 'phone',
      contactDetails: canaries.contactDetails,
      identity: { name: canaries.identityName },
      files: [{ name: canaries.fileName, mimeType: 'text/plain', buffer: Buffer.from(`${canaries.fileContent}\n`.repeat(2000)) }],
    });
    await expect.poll(() => w.page.getByTestId('upload').getAttribute('data-phase'), { timeout: 60_000 }).toBe('done');
    await passRetypeCheck(w.page, passphrase);
    await w.page.getByTestId('summary-what').waitFor({ timeout: 30_000 });
    await w.page.getByTestId('compose').fill(canaries.message);
    await w.page.getByTestId('send-message').click();
    await w.page.getByTestId('message-sent').waitFor();
    await w.page.getByTestId('change-wishes').click();
    await w.page.getByTestId('contact-details').fill(canaries.wishesDetails);
    await w.page.getByTestId('wishes-save').click();
    await w.page.locator('[data-testid="thread-item"][data-kind="wishes"]').waitFor();

    const theCase = await h.t.database.db.selectFrom('cases').select(['id', 'melder_public_key']).executeTakeFirstOrThrow();
    await advisorReplies(h.t.database.db, anna, theCase.melder_public_key!, theCase.id, canaries.reply);
    await w.page.getByTestId('refresh').click();
    await expect.poll(() => w.page.locator('[data-testid="thread-item"][data-sender="advisor"]').getByTestId('message-text').innerText()).toBe(canaries.reply);
    const fileEntry = w.page.locator('[data-testid="thread-item"][data-kind="file"]');
    await Promise.all([w.page.waitForEvent('download'), fileEntry.getByTestId('file-download').click()]);
    await w.page.getByTestId('logout').click();
    await w.page.getByTestId('logged-out').waitFor();

    const needles = [
      ...Object.values(canaries).flatMap(spellings),
      ...spellings(passphrase),
      ...spellings(caseCode),
    ];

    // Positive controls: the same scan does see a canary put into the database and into the log.
    const control = canary('control');
    await sql`INSERT INTO organisations (slug, name) VALUES ('canary-control', ${control})`.execute(h.t.database.db);
    expect(found(await pgDump(h.t.database.url!), spellings(control))).not.toEqual([]);
    await sql`DELETE FROM organisations WHERE slug = 'canary-control'`.execute(h.t.database.db);
    const logControl = canary('logcontrol');
    h.t.app.log.warn({ control: logControl }, 'positive control');
    expect(found(h.t.logs.join('\n'), spellings(logControl))).not.toEqual([]);

    const dump = await pgDump(h.t.database.url!);
    // The dump really holds the run: the case, its messages and the file's ciphertext chunks.
    expect(dump).toContain(theCase.id);
    expect(dump).toContain('-----BEGIN PGP MESSAGE-----');
    expect(found(dump, spellings(control))).toEqual([]);
    expect(found(dump, needles)).toEqual([]);

    const logs = h.t.logs.filter((line) => !line.includes(logControl)).join('\n');
    expect(h.t.logs.length).toBeGreaterThan(10);
    expect(found(logs, needles)).toEqual([]);
    expect(w.foreignRequests).toEqual([]);
    expect(await w.cspViolations()).toEqual([]);
  });
});
