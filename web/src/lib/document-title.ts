const PRODUCT = 'Klankbord';

/** Sets the tab title to "<page> · Klankbord", or just the product name. */
export function setDocumentTitle(page?: string): void {
  document.title = page ? `${page} · ${PRODUCT}` : PRODUCT;
}
