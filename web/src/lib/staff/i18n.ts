// The staff namespaces (setup, admin, register, jaarverslag, staff) of the UI text, loaded with
// the setup wizard's and the staff pages' chunks (see lib/i18n).
import en from '../i18n/staff/en.json';
import nl from '../i18n/staff/nl.json';
import { i18n } from '../i18n/i18n.svelte.ts';

i18n.registerCatalog({ nl, en });
