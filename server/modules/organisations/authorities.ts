// The external reporting authorities of the Wet bescherming klokkenluiders (DOMAIN.md), each
// with its official homepage. The public page shows the ones the admin did not switch off.
export const AUTHORITIES = [
  { key: 'huis_voor_klokkenluiders', name: 'Huis voor Klokkenluiders', url: 'https://www.huisvoorklokkenluiders.nl' },
  { key: 'acm', name: 'Autoriteit Consument & Markt (ACM)', url: 'https://www.acm.nl' },
  { key: 'afm', name: 'Autoriteit Financiële Markten (AFM)', url: 'https://www.afm.nl' },
  { key: 'anvs', name: 'Autoriteit Nucleaire Veiligheid en Stralingsbescherming (ANVS)', url: 'https://www.autoriteitnvs.nl' },
  { key: 'ap', name: 'Autoriteit Persoonsgegevens (AP)', url: 'https://www.autoriteitpersoonsgegevens.nl' },
  { key: 'dnb', name: 'De Nederlandsche Bank (DNB)', url: 'https://www.dnb.nl' },
  { key: 'igj', name: 'Inspectie Gezondheidszorg en Jeugd (IGJ)', url: 'https://www.igj.nl' },
  { key: 'nvwa', name: 'Nederlandse Voedsel- en Warenautoriteit (NVWA)', url: 'https://www.nvwa.nl' },
  { key: 'nza', name: 'Nederlandse Zorgautoriteit (NZa)', url: 'https://www.nza.nl' },
] as const;

export type AuthorityKey = (typeof AUTHORITIES)[number]['key'];
export const AUTHORITY_KEYS = AUTHORITIES.map((a) => a.key) as AuthorityKey[];

export function authoritiesWithState(disabled: readonly string[]) {
  return AUTHORITIES.map((a) => ({ key: a.key, name: a.name, url: a.url, enabled: !disabled.includes(a.key) }));
}
