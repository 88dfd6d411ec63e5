// The advisor namespace of the UI text, loaded with the advisor's chunk (see lib/i18n).
import en from '../i18n/advisor/en.json';
import nl from '../i18n/advisor/nl.json';
import { i18n } from '../i18n/i18n.svelte.ts';

i18n.registerCatalog({ nl, en });
