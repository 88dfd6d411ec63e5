// Operator commands: `npm run cli -- <command> [--flags]`. Bad arguments print the usage line
// and exit non-zero.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { connectDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { AppError } from './lib/errors.ts';
import { createOrganisation } from './modules/organisations/service.ts';
import { activationLink, inviteStaff } from './modules/accounts/service.ts';
import { verifyAuditChain } from './modules/audit/service.ts';
import { runRetention } from './modules/retention/service.ts';
import { ensureSetupToken } from './modules/setup/service.ts';

const USAGE = `usage: npm run cli -- <command>
  migrate                                                 apply pending database migrations
  org:create --slug <slug> --name <name>                  create an organisation
  advisor:invite --org <slug> --email <email> --name <name> [--external]
                                                          invite an advisor; prints a one-time activation link
  audit:verify                                            check the audit log's hash chain; names the first broken link
  setup:token                                             print the one-time token of the setup wizard (while no organisation exists)
  retention:run                                           delete the contents of cases past their retention period now; clean up`;

class UsageError extends Error {}

type Flags = Record<string, string | boolean | undefined>;

function need(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`missing --${name}`);
  return v;
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n')[0] ?? '';
}

export async function runCli(argv: string[], out: (line: string) => void = console.log, input?: () => Promise<string>): Promise<number> {
  const [command, ...rest] = argv;
  let flags: Flags;
  try {
    flags = parseArgs({
      args: rest,
      options: { slug: { type: 'string' }, name: { type: 'string' }, org: { type: 'string' }, email: { type: 'string' }, external: { type: 'boolean' }, out: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values as Flags;
  } catch (err) {
    out(`error: ${(err as Error).message}\n${USAGE}`);
    return 64;
  }
  const commands: Record<string, true> = {
    migrate: true, 'org:create': true, 'advisor:invite': true, 'audit:verify': true, 'setup:token': true, 'retention:run': true, 'advisor:export-key': true,
  };
  if (!command || !commands[command]) {
    out(command ? `error: unknown command "${command}"\n${USAGE}` : USAGE);
    return 64;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      out(`configuration error — ${err.message}`);
      return 2;
    }
    throw err;
  }
  const database = await connectDatabase(config);
  try {
    const applied = await migrateToLatest(database.db);
    if (command === 'migrate') {
      out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } else if (command === 'org:create') {
      const org = await createOrganisation(database.db, { slug: need(flags, 'slug'), name: need(flags, 'name') });
      out(`created organisation "${org.name}" — public page: ${config.publicUrl}/${org.slug}`);
    } else if (command === 'advisor:invite') {
      const result = await inviteStaff(database.db, {
        organisationSlug: need(flags, 'org'),
        email: need(flags, 'email'),
        name: need(flags, 'name'),
        affiliation: flags.external ? 'external' : 'internal',
      });
      if (result.token) {
        out(`activation link (valid until ${result.expiresAt?.toISOString()}, works once):\n${activationLink(config.publicUrl, result.token)}`);
      } else {
        out('this advisor is active already and now also serves this organisation');
      }
    } else if (command === 'advisor:export-key') {
      const email = need(flags, 'email').trim().toLowerCase();
      const password = (await (input ?? readStdinLine)()).replace(/\r?\n$/, '');
      const account = await database.db.selectFrom('accounts').select(['locked_private_key', 'status']).where('email', '=', email).executeTakeFirst();
      const crypto = await import('../web/src/lib/crypto/index.ts');
      const { advisorKeysFromPassword } = await import('./lib/advisor-password.ts');
      let armored: string;
      try {
        if (!account?.locked_private_key || account.status !== 'active') throw new Error('no key');
        const { unlockKey } = await advisorKeysFromPassword(password, email);
        const privateKey = await crypto.unlockPrivateKey({ armoredLockedKey: account.locked_private_key, unlockKey });
        armored = await crypto.exportPrivateKey({ privateKey, passphrase: password });
      } catch {
        out('error: no active account with this email and password');
        return 1;
      }
      if (typeof flags.out === 'string') {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(flags.out, armored, { mode: 0o600 });
        out(`private key written to ${flags.out} (locked with your password): gpg --import ${flags.out}`);
      } else {
        out(armored);
      }
    } else if (command === 'audit:verify') {
      const result = await verifyAuditChain(database.db);
      if (!result.ok) {
        out(`audit log BROKEN at event ${result.firstBroken?.id} (${result.firstBroken?.reason}); ${result.checked} events before it are intact`);
        return 3;
      }
      out(`audit log intact: ${result.checked} events`);
    } else if (command === 'setup:token') {
      const token = await ensureSetupToken(database.db);
      out(token
        ? `setup token (for the setup wizard at ${config.publicUrl}/): ${token}`
        : 'setup is done: an organisation exists, so there is no setup token');
    } else if (command === 'retention:run') {
      const r = await runRetention(database.db);
      out(r.ran
        ? `retention: ${r.casesEmptied} case(s) emptied; removed ${r.reservations} expired reservation(s), ${r.sessions} session(s), ${r.uploads} abandoned upload(s)`
        : 'retention: another run is in progress; nothing done');
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      out(`error: ${err.message}\n${USAGE}`);
      return 64;
    }
    if (err instanceof AppError) {
      out(`error: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error('error:', err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
