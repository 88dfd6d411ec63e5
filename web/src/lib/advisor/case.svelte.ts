// One case as the advisor works on it, in memory only: the thread decrypted with the advisor's
// key and every signature checked (the melder's messages against the case's melder key, mine
// against my own), replies to melder + me, private notes to me alone, files both ways, status
// and the registration for the annual report.
import { ApiError } from '../api/client.ts';
import * as api from '../api/advisor.ts';
import type { AdvisorCaseState, AdvisorMessage, CaseStatus, Registration, ThreadAttachment } from '../api/advisor.ts';
import { downloadAndDecrypt, encryptAndUpload } from '../attachments.ts';
import type { PrivateKeyHandle, SignatureStatus } from '../crypto/index.ts';
import { errorCode } from '../i18n/errors.ts';
import { loadCrypto, type CryptoModule } from '../melder/crypto.ts';
import { parseManifest, parseReport, parseWishesDocument } from '../melder/report.ts';
import type { FileItem, MessageContent } from '../melder/session.svelte.ts';
import { SessionGoneError, type AdvisorSession } from './session.svelte.ts';
import { UploadQueue, type UploadItem } from '../upload-queue.svelte.ts';

// The decrypted shapes are the melder's (one reading of the same documents); an advisor's
// message item also knows its kind, since notes appear in the same thread.
export type { FileItem, MessageContent };

export interface MessageItem {
  type: 'message';
  id: string;
  senderRole: AdvisorMessage['senderRole'];
  kind: AdvisorMessage['kind'];
  createdAt: string;
  /** A melder message that was unread when this case was opened. */
  unread: boolean;
  signature: SignatureStatus;
  content: MessageContent;
}

export type CaseItem = MessageItem | FileItem;

/** The status changes the server allows (mirrors TRANSITIONS in server/modules/advisor/case-service.ts). */
const TRANSITIONS: Partial<Record<CaseStatus, CaseStatus[]>> = {
  nieuw: ['in_behandeling'],
  in_behandeling: ['nazorg', 'afgesloten'],
  nazorg: ['afgesloten'],
  afgesloten: ['nazorg'],
};

function byTime(a: CaseItem, b: CaseItem): number {
  return a.createdAt.localeCompare(b.createdAt) || (a.type === b.type ? 0 : a.type === 'message' ? -1 : 1);
}

