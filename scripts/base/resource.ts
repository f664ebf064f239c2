import { createHash } from 'node:crypto';

/** What a page may load by its relative URL (a font, an image): its type and its bytes. */
export interface Resource {
  mediaType: string;
  bytes: Uint8Array;
}

/** Where on a print page's origin the resources shared by every document are: `/shared/<content hash>/<key>`. */
export const SHARED_RESOURCES = '/shared/';

/**
 * The URL a print page names a resource by when it is the same file in every document that uses it (a
 * font): one URL per content, at the page's origin rather than in the document's own folder, so that the
 * renderer printing many documents decodes it once, not once per print (browser/locked-page.ts serves it).
 */
export function sharedResourceUrl(key: string, resource: Resource): string {
  return `${SHARED_RESOURCES}${createHash('sha256').update(resource.bytes).digest('hex').slice(0, HASH_DIGITS)}/${key}`;
}

/** Hex digits of the SHA-256 a shared URL keeps: 128 bits, more than enough to tell the files of one build apart. */
const HASH_DIGITS = 32;
/** A shared URL within a text, up to the quote, bracket or space that ends it. */
const SHARED_URL = new RegExp(`${SHARED_RESOURCES}([0-9a-f]{${HASH_DIGITS}})/([^"')\\s]+)`, 'g');
/** A requested path that is a shared URL, whatever its key holds. */
const SHARED_PATH = new RegExp(`^${SHARED_RESOURCES}[0-9a-f]{${HASH_DIGITS}}/(.+)$`);

/** The resource key a shared URL names (`/shared/<hash>/fonts/a.woff2`: `fonts/a.woff2`), or undefined. */
export const sharedResourceKey = (pathname: string): string | undefined => SHARED_PATH.exec(pathname)?.[1];

/** `text` (a page, a stylesheet) with each shared URL turned back into its key, relative to the page. */
export const withRelativeResourceUrls = (text: string) => text.replace(SHARED_URL, (_, _hash: string, key: string) => key);
