// The advisor's session in this browser tab: who is logged in and, once unlocked, their private
// key — in memory only. Nothing is written to localStorage, sessionStorage or IndexedDB; the only
// trace is the server's HttpOnly session cookie. After a reload the cookie may still be valid but
// the key is gone: the advisor types the password again to unlock it ('locked'). Components call
// these methods and render the fields; every network call and every crypto step happens here.
import { ApiError } from '../api/client.ts';
import * as api from '../api/advisor.ts';
import type { AccountView, OrganisationMembership, RegistrationOptions } from '../api/advisor.ts';
import type { PrivateKeyHandle } from '../crypto/index.ts';
import { asNetworkError, loadCrypto } from '../melder/crypto.ts';
import { normaliseEmail } from './argon2-params.ts';
import { AdvisorInbox } from './inbox.svelte.ts';
import { passwordKeys, recoveryKeys } from './keys.ts';

/**
 * unknown: not asked yet; anonymous: no session; locked: a session, but the key is not unlocked
 * in this tab; unlocked: ready to work; expired: the session ended (idle, or on the server).
 */
export type AdvisorStatus = 'unknown' | 'anonymous' | 'locked' | 'unlocked' | 'expired';

/** What a slow step is doing, for the progress text. */
export type KeyStage = 'deriving' | 'checking' | 'unlocking' | 'locking' | 'saving';

/** Why the login page is shown, when not by choice. */
export type LoginNotice = 'logged_out' | 'logged_out_everywhere' | 'expired' | 'password_reset';

/** Text being written on a case: survives a network failure and a session expiry. */
export interface CaseDraft {
  reply: string;
  note: string;
  isFeedback: boolean;
}

/** A reset under way: the key is open in memory until the new password is set. */
export interface RecoveryInProgress {
  email: string;
  recoveryLoginKey: string;
  privateKey: PrivateKeyHandle;
}

/** The server ends an advisor session after 30 idle minutes; the browser forgets the key then too. */
export const IDLE_LIMIT_MS = 30 * 60_000;

/** Thrown when the session was closed while an operation was running; callers ignore it. */
export class SessionGoneError extends Error {
  override readonly name = 'SessionGoneError';
}

/** The current password does not open the private key (checked here before anything is sent). */
export class WrongPasswordError extends Error {
  override readonly name = 'WrongPasswordError';
  readonly code = 'wrong_password';
}

export class AdvisorSession {
  status = $state<AdvisorStatus>('unknown');
  account = $state<AccountView | null>(null);
  organisations = $state<OrganisationMembership[]>([]);
  notice = $state<LoginNotice | null>(null);
  /** Per case id; kept when the session expires, dropped on log out. */
  drafts = $state<Record<string, CaseDraft>>({});
  /** The email typed at login, kept so an expired session only needs the password and code again. */
  lastEmail = $state('');
  readonly inbox = new AdvisorInbox(this);

  // Never in $state: the handle must stay the exact object lib/crypto made, and nothing reactive
  // should hold a key.
  #key: PrivateKeyHandle | null = null;
  #lockedPrivateKey: string | null = null;
  #registrationOptions: Promise<RegistrationOptions> | null = null;
  #restoring: Promise<void> | null = null;
  #epoch = 0;
  #lastActivity = 0;
  #idleTimer: ReturnType<typeof setInterval> | undefined;

  get email(): string {
    return this.account?.email ?? '';
  }

  draft(caseId: string): CaseDraft {
    this.drafts[caseId] ??= { reply: '', note: '', isFeedback: false };
    return this.drafts[caseId];
  }

