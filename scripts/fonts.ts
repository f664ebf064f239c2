/**
 * The typefaces of every edition, taken from @fontsource packages so that the
 * PDF and the EPUB embed the same files and no system font is ever used.
 */
import { createRequire } from 'node:module';

export interface FontFace {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  /** Absolute path of the .woff2 file inside node_modules. */
  path: string;
  /** File name used inside the EPUB. */
  fileName: string;
}

export const BODY_FAMILY = 'Source Serif 4';
export const HEADING_FAMILY = 'Source Sans 3';

const require = createRequire(import.meta.url);

function fontsourceFace(pkg: string, family: string, weight: number, style: FontFace['style']): FontFace {
  const fileName = `${pkg}-latin-${weight}-${style}.woff2`;
  return { family, weight, style, fileName, path: require.resolve(`@fontsource/${pkg}/files/${fileName}`) };
}

export const FONT_FACES: readonly FontFace[] = [
  fontsourceFace('source-serif-4', BODY_FAMILY, 400, 'normal'),
  fontsourceFace('source-serif-4', BODY_FAMILY, 400, 'italic'),
  fontsourceFace('source-serif-4', BODY_FAMILY, 700, 'normal'),
  fontsourceFace('source-serif-4', BODY_FAMILY, 700, 'italic'),
  fontsourceFace('source-sans-3', HEADING_FAMILY, 400, 'normal'),
  fontsourceFace('source-sans-3', HEADING_FAMILY, 600, 'normal'),
  fontsourceFace('source-sans-3', HEADING_FAMILY, 700, 'normal'),
];

/** `@font-face` rules for the faces; both editions keep the files under `fonts/` beside their page. */
export function fontFaceCss(): string {
  return FONT_FACES.map(
    (face) =>
      `@font-face { font-family: "${face.family}"; font-weight: ${face.weight}; font-style: ${face.style}; ` +
      `src: url("fonts/${face.fileName}") format("woff2"); }`,
  ).join('\n');
}
