// Files a user has picked, encrypted and uploaded one at a time, each with its own phase and
// progress; a failed one can be tried again or dismissed. The same for every role: the owner
// supplies how one file is sent (usually lib/attachments.ts's encryptAndUpload through its own
// API) and which errors mean "the session is gone" (those leave the item alone instead of
// marking it failed — the page is being torn down).
import type { UploadPhase } from './attachments.ts';

export interface UploadItem {
  key: number;
  file: File;
  phase: UploadPhase;
  /** 0..1 within the phase. */
  progress: number;
  error: unknown;
}

export class UploadQueue {
  items = $state<UploadItem[]>([]);
  readonly #send: (item: UploadItem, signal: AbortSignal) => Promise<void>;
  readonly #isGone: (error: unknown) => boolean;
  #nextKey = 1;
  #chain: Promise<void> = Promise.resolve();
  #controllers = new Map<number, AbortController>();
  /** Bumped by clear(): work queued before it is dropped. */
  #generation = 0;

  constructor(send: (item: UploadItem, signal: AbortSignal) => Promise<void>, isGone: (error: unknown) => boolean) {
    this.#send = send;
    this.#isGone = isGone;
  }

  /** Queues files to be encrypted and uploaded one at a time. */
  add(files: readonly File[]): void {
    for (const file of files) {
      this.items.push({ key: this.#nextKey++, file, phase: 'waiting', progress: 0, error: null });
      this.#enqueue(this.items[this.items.length - 1]!);
    }
  }

  /** Tries a failed upload again. */
  retry(key: number): void {
    const item = this.items.find((u) => u.key === key);
    if (!item || item.phase !== 'failed') return;
    item.phase = 'waiting';
    item.progress = 0;
    item.error = null;
    this.#enqueue(item);
  }

  /** Gives up on a failed upload. */
  dismiss(key: number): void {
    this.items = this.items.filter((u) => u.key !== key);
  }

  /** Aborts the upload in progress, drops the queued ones and forgets every item. */
  clear(): void {
    this.#generation++;
    for (const controller of this.#controllers.values()) controller.abort();
    this.#controllers.clear();
    this.items = [];
    this.#chain = Promise.resolve();
  }

  #enqueue(item: UploadItem): void {
    const generation = this.#generation;
    this.#chain = this.#chain.then(async () => {
      if (generation !== this.#generation) return;
      const controller = new AbortController();
      this.#controllers.set(item.key, controller);
      try {
        await this.#send(item, controller.signal);
        item.phase = 'done';
        item.progress = 1;
      } catch (error) {
        if (generation !== this.#generation || this.#isGone(error)) return;
        item.phase = 'failed';
        item.error = error;
      } finally {
        this.#controllers.delete(item.key);
      }
    });
  }
}