  /** Finds out whether this browser has a session (after a reload): `locked` or `anonymous`. */
  restore(): Promise<void> {
    if (this.status !== 'unknown') return Promise.resolve();
    this.#restoring ??= (async () => {
      try {
        const me = await api.getMe();
        if (this.status !== 'unknown') return;
        this.#setMe(me);
        this.status = 'locked';
      } catch (error) {
        if (this.status !== 'unknown') return;
        if (error instanceof ApiError && error.status === 401) this.status = 'anonymous';
        else throw asNetworkError(error);
      } finally {
        this.#restoring = null;
      }
    })();
    return this.#restoring;
  }

  /** Email + password + code: Argon2id, log in, unlock the key from the answer. */
  async logIn(input: { email: string; password: string; code: string }, onStage: (stage: KeyStage) => void): Promise<void> {
    const email = normaliseEmail(input.email);
    this.lastEmail = email;
    try {
      onStage('deriving');
      const keys = await passwordKeys(input.password, email);
      onStage('checking');
      const me = await api.logIn({ email, loginKey: keys.loginKey, totpCode: input.code });
      onStage('unlocking');
      const crypto = await loadCrypto();
      const key = await crypto.unlockPrivateKey({ armoredLockedKey: me.lockedPrivateKey, unlockKey: keys.unlockKey });
      this.#setMe(me);
      this.#open(key);
    } catch (error) {
      throw asNetworkError(error);
    }
  }

  /** After a reload: the session is there, the key is not. The password unlocks it again. */
  async unlock(password: string, onStage: (stage: KeyStage) => void): Promise<void> {
    const locked = this.#lockedPrivateKey;
    if (this.status !== 'locked' || !locked || !this.account) throw new SessionGoneError('Nothing to unlock');
    onStage('deriving');
    const keys = await passwordKeys(password, this.account.email);
    onStage('unlocking');
    this.#open(await this.#unlockOrWrongPassword(locked, keys.unlockKey));
  }

  /** Right after activation: the browser made the key and holds it; the server set the cookie. */
  async begin(input: { privateKey: PrivateKeyHandle; lockedPrivateKey: string; account: AccountView }): Promise<void> {
    this.account = input.account;
    this.lastEmail = input.account.email;
    this.#lockedPrivateKey = input.lockedPrivateKey;
    this.#open(input.privateKey);
    try {
      this.#setMe(await api.getMe());
    } catch {
      // The organisations show on the next load; the inbox works without them.
    }
  }

  /** Logs out this browser and forgets everything, drafts included. */
  async logOut(): Promise<void> {
    this.#close('anonymous');
    this.#forget();
    this.notice = 'logged_out';
    await api.logOut().catch(() => {
      // The session ends by itself after 30 idle minutes; this browser has forgotten it already.
    });
  }

  /** Ends every session of this account, on every device. */
  async logOutEverywhere(): Promise<void> {
    await this.guard(() => api.logOutEverywhere());
    this.#close('anonymous');
    this.#forget();
    this.notice = 'logged_out_everywhere';
  }

  /**
   * Re-locks the private key under a new password. The current password is checked here first
   * (it must open the stored locked key), then proven to the server with its login key.
   */
  async changePassword(input: { current: string; next: string }, onStage: (stage: KeyStage) => void): Promise<void> {
    await this.guard(async (epoch) => {
      const account = this.#requireAccount();
      const locked = this.#lockedPrivateKey;
      if (!locked) throw new SessionGoneError('No locked key');
      onStage('deriving');
      const current = await passwordKeys(input.current, account.email);
      await this.#unlockOrWrongPassword(locked, current.unlockKey);
      const next = await passwordKeys(input.next, account.email);
      onStage('locking');
      const crypto = await loadCrypto();
      const newLocked = await crypto.lockPrivateKey({ privateKey: this.requireKey(epoch), unlockKey: next.unlockKey });
      onStage('saving');
      await api.changePassword({ currentLoginKey: current.loginKey, newLoginKey: next.loginKey, newLockedPrivateKey: newLocked });
      this.requireKey(epoch);
      this.#lockedPrivateKey = newLocked;
    });
  }

  /** The private key armored and locked with `passphrase`, for `gpg --import`. */
  async exportPrivateKey(passphrase: string): Promise<string> {
    const epoch = this.#epoch;
    const crypto = await loadCrypto();
    return crypto.exportPrivateKey({ privateKey: this.requireKey(epoch), passphrase });
  }

  /** The registration form's fixed lists, fetched once. */
  registrationOptions(): Promise<RegistrationOptions> {
    this.#registrationOptions ??= this.guard(() => api.getRegistrationOptions()).catch((error: unknown) => {
      this.#registrationOptions = null;
      throw error;
    });
    return this.#registrationOptions;
  }

  /** The unlocked key, if the session that `epoch` belongs to is still open. */
  requireKey(epoch = this.#epoch): PrivateKeyHandle {
    if (epoch !== this.#epoch || !this.#key) throw new SessionGoneError('The session was closed');
    return this.#key;
  }

  /** Runs `work` in the open session; a 401 from the server ends the session here too. */
  async guard<T>(work: (epoch: number) => Promise<T>): Promise<T> {
    const epoch = this.#epoch;
    if (this.status !== 'unlocked') throw new SessionGoneError('No open session');
    this.#lastActivity = Date.now();
    try {
      return await work(epoch);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && epoch === this.#epoch) this.#expire();
      throw asNetworkError(error);
    }
  }

  /** Reset, step one: the recovery key proves who you are and opens your private key. */
  async startRecovery(input: { email: string; recoveryBytes: Uint8Array }): Promise<RecoveryInProgress> {
    try {
      const email = normaliseEmail(input.email);
      this.lastEmail = email;
      const keys = await recoveryKeys(input.recoveryBytes, email);
      const { recoveryLockedPrivateKey } = await api.startRecovery({ email, recoveryLoginKey: keys.loginKey });
      const crypto = await loadCrypto();
      const privateKey = await crypto.unlockPrivateKey({ armoredLockedKey: recoveryLockedPrivateKey, unlockKey: keys.unlockKey });
      return { email, recoveryLoginKey: keys.loginKey, privateKey };
    } catch (error) {
      throw asNetworkError(error);
    }
  }

  /** Reset, step two: the private key re-locked under a new password. The server ends every session. */
  async completeRecovery(recovery: RecoveryInProgress, password: string, onStage: (stage: KeyStage) => void): Promise<void> {
    try {
      onStage('deriving');
      const keys = await passwordKeys(password, recovery.email);
      onStage('locking');
      const crypto = await loadCrypto();
      const newLockedPrivateKey = await crypto.lockPrivateKey({ privateKey: recovery.privateKey, unlockKey: keys.unlockKey });
      onStage('saving');
      await api.completeRecovery({
        email: recovery.email, recoveryLoginKey: recovery.recoveryLoginKey, newLoginKey: keys.loginKey, newLockedPrivateKey,
      });
    } catch (error) {
      throw asNetworkError(error);
    }
    this.#close('anonymous');
    this.#forget();
    this.lastEmail = recovery.email;
    this.notice = 'password_reset';
  }

  #setMe(me: api.Me): void {
    this.account = me.account;
    this.organisations = me.organisations;
    this.#lockedPrivateKey = me.lockedPrivateKey;
    this.lastEmail = me.account.email;
  }

  #requireAccount(): AccountView {
    if (!this.account) throw new SessionGoneError('No account');
    return this.account;
  }

  async #unlockOrWrongPassword(locked: string, unlockKey: string): Promise<PrivateKeyHandle> {
    const crypto = await loadCrypto();
    try {
      return await crypto.unlockPrivateKey({ armoredLockedKey: locked, unlockKey });
    } catch (error) {
      if (error instanceof crypto.CryptoError && error.code === 'wrong_key') throw new WrongPasswordError('The password does not open the key');
      throw error;
    }
  }

  #open(key: PrivateKeyHandle): void {
    this.#close('unlocked');
    this.#key = key;
    this.notice = null;
    this.#lastActivity = Date.now();
    this.#idleTimer = setInterval(() => this.#checkIdle(), 15_000);
  }

  #close(status: AdvisorStatus): void {
    this.#epoch++;
    this.#key = null;
    if (this.#idleTimer !== undefined) clearInterval(this.#idleTimer);
    this.#idleTimer = undefined;
    this.status = status;
  }

  /** Drops what belongs to the person, not just to this session. */
  #forget(): void {
    this.account = null;
    this.organisations = [];
    this.drafts = {};
    this.#lockedPrivateKey = null;
    this.#registrationOptions = null;
    this.inbox.reset();
  }

  #expire(): void {
    if (this.status !== 'unlocked' && this.status !== 'locked') return;
    this.#close('expired');
    this.#lockedPrivateKey = null;
    this.notice = 'expired';
  }

  #checkIdle(): void {
    if (this.status === 'unlocked' && Date.now() - this.#lastActivity > IDLE_LIMIT_MS) {
      this.#expire();
      api.logOut().catch(() => {});
    }
  }
}

/** The one advisor session of this tab. */
export const advisorSession = new AdvisorSession();
