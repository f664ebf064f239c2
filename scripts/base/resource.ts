/** What a page may load by its relative URL (a font, an image): its type and its bytes. */
export interface Resource {
  mediaType: string;
  bytes: Uint8Array;
}
