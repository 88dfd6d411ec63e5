// Drives Debian's Chromium with playwright-core (never a downloaded browser) against the real
// server listening on 127.0.0.1, and records what a careful auditor would look for: console
// errors, CSP violations and requests to any origin but the server's.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { DatabaseKind } from '../../server/db/connect.ts';
import { createTestApp, type TestApp } from './app.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserHarness {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh context (like a fresh browser profile) with a watched page. */
  newPage(options?: { viewport?: { width: number; height: number }; locale?: string }): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  consoleErrors: string[];
  foreignRequests: string[];
  cspViolations(): Promise<string[]>;
}

export async function startBrowserHarness(kind: DatabaseKind, env: Record<string, string> = {}): Promise<BrowserHarness> {
  const t = await createTestApp(kind, { env });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  // playwright's launch() gives Chromium a fresh, empty --user-data-dir of its own (in the
  // system temp folder, removed on close); it refuses the flag being passed by hand.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
  return {
    t,
    baseUrl,
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, locale: options.locale ?? 'nl-NL', acceptDownloads: true });
      await context.addInitScript(() => {
        (window as unknown as { __csp: string[] }).__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => {
          (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      const foreignRequests: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') consoleErrors.push(msg.text());
      });
      page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
      context.on('request', (req) => {
        const url = req.url();
        if (!url.startsWith(baseUrl) && !url.startsWith('data:') && !url.startsWith('blob:') && !url.startsWith('about:')) foreignRequests.push(url);
      });
      return {
        page,
        context,
        consoleErrors,
        foreignRequests,
        cspViolations: async () => {
          const all: string[] = [];
          for (const p of context.pages()) {
            try {
              all.push(...(await p.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])));
            } catch {
              /* page gone */
            }
          }
          return all;
        },
      };
    },
    async close() {
      await browser.close().catch(() => {});
      await t.close();
    },
  };
}

// --- Melder UI drivers: the melder round-trip, canary and screenshot tests walk the real UI with these.

export interface UiFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export interface UiReport {
  advisorName: string;
  what: string;
  kind?: 'ongewenst_gedrag' | 'misstand';
  category?: string;
  when?: string;
  where?: string;
  who?: string;
  wishes?: string[];
  contact?: 'portal' | 'phone' | 'meeting';
  contactDetails?: string;
  identity?: { name?: string; role?: string; phone?: string; email?: string };
  files?: UiFile[];
  /** Called once each wizard step is on screen (and at 'sending'), e.g. to record the URL or take a screenshot. */
  onStep?: (step: string) => Promise<void>;
}

/** Waits until the wizard shows `step` and its heading has focus. */
export async function wizardAt(page: Page, step: string): Promise<void> {
  await page.locator(`[data-testid="report-wizard"][data-step="${step}"]`).waitFor();
}

/** From the organisation page: makes a report through the wizard and returns the receipt's credentials. */
export async function reportThroughUi(page: Page, report: UiReport): Promise<{ caseCode: string; passphrase: string }> {
  const step = async (name: string) => {
    await wizardAt(page, name);
    await report.onStep?.(name);
  };
  await page.getByTestId('start-report').click();
  await step('kind');
  await page.getByTestId(`kind-${report.kind ?? 'ongewenst_gedrag'}`).click();
  await page.getByTestId(`category-${report.category ?? 'pesten'}`).click();
  await page.getByTestId('wizard-next').click();
  await step('advisor');
  await page.locator('label.choice', { hasText: report.advisorName }).click();
  await page.getByTestId('wizard-next').click();
  await step('what');
  await page.getByTestId('report-what').fill(report.what);
  if (report.when) await page.getByTestId('report-when').fill(report.when);
  if (report.where) await page.getByTestId('report-where').fill(report.where);
  if (report.who) await page.getByTestId('report-who').fill(report.who);
  await page.getByTestId('wizard-next').click();
  await step('wishes');
  for (const wish of report.wishes ?? []) await page.getByTestId(`wish-${wish}`).click();
  if (report.contact) await page.getByTestId(`contact-${report.contact}`).click();
  if (report.contactDetails) await page.getByTestId('contact-details').fill(report.contactDetails);
  await page.getByTestId('wizard-next').click();
  await step('identity');
  if (report.identity) {
    await page.getByTestId('identity-reveal').click();
    for (const [field, value] of Object.entries(report.identity)) if (value) await page.getByTestId(`identity-${field}`).fill(value);
  }
  await page.getByTestId('wizard-next').click();
  await step('files');
  if (report.files?.length) {
    await page.getByTestId('file-input').setInputFiles(report.files);
    await page.getByTestId('chosen-files').waitFor();
  }
  await page.getByTestId('wizard-next').click();
  await step('review');
  await page.getByTestId('send-report').click();
  await report.onStep?.('sending');
  const receipt = page.getByTestId('receipt');
  await receipt.waitFor({ timeout: 60_000 });
  const caseCode = await page.getByTestId('receipt-case-code').getAttribute('data-value');
  const passphrase = await page.getByTestId('receipt-passphrase').getAttribute('data-value');
  if (!caseCode || !passphrase) throw new Error('the receipt shows no credentials');
  return { caseCode, passphrase };
}

