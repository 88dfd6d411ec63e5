// The melder's open case, in memory only: the unlocked private key, the case state and the
// decrypted thread. Nothing case-specific is ever written to localStorage, sessionStorage,
// IndexedDB or a cookie; the only trace is the server's HttpOnly session cookie. Components call
// these methods and render the fields; every network call and every crypto step happens here.
import { ApiError } from '../api/client.ts';
import * as api from '../api/melder.ts';
import type { CaseState, ThreadAttachment, ThreadMessage } from '../api/types.ts';
import type { PrivateKeyHandle, SignatureStatus } from '../crypto/index.ts';
import { errorCode } from '../i18n/errors.ts';
import { asNetworkError, loadCrypto, type CryptoModule } from './crypto.ts';
import { downloadAndDecrypt, encryptAndUpload } from '../attachments.ts';
import { UploadQueue, type UploadItem } from '../upload-queue.svelte.ts';
import {
  parseManifest,
  parseReport,
  parseWishesDocument,
  type FileManifest,
  type ReportDocument,
  type WishesDocument,
} from './report.ts';

export type LoginStage = 'checking' | 'unlocking' | 'decrypting';

export type MessageContent =
  | { type: 'report'; report: ReportDocument }
  | { type: 'text'; text: string }
  | { type: 'wishes'; wishes: WishesDocument }
  | { type: 'unreadable'; errorCode: string };

export interface MessageItem {
  type: 'message';
  id: string;
  senderRole: ThreadMessage['senderRole'];
  createdAt: string;
  /** An advisor message that was unread when this thread was loaded. */
  unread: boolean;
  signature: SignatureStatus;
  content: MessageContent;
}

export interface FileItem {
  type: 'file';
  id: string;
  uploaderRole: ThreadAttachment['uploaderRole'];
  createdAt: string;
  /** Size of the ciphertext on the server. */
  size: number;
  /** Null when the manifest could not be decrypted. */
  manifest: FileManifest | null;
  signature: SignatureStatus;
}

export type ThreadItem = MessageItem | FileItem;


export type SessionStatus = 'none' | 'active' | 'expired';

/** The server ends a melder session after 30 idle minutes; the browser forgets the case then too. */
export const IDLE_LIMIT_MS = 30 * 60_000;

/** Thrown when the session was wiped while an operation was running; callers ignore it. */
export class SessionGoneError extends Error {
  override readonly name = 'SessionGoneError';
}

function byTime(a: ThreadItem, b: ThreadItem): number {
  return a.createdAt.localeCompare(b.createdAt) || (a.type === b.type ? 0 : a.type === 'message' ? -1 : 1);
}

