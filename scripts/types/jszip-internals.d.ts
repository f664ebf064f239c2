// JSZip's own modules for an entry whose bytes are deflated already (outputs/epub.ts). JSZip 3.10 is
// its last release: these files have not changed since 3.0. Only what the EPUB uses is declared.
declare module 'jszip/lib/compressedObject.js' {
  class CompressedObject {
    constructor(compressedSize: number, uncompressedSize: number, crc32: number, compression: unknown, data: Uint8Array);
  }
  export = CompressedObject;
}
declare module 'jszip/lib/compressions.js' {
  export const DEFLATE: unknown;
}