/** On the receipt: retypes the passphrase's last group (upper-case, to prove case does not matter) and opens the mailbox. */
export async function passRetypeCheck(page: Page, passphrase: string): Promise<void> {
  const last = passphrase.split('-').at(-1) ?? '';
  await page.getByTestId('retype').fill(last.toUpperCase());
  await page.getByTestId('retype-continue').click();
  await page.getByTestId('mailbox').waitFor();
}

/** From the organisation page: "Terug naar mijn melding" with code + passphrase, to the loaded mailbox. */
export async function returnThroughUi(page: Page, caseCode: string, passphrase: string): Promise<void> {
  await page.getByTestId('return-to-report').click();
  await page.getByTestId('return-code').fill(caseCode);
  await page.getByTestId('return-passphrase').fill(passphrase);
  await page.getByTestId('return-submit').click();
  await page.getByTestId('mailbox').waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="thread-item"][data-kind="report"]').waitFor({ timeout: 60_000 });
}

// --- Advisor UI drivers: the advisor round-trip and screenshot tests walk the real UI with these.

export interface UiActivation {
  /** The recovery key as the page showed it (8 groups of 4). */
  recoveryKey: string;
  /** The TOTP secret as the page showed it (base32). */
  totpSecret: string;
}

/**
 * Opens `/advisor/activate#<token>` and activates through the three steps: password, recovery
 * key (retyping its last two groups), authenticator app (a code computed from the secret on the
 * page, as an app would). Ends on the inbox.
 */
export async function activateThroughUi(
  page: Page,
  input: { baseUrl: string; token: string; password: string; totpCode: (secret: string) => Promise<string>; onStep?: (step: string) => Promise<void> },
): Promise<UiActivation> {
  await page.goto(`${input.baseUrl}/advisor/activate#${input.token}`);
  await page.locator('[data-testid="activate"][data-step="password"]').waitFor({ timeout: 60_000 });
  await input.onStep?.('password');
  await page.getByTestId('activate-password').fill(input.password);
  await page.getByTestId('activate-repeat').fill(input.password);
  await input.onStep?.('password-filled');
  await page.getByTestId('password-next').click();
  // Argon2id (64 MiB) and key generation run in the browser: generous on a slow machine.
  await page.getByTestId('recovery-step').waitFor({ timeout: 120_000 });
  const recoveryKey = await page.getByTestId('recovery-key').getAttribute('data-value');
  if (!recoveryKey) throw new Error('the page shows no recovery key');
  await input.onStep?.('recovery');
  await page.getByTestId('recovery-retype').fill(recoveryKey.split('-').slice(-2).join(' ').toLowerCase());
  await page.getByTestId('recovery-next').click();
  await page.getByTestId('totp-step').waitFor();
  const totpSecret = await page.getByTestId('totp-secret').getAttribute('data-value');
  if (!totpSecret) throw new Error('the page shows no TOTP secret');
  await input.onStep?.('totp');
  await page.getByTestId('totp-code').fill(await input.totpCode(totpSecret));
  await page.getByTestId('activate-submit').click();
  await page.getByTestId('inbox').waitFor({ timeout: 60_000 });
  return { recoveryKey, totpSecret };
}

/** On an advisor page that shows the login form: email, password, code → the page behind it. */
export async function advisorLoginThroughUi(page: Page, input: { email: string; password: string; code: string }): Promise<void> {
  await page.getByTestId('login-email').fill(input.email);
  await page.getByTestId('login-password').fill(input.password);
  await page.getByTestId('login-code').fill(input.code);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('advisor-nav').waitFor({ timeout: 120_000 });
}

// --- Organisation fixtures: the public page, admin, register and jaarverslag tests use these.

