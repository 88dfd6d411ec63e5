// The inbox: one page of my cases across every organisation, filtered and sorted by urgency on
// the server. Kept on the session, so filters and page survive opening a case and coming back.
import type { CaseStatus, InboxCase, InboxResponse } from '../api/advisor.ts';
import * as api from '../api/advisor.ts';
import type { CaseKind } from '../api/types.ts';
import type { AdvisorSession } from './session.svelte.ts';

export const PAGE_SIZE = 20;

export interface InboxFilters {
  organisation: string;
  status: CaseStatus | '';
  kind: CaseKind | '';
}

export class AdvisorInbox {
  filters = $state<InboxFilters>({ organisation: '', status: '', kind: '' });
  page = $state(1);
  cases = $state<InboxCase[]>([]);
  total = $state(0);
  loading = $state(false);
  loaded = $state(false);
  error = $state<unknown>(null);
  /** Just activated: the inbox greets the advisor once. */
  welcome = $state(false);

  readonly #session: AdvisorSession;
  #request = 0;

  constructor(session: AdvisorSession) {
    this.#session = session;
  }

  get pages(): number {
    return Math.max(1, Math.ceil(this.total / PAGE_SIZE));
  }

  get filtered(): boolean {
    return this.filters.organisation !== '' || this.filters.status !== '' || this.filters.kind !== '';
  }

  async load(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    this.error = null;
    try {
      const result: InboxResponse = await this.#session.guard(() =>
        api.listCases({
          organisation: this.filters.organisation || undefined,
          status: this.filters.status || undefined,
          kind: this.filters.kind || undefined,
          page: String(this.page),
          pageSize: String(PAGE_SIZE),
        }),
      );
      if (request !== this.#request) return;
      // A page past the end (cases closed meanwhile): show the last page there is.
      if (result.cases.length === 0 && result.total > 0 && this.page > 1) {
        this.page = Math.ceil(result.total / PAGE_SIZE);
        return this.load();
      }
      this.cases = result.cases;
      this.total = result.total;
      this.loaded = true;
    } catch (error) {
      if (request === this.#request) this.error = error;
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  setFilters(filters: Partial<InboxFilters>): Promise<void> {
    this.filters = { ...this.filters, ...filters };
    this.page = 1;
    return this.load();
  }

  goToPage(page: number): Promise<void> {
    this.page = Math.min(Math.max(1, page), this.pages);
    return this.load();
  }

  reset(): void {
    this.#request++;
    this.filters = { organisation: '', status: '', kind: '' };
    this.page = 1;
    this.cases = [];
    this.total = 0;
    this.loading = false;
    this.loaded = false;
    this.error = null;
    this.welcome = false;
  }
}