export class MelderSession {
  status = $state<SessionStatus>('none');
  caseState = $state<CaseState | null>(null);
  items = $state<ThreadItem[]>([]);
  /** Files being encrypted and uploaded, one at a time. */
  readonly uploads = new UploadQueue((item, signal) => this.#upload(item, signal), (error) => error instanceof SessionGoneError);
  /** The thread has been fetched and decrypted at least once in this session. */
  loaded = $state(false);
  /** Unsent message text: survives a session expiry, so nothing typed is lost. */
  draft = $state('');

  /** What the melder wants now: the latest `wishes` message, else the report's. */
  currentWishes: WishesDocument = $derived.by(() => {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i];
      if (item?.type !== 'message' || item.senderRole !== 'melder') continue;
      if (item.content.type === 'wishes') return item.content.wishes;
      if (item.content.type === 'report') {
        const { wishes, contact, contactDetails } = item.content.report;
        return { wishes, contact, contactDetails };
      }
    }
    return { wishes: [], contact: 'portal' };
  });

  readonly organisationSlug: string;
  // Never in $state: the handle must stay the exact object lib/crypto made, and nothing reactive
  // should hold a key.
  #key: PrivateKeyHandle | null = null;
  /** Which case the draft belongs to, so it is only kept for a login to the same case. */
  #draftCaseKey: string | null = null;
  /** Bumped on every wipe or expiry; work that started before checks it before touching state. */
  #epoch = 0;
  #lastActivity = 0;
  #idleTimer: ReturnType<typeof setInterval> | undefined;
  /** Items added here while a refresh was on its way, so that refresh does not drop them. */
  #addedLocally = new Set<string>();

  constructor(organisationSlug: string) {
    this.organisationSlug = organisationSlug;
  }

  get isClosed(): boolean {
    return this.caseState?.status === 'afgesloten';
  }

  /** After creating a case: the melder is logged in already and holds the key. */
  begin(input: { privateKey: PrivateKeyHandle; caseState: CaseState }): void {
    this.#open(input.privateKey, input.caseState);
  }

  /** Return visit: derive keys from the passphrase, log in, unlock the key, read the thread. */
  async logIn(input: { caseCode: string; passphrase: string }, onStage: (stage: LoginStage) => void): Promise<void> {
    try {
      onStage('checking');
      const crypto = await loadCrypto();
      const caseCode = crypto.normaliseCaseCode(input.caseCode);
      const derived = await crypto.deriveMelderKeys({ passphrase: input.passphrase, organisationSlug: this.organisationSlug, caseCode });
      const response = await api.logIn({ organisationSlug: this.organisationSlug, caseCode, loginKey: derived.loginKey });
      onStage('unlocking');
      const privateKey = await crypto.unlockPrivateKey({ armoredLockedKey: response.lockedPrivateKey, unlockKey: derived.unlockKey });
      this.#open(privateKey, response.case);
      onStage('decrypting');
      await this.refresh();
    } catch (error) {
      throw asNetworkError(error);
    }
  }

  /** Fetches and decrypts the whole thread; marks the advisor's new messages read. */
  async refresh(): Promise<void> {
    await this.#guard(async (epoch) => {
      const crypto = await loadCrypto();
      this.#addedLocally.clear();
      const thread = await api.getCase();
      const key = this.#requireKey(epoch);
      const decrypted = await Promise.all([
        ...thread.messages.map((message) => this.#decryptMessage(crypto, key, thread.case, message)),
        ...thread.attachments.map((attachment) => this.#decryptAttachment(crypto, key, thread.case, attachment)),
      ]);
      this.#requireKey(epoch);
      this.caseState = thread.case;
      const fetched = new Set(decrypted.map((item) => item.id));
      const meanwhile = this.items.filter((item) => this.#addedLocally.has(item.id) && !fetched.has(item.id));
      this.items = [...decrypted, ...meanwhile].sort(byTime);
      this.loaded = true;
      if (thread.messages.some((m) => m.senderRole === 'advisor' && m.readAt === null)) {
        this.#guard(() => api.markMessagesRead()).catch(() => {
          // Not marked read this time; it will be on the next load. Nothing the melder must see.
        });
      }
    });
  }

  /** Encrypts and sends the draft as a message to the advisor. */
  async sendMessage(): Promise<void> {
    const text = this.draft.trim();
    if (text === '') return;
    const sent = await this.#post('message', text, { type: 'text', text });
    if (sent && this.draft.trim() === text) this.draft = '';
  }

  /** Posts a changed "what I want". */
  async changeWishes(wishes: WishesDocument): Promise<void> {
    const document: WishesDocument = { wishes: [...wishes.wishes], contact: wishes.contact };
    const details = wishes.contact === 'portal' ? '' : (wishes.contactDetails ?? '').trim();
    if (details !== '') document.contactDetails = details;
    await this.#post('wishes', JSON.stringify(document), { type: 'wishes', wishes: document });
  }

  /** The melder ends the case (their choice, at any moment). */
  async endCase(): Promise<void> {
    await this.#guard(async (epoch) => {
      const { case: state } = await api.endCase();
      this.#requireKey(epoch);
      this.caseState = state;
    });
  }

  /** Downloads and decrypts a file; refuses one whose sender cannot be verified. */
  async downloadFile(item: FileItem): Promise<{ blob: Blob; name: string }> {
    return this.#guard(async (epoch) => {
      const crypto = await loadCrypto();
      const state = this.#requireCase();
      const stream = await api.downloadAttachmentContent(item.id);
      const file = await downloadAndDecrypt({
        crypto,
        stream,
        decryptionKey: this.#requireKey(epoch),
        senderPublicKey: item.uploaderRole === 'advisor' ? state.advisor.publicKey : state.melderPublicKey,
        manifest: item.manifest,
      });
      this.#requireKey(epoch);
      return file;
    });
  }

  /** Logs out and forgets everything. */
  async logOut(): Promise<void> {
    this.wipe();
    await api.logOut().catch(() => {
      // The session ends by itself after 30 idle minutes; the browser has forgotten it already.
    });
  }

  /** Quick exit: forget everything now and log out without waiting (the page is being replaced). */
  quickExit(): void {
    this.wipe();
    api.logOut({ keepalive: true }).catch(() => {});
  }

  /** Drops the key, the case, the thread, uploads and the draft. */
  wipe(): void {
    this.#close('none');
    this.draft = '';
    this.#draftCaseKey = null;
  }

  #open(privateKey: PrivateKeyHandle, caseState: CaseState): void {
    const caseKey = caseState.melderPublicKey;
    if (this.#draftCaseKey !== caseKey) this.draft = '';
    this.#close('active');
    this.#key = privateKey;
    this.#draftCaseKey = caseKey;
    this.caseState = caseState;
    this.#touch();
    this.#idleTimer = setInterval(() => this.#checkIdle(), 15_000);
  }

  /** Ends the in-memory session; `expired` keeps the draft for the next login. */
  #close(status: SessionStatus): void {
    this.#epoch++;
    this.#key = null;
    this.caseState = null;
    this.items = [];
    this.loaded = false;
    this.uploads.clear();
    if (this.#idleTimer !== undefined) clearInterval(this.#idleTimer);
    this.#idleTimer = undefined;
    this.status = status;
  }

  #expire(): void {
    if (this.status === 'active') this.#close('expired');
  }

  #checkIdle(): void {
    if (this.status === 'active' && Date.now() - this.#lastActivity > IDLE_LIMIT_MS) {
      this.#expire();
      api.logOut().catch(() => {});
    }
  }

  #touch(): void {
    this.#lastActivity = Date.now();
  }

  #requireKey(epoch: number): PrivateKeyHandle {
    if (epoch !== this.#epoch || !this.#key) throw new SessionGoneError('The session was closed');
    return this.#key;
  }

  #requireCase(): CaseState {
    if (!this.caseState) throw new SessionGoneError('No open case');
    return this.caseState;
  }

  /** Runs `work` for the current session; a 401 from the server ends the session here too. */
  async #guard<T>(work: (epoch: number) => Promise<T>): Promise<T> {
    const epoch = this.#epoch;
    if (this.status !== 'active') throw new SessionGoneError('No open session');
    this.#touch();
    try {
      return await work(epoch);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && epoch === this.#epoch) this.#expire();
      throw asNetworkError(error);
    }
  }

  async #post(kind: 'message' | 'wishes', text: string, content: MessageContent): Promise<boolean> {
    return this.#guard(async (epoch) => {
      const crypto = await loadCrypto();
      const state = this.#requireCase();
      const ciphertext = await crypto.encryptMessage({
        text,
        armoredRecipientKeys: [state.melderPublicKey, state.advisor.publicKey],
        signingKey: this.#requireKey(epoch),
      });
      try {
        const { message } = await api.postMessage({ kind, ciphertext });
        this.#requireKey(epoch);
        this.#addedLocally.add(message.id);
        this.items.push({ type: 'message', id: message.id, senderRole: 'melder', createdAt: message.createdAt, unread: false, signature: 'valid', content });
        return true;
      } catch (error) {
        // The advisor may have closed the case meanwhile: show its real state.
        if (error instanceof ApiError && error.code === 'case_closed') {
          api.getCase().then((thread) => {
            if (epoch === this.#epoch) this.caseState = thread.case;
          }, () => {});
        }
        throw error;
      }
    });
  }

  async #upload(item: UploadItem, signal: AbortSignal): Promise<void> {
    await this.#guard(async (epoch) => {
      const crypto = await loadCrypto();
      const state = this.#requireCase();
      const uploaded = await encryptAndUpload({
        crypto,
        file: item.file,
        recipients: [state.melderPublicKey, state.advisor.publicKey],
        signingKey: this.#requireKey(epoch),
        create: (encryptedManifest) => api.createAttachment({ encryptedManifest }),
        upload: (id, content, options) => api.uploadAttachmentContent(id, content, options),
        signal,
        onProgress: (phase, progress) => {
          item.phase = phase;
          item.progress = progress;
        },
      });
      this.#requireKey(epoch);
      this.#addedLocally.add(uploaded.id);
      this.items.push({
        type: 'file',
        id: uploaded.id,
        uploaderRole: 'melder',
        createdAt: new Date().toISOString(),
        size: uploaded.size,
        manifest: uploaded.manifest,
        signature: 'valid',
      });
    });
  }

  async #decryptMessage(crypto: CryptoModule, key: PrivateKeyHandle, state: CaseState, message: ThreadMessage): Promise<MessageItem> {
    const base = {
      type: 'message' as const,
      id: message.id,
      senderRole: message.senderRole,
      createdAt: message.createdAt,
      unread: message.senderRole === 'advisor' && message.readAt === null,
    };
    try {
      const { text, signature } = await crypto.decryptMessage({
        armoredMessage: message.ciphertext,
        decryptionKey: key,
        armoredVerificationKeys: [message.senderRole === 'advisor' ? state.advisor.publicKey : state.melderPublicKey],
      });
      return { ...base, signature, content: this.#contentOf(message.kind, text) };
    } catch (error) {
      return { ...base, signature: 'invalid', content: { type: 'unreadable', errorCode: errorCode(error) } };
    }
  }

  #contentOf(kind: ThreadMessage['kind'], text: string): MessageContent {
    if (kind === 'report') return { type: 'report', report: parseReport(text) };
    if (kind === 'wishes') {
      const wishes = parseWishesDocument(text);
      if (wishes) return { type: 'wishes', wishes };
    }
    return { type: 'text', text };
  }

  async #decryptAttachment(crypto: CryptoModule, key: PrivateKeyHandle, state: CaseState, attachment: ThreadAttachment): Promise<FileItem> {
    const base = { type: 'file' as const, id: attachment.id, uploaderRole: attachment.uploaderRole, createdAt: attachment.createdAt, size: attachment.size };
    try {
      const { text, signature } = await crypto.decryptMessage({
        armoredMessage: attachment.encryptedManifest,
        decryptionKey: key,
        armoredVerificationKeys: [attachment.uploaderRole === 'advisor' ? state.advisor.publicKey : state.melderPublicKey],
      });
      return { ...base, manifest: parseManifest(text), signature };
    } catch {
      return { ...base, manifest: null, signature: 'invalid' };
    }
  }
}
