// The state of one save button on the admin console: idle → saving → saved (or failed, with the
// error to show). A save never runs twice at once.

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'failed';

export class SaveState {
  status = $state<SaveStatus>('idle');
  error = $state<unknown>(null);

  get busy(): boolean {
    return this.status === 'saving';
  }

  /** Runs `work`; true when it succeeded. */
  async run(work: () => Promise<void>): Promise<boolean> {
    if (this.status === 'saving') return false;
    this.status = 'saving';
    this.error = null;
    try {
      await work();
      this.status = 'saved';
      return true;
    } catch (error) {
      this.error = error;
      this.status = 'failed';
      return false;
    }
  }

  /** Back to idle when the form changes again, so "saved" never describes an unsaved form. */
  edited(): void {
    if (this.status === 'saved') this.status = 'idle';
  }
}
