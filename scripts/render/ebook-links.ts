/**
 * The print edition is one page, so a `#id` link reaches any chapter; the EPUB
 * keeps each chapter in its own file, where such a link would point at
 * nothing (epubcheck RSC-012). Links into another chapter get that chapter's
 * file name in front of the fragment.
 */
export interface ChapterAnchors {
  /** The chapter's HTML as hast-util-to-html wrote it (attributes in double quotes). */
  html: string;
  /** Every id inside the chapter. */
  ids: readonly string[];
}

export function linkAcrossChapters(chapters: readonly ChapterAnchors[], fileNames: readonly string[]): string[] {
  const fileOfId = new Map<string, string>();
  chapters.forEach((chapter, index) => chapter.ids.forEach((id) => fileOfId.set(id, fileNames[index]!)));
  return chapters.map((chapter, index) =>
    chapter.html.replace(/ href="#([^"]*)"/g, (whole, id: string) => {
      const file = fileOfId.get(id);
      return file && file !== fileNames[index] ? ` href="${file}#${id}"` : whole;
    }),
  );
}
