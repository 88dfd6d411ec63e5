import type { KeyStage } from '../../lib/advisor/session.svelte.ts';
import { i18n, type MessageKey } from '../../lib/i18n/i18n.svelte.ts';

export type Stage = KeyStage | 'generating';

const labels: Record<Stage, MessageKey> = {
  deriving: 'advisor.stage_deriving',
  checking: 'advisor.stage_checking',
  unlocking: 'advisor.stage_unlocking',
  locking: 'advisor.stage_locking',
  saving: 'advisor.stage_saving',
  generating: 'advisor.stage_generating',
};

export function stageLabel(stage: Stage): string {
  return i18n.t(labels[stage]);
}
