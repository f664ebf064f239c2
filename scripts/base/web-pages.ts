/**
 * The web edition's pages and their addresses. The source's page is the folder's `index.html`, a
 * translation's `<slug>.<lang>.html` beside it, as its other files are (`<slug>.<lang>.epub`); every
 * link between them is relative, so that the folder works opened from the disk and under any path
 * of any host. Where the folder is published (front matter `siteUrl`, or a library's
 * `downloadBaseUrl` and the leaflet's slug) gives each page its address.
 */

export const WEB_PAGE = 'index.html';

/** The web edition's page of a publication: the source's (no `lang`), or a translation's. */
export const webPageName = (slug: string, lang?: string) => (lang ? `${slug}.${lang}.html` : WEB_PAGE);

/** A page's address under the folder's: the folder itself for its `index.html`. */
export function webAddress(siteUrl: string, page: string): string {
  const folder = siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`;
  return page === WEB_PAGE ? folder : new URL(encodeURI(page), folder).href;
}
