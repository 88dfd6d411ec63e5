// TypeBox schemas of the first-run setup. The browser derives the admin's keys exactly as at an
// advisor's activation (password → Argon2id → login key + key-unlocking key; a recovery key;
// a TOTP secret it generated); the server receives derived and locked material only.
import { Type, type Static } from 'typebox';
import { ArmoredKey, LoginKey } from '../melder/schema.ts';
import { ArmoredPrivateKey, Email, TotpCode, TotpSecret } from '../advisor/schema.ts';

export { ErrorResponse } from '../../lib/schema.ts';
export { MeResponse } from '../advisor/schema.ts';

export const SetupStatusResponse = Type.Object({
  needed: Type.Boolean({ description: 'true while no organisation exists: show the setup wizard' }),
});

export const SetupBody = Type.Object(
  {
    setupToken: Type.String({ minLength: 1, maxLength: 100, description: 'printed by the server at start-up and by `npm run cli -- setup:token`; spaces and hyphens optional' }),
    organisation: Type.Object(
      {
        slug: Type.String({ minLength: 1, maxLength: 48, description: 'the public page\'s address: /<slug>' }),
        name: Type.String({ minLength: 1, maxLength: 200 }),
      },
      { additionalProperties: false },
    ),
    admin: Type.Object(
      {
        email: Email,
        name: Type.String({ minLength: 1, maxLength: 200 }),
        loginKey: LoginKey,
        publicKey: ArmoredKey,
        lockedPrivateKey: ArmoredPrivateKey,
        recoveryLoginKey: LoginKey,
        recoveryLockedPrivateKey: ArmoredPrivateKey,
        totpSecret: TotpSecret,
        totpCode: TotpCode,
      },
      { additionalProperties: false },
    ),
    adminIsAdvisor: Type.Boolean({ description: 'also make the admin the organisation\'s first advisor' }),
  },
  { additionalProperties: false },
);
export type SetupBody = Static<typeof SetupBody>;
