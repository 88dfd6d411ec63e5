// Default categories per kind of report (DOMAIN.md). `undisclosed` = "wil ik niet zeggen".
import type { CaseKind } from '../../db/database.ts';

export const DEFAULT_CATEGORIES: Record<CaseKind, string[]> = {
  ongewenst_gedrag: ['pesten', 'discriminatie', 'seksuele_intimidatie', 'agressie_geweld', 'intimidatie', 'werkdruk', 'anders'],
  misstand: ['fraude', 'corruptie', 'belangenverstrengeling', 'misbruik_bevoegdheid', 'gevaar_gezondheid_veiligheid_milieu', 'schending_regels', 'anders'],
};

export const UNDISCLOSED = 'undisclosed';
