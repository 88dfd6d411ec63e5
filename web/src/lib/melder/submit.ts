// Sending a new report: credentials, keys, encryption, creating the case. Kept apart from the
// wizard's components so a retry after a network failure reuses what is still valid and the
// melder never retypes anything: the same melder key, and the same reserved credentials while
// the reservation lasts. If the server says the reservation is gone, it fetches new credentials
// and tries again by itself — so the receipt always shows the credentials that actually worked.
import { ApiError } from '../api/client.ts';
import * as api from '../api/melder.ts';
import type { CaseKind, CaseState, IssuedCredentials } from '../api/types.ts';
import type { PrivateKeyHandle } from '../crypto/index.ts';
import { asNetworkError, loadCrypto } from './crypto.ts';
import type { ReportDocument } from './report.ts';

export type SubmitStage = 'keys' | 'encrypting' | 'sending';

export interface SubmitInput {
  organisationSlug: string;
  kind: CaseKind;
  category: string;
  advisor: { id: string; publicKey: string };
  report: ReportDocument;
}

export interface SubmittedCase {
  caseCode: string;
  passphrase: string;
  caseState: CaseState;
  privateKey: PrivateKeyHandle;
}

interface MelderKey {
  armoredPublicKey: string;
  privateKey: PrivateKeyHandle;
}

/** Use reserved credentials only with this much time left; otherwise ask for new ones. */
const RESERVATION_MARGIN_MS = 60_000;

export class ReportSubmission {
  #key: Promise<MelderKey> | undefined;
  #credentials: IssuedCredentials | undefined;
  /** The last create failed on the network: the case may exist on the server after all. */
  #maybeCreated = false;

  /** Loads the crypto module and makes the melder's key pair in the background while they type. */
  prepare(): void {
    if (this.#key) return;
    const key = loadCrypto().then((crypto) => crypto.generateKey({ name: 'Melder' }));
    key.catch(() => {
      if (this.#key === key) this.#key = undefined;
    });
    this.#key = key;
  }

  async send(input: SubmitInput, onStage: (stage: SubmitStage) => void): Promise<SubmittedCase> {
    try {
      return await this.#send(input, onStage, true);
    } catch (error) {
      throw asNetworkError(error);
    }
  }

  async #send(input: SubmitInput, onStage: (stage: SubmitStage) => void, mayRenew: boolean): Promise<SubmittedCase> {
    onStage('keys');
    const crypto = await loadCrypto();
    this.prepare();
    const key = await this.#key!;
    if (!this.#credentialsUsable()) {
      this.#credentials = await api.issueCredentials(input.organisationSlug);
      this.#maybeCreated = false;
    }
    const credentials = this.#credentials!;
    const derived = await crypto.deriveMelderKeys({
      passphrase: credentials.passphrase,
      organisationSlug: input.organisationSlug,
      caseCode: credentials.caseCode,
    });
    const lockedKey = await crypto.lockPrivateKey({ privateKey: key.privateKey, unlockKey: derived.unlockKey });

    onStage('encrypting');
    const report = await crypto.encryptMessage({
      text: JSON.stringify(input.report),
      armoredRecipientKeys: [key.armoredPublicKey, input.advisor.publicKey],
      signingKey: key.privateKey,
    });

    onStage('sending');
    try {
      const created = await api.createCase({
        organisationSlug: input.organisationSlug,
        caseCode: credentials.caseCode,
        loginKey: derived.loginKey,
        melderPublicKey: key.armoredPublicKey,
        melderLockedPrivateKey: lockedKey,
        kind: input.kind,
        category: input.category,
        advisorId: input.advisor.id,
        report,
      });
      return this.#done(credentials, created.case, key.privateKey);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'network') {
        this.#maybeCreated = true;
        throw error;
      }
      if (error.code !== 'reservation_invalid') throw error;
      // Used or expired. If our own earlier attempt used it, the case exists: log in to it.
      if (this.#maybeCreated) {
        const existing = await this.#existingCase(input.organisationSlug, credentials.caseCode, derived.loginKey);
        if (existing) return this.#done(credentials, existing, key.privateKey);
      }
      this.#credentials = undefined;
      this.#maybeCreated = false;
      if (mayRenew) return this.#send(input, onStage, false);
      throw error;
    }
  }

  #credentialsUsable(): boolean {
    if (!this.#credentials) return false;
    return Date.parse(this.#credentials.expiresAt) - Date.now() > RESERVATION_MARGIN_MS;
  }

  async #existingCase(organisationSlug: string, caseCode: string, loginKey: string): Promise<CaseState | null> {
    try {
      return (await api.logIn({ organisationSlug, caseCode, loginKey })).case;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'login_failed') return null;
      throw error;
    }
  }

  #done(credentials: IssuedCredentials, caseState: CaseState, privateKey: PrivateKeyHandle): SubmittedCase {
    // Used up: a further report would get its own key and credentials.
    this.#credentials = undefined;
    this.#key = undefined;
    this.#maybeCreated = false;
    return { caseCode: credentials.caseCode, passphrase: credentials.passphrase, caseState, privateKey };
  }
}