export class AdvisorCase {
  state = $state<AdvisorCaseState | null>(null);
  items = $state<CaseItem[]>([]);
  /** Files being encrypted and uploaded, one at a time. */
  readonly uploads = new UploadQueue((item, signal) => this.#upload(item, signal), (error) => error instanceof SessionGoneError);
  loaded = $state(false);

  /** Where the case may go from here. */
  nextStatuses: CaseStatus[] = $derived.by(() => {
    const state = this.state;
    if (!state) return [];
    if (state.status === 'afgesloten' && state.closedBy === 'melder') return [];
    return TRANSITIONS[state.status] ?? [];
  });

  readonly id: string;
  readonly #session: AdvisorSession;

  constructor(session: AdvisorSession, id: string) {
    this.#session = session;
    this.id = id;
  }

  get isClosed(): boolean {
    return this.state?.status === 'afgesloten' || this.state?.status === 'overgedragen';
  }

  /** Fetches and decrypts the whole case; marks the melder's new messages read. */
  async load(): Promise<void> {
    await this.#session.guard(async (epoch) => {
      const crypto = await loadCrypto();
      const thread = await api.getCase(this.id);
      const key = this.#session.requireKey(epoch);
      const mine = this.#myPublicKey(thread.case);
      const items = await Promise.all([
        ...thread.messages.map((m) => this.#decryptMessage(crypto, key, thread.case, mine, m)),
        ...thread.attachments.map((a) => this.#decryptAttachment(crypto, key, thread.case, mine, a)),
      ]);
      this.#session.requireKey(epoch);
      this.state = thread.case;
      this.items = items.sort(byTime);
      this.loaded = true;
      if (thread.messages.some((m) => m.senderRole === 'melder' && m.readAt === null)) {
        this.#session.guard(() => api.markMessagesRead(this.id)).catch(() => {
          // Not marked read this time; it will be next time the case is opened.
        });
      }
    });
  }

  /** A reply to the melder, encrypted to the melder and me and signed by me. */
  async reply(text: string, isFeedback: boolean): Promise<void> {
    await this.#post('message', text, isFeedback);
  }

  /** A private note: encrypted to me alone. */
  async addNote(text: string): Promise<void> {
    await this.#post('note', text, false);
  }

  async changeStatus(status: CaseStatus): Promise<void> {
    await this.#session.guard(async () => {
      try {
        const { case: state } = await api.changeStatus(this.id, status);
        this.state = state;
      } catch (error) {
        // The melder may have ended the case meanwhile: show the real state.
        if (error instanceof ApiError && error.code === 'invalid_transition') void this.#refreshState();
        throw error;
      }
    });
  }

  async saveRegistration(registration: Registration): Promise<void> {
    await this.#session.guard(async () => {
      const saved = await api.saveRegistration(this.id, registration);
      if (this.state) this.state = { ...this.state, registration: saved.registration };
    });
  }

  /** Downloads and decrypts a file; refuses one whose sender cannot be verified. */
  async downloadFile(item: FileItem): Promise<{ blob: Blob; name: string }> {
    return this.#session.guard(async (epoch) => {
      const crypto = await loadCrypto();
      const state = this.#requireState();
      const stream = await api.downloadAttachmentContent(this.id, item.id);
      return downloadAndDecrypt({
        crypto,
        stream,
        decryptionKey: this.#session.requireKey(epoch),
        senderPublicKey: item.uploaderRole === 'melder' ? state.melderPublicKey : this.#myPublicKey(state),
        manifest: item.manifest,
      });
    });
  }

  /** Stops uploads when the page is left. */
  dispose(): void {
    this.uploads.clear();
  }

  #myPublicKey(state: AdvisorCaseState): string {
    return this.#session.account?.publicKey || state.advisor.publicKey;
  }

  #requireState(): AdvisorCaseState {
    if (!this.state) throw new SessionGoneError('The case is not loaded');
    return this.state;
  }

  async #refreshState(): Promise<void> {
    try {
      const thread = await this.#session.guard(() => api.getCase(this.id));
      this.state = thread.case;
    } catch {
      // The next load shows it.
    }
  }

  async #post(kind: 'message' | 'note', text: string, isFeedback: boolean): Promise<void> {
    await this.#session.guard(async (epoch) => {
      const crypto = await loadCrypto();
      const state = this.#requireState();
      const mine = this.#myPublicKey(state);
      const ciphertext = await crypto.encryptMessage({
        text,
        armoredRecipientKeys: kind === 'note' ? [mine] : [state.melderPublicKey, mine],
        signingKey: this.#session.requireKey(epoch),
      });
      try {
        const response = await api.postMessage(this.id, { kind, ciphertext, ...(isFeedback ? { isFeedback: true } : {}) });
        this.#session.requireKey(epoch);
        this.state = response.case;
        this.items.push({
          type: 'message',
          id: response.message.id,
          senderRole: 'advisor',
          kind,
          createdAt: response.message.createdAt,
          unread: false,
          signature: 'valid',
          content: { type: 'text', text },
        });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'case_closed') void this.#refreshState();
        throw error;
      }
    });
  }

  async #upload(item: UploadItem, signal: AbortSignal): Promise<void> {
    await this.#session.guard(async (epoch) => {
      const crypto = await loadCrypto();
      const state = this.#requireState();
      const uploaded = await encryptAndUpload({
        crypto,
        file: item.file,
        recipients: [state.melderPublicKey, this.#myPublicKey(state)],
        signingKey: this.#session.requireKey(epoch),
        create: (encryptedManifest) => api.createAttachment(this.id, { encryptedManifest }),
        upload: (id, content, options) => api.uploadAttachmentContent(this.id, id, content, options),
        signal,
        onProgress: (phase, progress) => {
          item.phase = phase;
          item.progress = progress;
        },
      });
      this.#session.requireKey(epoch);
      this.items.push({
        type: 'file',
        id: uploaded.id,
        uploaderRole: 'advisor',
        createdAt: new Date().toISOString(),
        size: uploaded.size,
        manifest: uploaded.manifest,
        signature: 'valid',
      });
    });
  }

  async #decryptMessage(
    crypto: CryptoModule,
    key: PrivateKeyHandle,
    state: AdvisorCaseState,
    mine: string,
    message: AdvisorMessage,
  ): Promise<MessageItem> {
    const base = {
      type: 'message' as const,
      id: message.id,
      senderRole: message.senderRole,
      kind: message.kind,
      createdAt: message.createdAt,
      unread: message.senderRole === 'melder' && message.readAt === null,
    };
    try {
      const { text, signature } = await crypto.decryptMessage({
        armoredMessage: message.ciphertext,
        decryptionKey: key,
        armoredVerificationKeys: [message.senderRole === 'melder' ? state.melderPublicKey : mine],
      });
      return { ...base, signature, content: contentOf(message.kind, text) };
    } catch (error) {
      return { ...base, signature: 'invalid', content: { type: 'unreadable', errorCode: errorCode(error) } };
    }
  }

  async #decryptAttachment(
    crypto: CryptoModule,
    key: PrivateKeyHandle,
    state: AdvisorCaseState,
    mine: string,
    attachment: ThreadAttachment,
  ): Promise<FileItem> {
    const base = { type: 'file' as const, id: attachment.id, uploaderRole: attachment.uploaderRole, createdAt: attachment.createdAt, size: attachment.size };
    try {
      const { text, signature } = await crypto.decryptMessage({
        armoredMessage: attachment.encryptedManifest,
        decryptionKey: key,
        armoredVerificationKeys: [attachment.uploaderRole === 'melder' ? state.melderPublicKey : mine],
      });
      return { ...base, manifest: parseManifest(text), signature };
    } catch {
      return { ...base, manifest: null, signature: 'invalid' };
    }
  }
}

function contentOf(kind: AdvisorMessage['kind'], text: string): MessageContent {
  if (kind === 'report') return { type: 'report', report: parseReport(text) };
  if (kind === 'wishes') {
    const wishes = parseWishesDocument(text);
    if (wishes) return { type: 'wishes', wishes };
  }
  return { type: 'text', text };
}
