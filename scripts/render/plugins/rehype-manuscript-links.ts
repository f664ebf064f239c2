/**
 * rehype plugin, run on the whole publication (after rehype-heading-ids, before
 * rehype-chapters): a link to another file of the manuscript, `02-care.md` or
 * `02-care.md#aftercare`, becomes a link inside the publication, `#aftercare`.
 * Each edition then makes that its own link: the PDF keeps it, the EPUB points
 * it at the chapter file that holds the target.
 *
 * A path is read relative to the linking file; a root-relative one,
 * `/docs/care.md`, relative to the manuscript folder or any folder above it
 * (on GitHub it means the repository's root, which may hold the manuscript
 * folder), so that it finds the manuscript's own file.
 *
 * The fragment is read the way GitHub and editors' previews read it: the slug of
 * a heading of that file (as if the file stood alone), or an id in that file. A
 * link to a file without a fragment goes to the file's first heading. Links that
 * match nothing are left as they are, to be reported by the link check.
 *
 * Elements must carry `data.sourceFile` (the index of the file they come from):
 * renderMarkdown sets it on the top-level nodes of each file.
 */
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Element, Root } from 'hast';

export interface ManuscriptLinksOptions {
  /** Absolute paths of the manuscript's files, in reading order. */
  files: readonly string[];
  /** The manuscript folder. */
  root: string;
}

/**
 * The file a local link's path part names, as an absolute path: relative to the linking file, or,
 * root-relative (`/docs/care.md`), the first manuscript file it names from the manuscript folder or
 * a folder above it.
 */
export function linkedPath(pathPart: string, fromFile: string, options: ManuscriptLinksOptions): string {
  const decoded = safeDecode(pathPart.split('?')[0]!);
  if (!decoded.startsWith('/')) return path.resolve(path.dirname(fromFile), decoded);
  for (let folder = options.root; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, decoded);
    if (options.files.includes(candidate)) return candidate;
    if (path.dirname(folder) === folder) return path.join(options.root, decoded);
  }
}

export default function rehypeManuscriptLinks(options: ManuscriptLinksOptions) {
  return (tree: Root) => {
    const targets = options.files.map(() => ({ slugs: new Map<string, string>(), ids: new Set<string>(), first: undefined as string | undefined }));
    const links: { node: Element; file: number }[] = [];
    for (const top of tree.children) {
      if (top.type !== 'element' || top.data?.sourceFile === undefined) continue;
      const file = top.data.sourceFile;
      const target = targets[file]!;
      visit(top, 'element', (node) => {
        const id = node.properties.id === undefined ? undefined : String(node.properties.id);
        if (id) target.ids.add(id);
        if (id && headingRank(node)) target.first ??= id;
        if (node.tagName === 'a' && typeof node.properties.href === 'string') links.push({ node, file });
      });
    }
    // Heading slugs per file, in order, as each file would have them on its own.
    options.files.forEach((_, index) => {
      const slugger = new GithubSlugger();
      for (const top of tree.children) {
        if (top.type !== 'element' || top.data?.sourceFile !== index) continue;
        visit(top, 'element', (node) => {
          if (headingRank(node) && node.properties.id) targets[index]!.slugs.set(slugger.slug(toString(node)), String(node.properties.id));
        });
      }
    });

    for (const { node, file } of links) {
      const href = String(node.properties.href);
      const match = /^([^?#]*\.(?:md|markdown))(#.*)?$/i.exec(href);
      if (!match || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue;
      const absolute = linkedPath(match[1]!, options.files[file]!, options);
      const index = options.files.indexOf(absolute);
      if (index === -1) continue;
      const target = targets[index]!;
      const wanted = match[2] ? safeDecode(match[2].slice(1)) : undefined;
      const id = wanted === undefined ? target.first : target.slugs.get(wanted) ?? (target.ids.has(wanted) ? wanted : undefined);
      if (id) node.properties.href = `#${id}`;
    }
  };
}

/** A URL's `%` escapes decoded; a malformed one left as written. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

declare module 'hast' {
  interface ElementData {
    /** Index of the manuscript file the element comes from (top-level elements only). */
    sourceFile?: number;
  }
}