/** A small PNG logo (a coloured bar with a darker square), encoded here: no image files in the repo. */
export async function logoPng(width = 240, height = 64): Promise<Buffer> {
  const { deflateSync } = await import('node:zlib');
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const square = x > 8 && x < 56 && y > 8 && y < height - 8;
      const [r, g, b] = square ? [120, 40, 90] : x < 64 ? [255, 255, 255] : [176, 74, 142];
      raw.set([r, g, b], y * (width * 3 + 1) + 1 + x * 3);
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface SeededCase {
  kind: 'ongewenst_gedrag' | 'misstand';
  category: string;
  /** Days after 1 January of the year. */
  day: number;
  replyDays?: number;
  feedback?: 'in_time' | 'late';
  closed?: boolean;
  registration?: { help: string[]; outcome: string };
}

/**
 * Writes a believable year of cases (and some of the year before) straight into the database,
 * as the melder and advisor APIs would have left them: dates, status, registration — no
 * contents. For the register, the jaarverslag and the admin's open-case counts.
 */
export async function seedOrganisationCases(
  db: import('kysely').Kysely<import('../../server/db/database.ts').Database>,
  input: { organisationId: string; advisorId: string; year: number; now?: Date },
): Promise<{ references: string[] }> {
  const { randomUUID } = await import('node:crypto');
  const { addMonths } = await import('../../server/modules/cases/deadlines.ts');
  const now = input.now ?? new Date();
  const DAY = 86_400_000;
  const og = 'ongewenst_gedrag' as const;
  const m = 'misstand' as const;
  const talk = { help: ['listening_ear', 'advice'], outcome: 'resolved' };
  const plan = (year: number, cases: SeededCase[]) => cases.map((c) => ({ ...c, year }));
  const spread = (n: number, base: Omit<SeededCase, 'day'>, from: number, step: number) =>
    Array.from({ length: n }, (_, i) => ({ ...base, day: from + i * step }));
  const all = [
    ...plan(input.year, [
      ...spread(9, { kind: og, category: 'pesten', replyDays: 2, closed: true, registration: talk }, 8, 31),
      ...spread(6, { kind: og, category: 'discriminatie', replyDays: 3, closed: true, registration: { help: ['advice', 'mediation'], outcome: 'partly_resolved' } }, 20, 45),
      ...spread(5, { kind: og, category: 'werkdruk', replyDays: 1, registration: { help: ['listening_ear', 'referral'], outcome: 'referred' } }, 40, 50),
      ...spread(2, { kind: og, category: 'seksuele_intimidatie', replyDays: 1, registration: { help: ['formal_complaint_support'], outcome: 'unknown' } }, 90, 60),
      ...spread(6, { kind: m, category: 'fraude', replyDays: 4, feedback: 'in_time', closed: true, registration: { help: ['misstand_investigation'], outcome: 'resolved' } }, 15, 30),
      ...spread(4, { kind: m, category: 'belangenverstrengeling', replyDays: 6, feedback: 'in_time' }, 100, 40),
      ...spread(2, { kind: m, category: 'corruptie', replyDays: 9, feedback: 'late' }, 60, 90),
      { kind: m, category: 'fraude', day: 300 },
    ]),
    ...plan(input.year - 1, [
      ...spread(7, { kind: og, category: 'pesten', replyDays: 4, closed: true, registration: talk }, 30, 40),
      ...spread(5, { kind: og, category: 'discriminatie', replyDays: 5, closed: true, registration: talk }, 50, 50),
      ...spread(5, { kind: m, category: 'fraude', replyDays: 7, feedback: 'in_time', closed: true, registration: { help: ['misstand_investigation'], outcome: 'resolved' } }, 40, 60),
    ]),
  ];
  const references: string[] = [];
  let n = 0;
  for (const c of all) {
    const received = new Date(Date.UTC(c.year, 0, 1, 9, 30) + c.day * DAY);
    if (received > now) continue;
    const reply = c.replyDays === undefined ? null : new Date(received.getTime() + c.replyDays * DAY);
    const feedbackDue = c.kind === 'misstand' ? addMonths(received, 3) : null;
    const feedbackGiven = feedbackDue && c.feedback && feedbackDue < now
      ? new Date(feedbackDue.getTime() + (c.feedback === 'in_time' ? -10 : 12) * DAY)
      : null;
    const closed = c.closed ? new Date(Math.min(now.getTime() - DAY, (feedbackGiven ?? reply ?? received).getTime() + 20 * DAY)) : null;
    const reference = `K-S${String(++n).padStart(3, '0')}${randomUUID().slice(0, 4).toUpperCase()}`;
    references.push(reference);
    await db.insertInto('cases').values({
      organisation_id: input.organisationId, code_digest: `seed-${randomUUID()}`, reference, kind: c.kind, category: c.category,
      advisor_id: input.advisorId, status: closed ? 'afgesloten' : reply ? 'in_behandeling' : 'nieuw',
      registration: c.registration ? JSON.stringify({ behaviour: [c.category], ...c.registration }) : null,
      created_at: received, acknowledged_at: received, first_reply_due_at: new Date(received.getTime() + 7 * DAY), first_reply_at: reply,
      feedback_due_at: feedbackDue, feedback_given_at: feedbackGiven, closed_at: closed, closed_by: closed ? 'advisor' : null,
      last_activity_at: closed ?? reply ?? received,
    }).execute();
  }
  return { references };
}
