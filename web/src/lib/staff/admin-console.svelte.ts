// One organisation's admin console: what the server says about it, loaded once per visit and
// replaced by each answer to a change (every change answers with the new state). Every call runs
// inside the staff session (a 401 ends it, and the page shows the login in place). Nothing here
// can hold a case: the API gives an admin settings and counts only.
import * as api from '../api/admin.ts';
import type { AdminAdvisor, AdminCategories, AdminOrganisation, InviteAdvisorBody, InviteAdvisorResult, ProfileBody, SettingsBody, TextsBody, UpdateAdvisorBody } from '../api/admin.ts';
import type { CaseKind } from '../api/types.ts';
import { advisorSession } from '../advisor/session.svelte.ts';

export type ConsoleLoad = { state: 'loading' } | { state: 'loaded' } | { state: 'failed'; error: unknown };

export class AdminConsole {
  readonly slug: string;
  load = $state<ConsoleLoad>({ state: 'loading' });
  organisation = $state.raw<AdminOrganisation | null>(null);
  advisors = $state.raw<AdminAdvisor[]>([]);
  categories = $state.raw<AdminCategories>({ ongewenst_gedrag: [], misstand: [] });

  constructor(slug: string) {
    this.slug = slug;
  }

  async fetch(): Promise<void> {
    this.load = { state: 'loading' };
    try {
      const [organisation, advisors, categories] = await advisorSession.guard(() =>
        Promise.all([api.getAdminOrganisation(this.slug), api.getAdvisors(this.slug), api.getCategories(this.slug)]),
      );
      this.organisation = organisation;
      this.advisors = advisors;
      this.categories = categories;
      this.load = { state: 'loaded' };
    } catch (error) {
      this.load = { state: 'failed', error };
    }
  }

  async #change(work: () => Promise<AdminOrganisation>): Promise<void> {
    this.organisation = await advisorSession.guard(work);
  }

  updateProfile(body: ProfileBody): Promise<void> {
    return this.#change(() => api.updateProfile(this.slug, body));
  }

  updateSettings(body: SettingsBody): Promise<void> {
    return this.#change(() => api.updateSettings(this.slug, body));
  }

  updateTexts(body: TextsBody): Promise<void> {
    return this.#change(() => api.updateTexts(this.slug, body));
  }

  updateAuthorities(enabled: string[]): Promise<void> {
    return this.#change(() => api.updateAuthorities(this.slug, enabled));
  }

  async addCategory(kind: CaseKind, body: api.AddCategoryBody): Promise<void> {
    this.categories = await advisorSession.guard(() => api.addCategory(this.slug, kind, body));
  }

  async updateCategory(kind: CaseKind, key: string, body: api.UpdateCategoryBody): Promise<void> {
    this.categories = await advisorSession.guard(() => api.updateCategory(this.slug, kind, key, body));
  }

  async inviteAdvisor(body: InviteAdvisorBody): Promise<InviteAdvisorResult> {
    const result = await advisorSession.guard(() => api.inviteAdvisor(this.slug, body));
    this.#replaceAdvisor(result.advisor);
    return result;
  }

  async updateAdvisor(accountId: string, body: UpdateAdvisorBody): Promise<void> {
    this.#replaceAdvisor(await advisorSession.guard(() => api.updateAdvisor(this.slug, accountId, body)));
  }

  async deactivateAdvisor(accountId: string): Promise<void> {
    try {
      this.#replaceAdvisor(await advisorSession.guard(() => api.deactivateAdvisor(this.slug, accountId)));
    } catch (error) {
      // The open-case count changed since the list was loaded: show the current one.
      void this.refreshAdvisors().catch(() => {});
      throw error;
    }
  }

  async refreshAdvisors(): Promise<void> {
    this.advisors = await advisorSession.guard(() => api.getAdvisors(this.slug));
  }

  #replaceAdvisor(advisor: AdminAdvisor): void {
    const others = this.advisors.filter((a) => a.accountId !== advisor.accountId);
    this.advisors = [...others, advisor].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));
  }
}
