/**
 * rehype plugin: every link in the merged publication must lead somewhere.
 * Runs on the whole tree after rehype-heading-ids, because an anchor may point into
 * another manuscript file and ids are only final there, and after
 * rehype-manuscript-links, which has made every link to another manuscript
 * `.md` file that it could resolve a link inside the publication.
 *
 * A link that surely leads nowhere (a missing `#anchor`, a manuscript file
 * with no such heading) is an error at its own file:line:column. A link to a
 * file that is not part of the manuscript (a repository's `LICENSE`,
 * `../src/index.ts`) cannot be followed from a PDF or an EPUB either, but it
 * was right where it was written: it keeps its text and loses its link, with a
 * warning. `#` alone is the top of the publication. Every problem is recorded
 * on its file and the check goes on, so that one run reports them all.
 */
import path from 'node:path';
import { headingRank } from 'hast-util-heading-rank';
import { visit } from 'unist-util-visit';
import type { Element, Root, RootContent } from 'hast';
import type { VFile } from 'vfile';
import { fileProblem } from '../../base/problems.js';
import { linkedPath, safeDecode } from './rehype-manuscript-links.js';

export interface CheckLinksOptions {
  /** The manuscript files, in reading order, with the trees whose children make up the merged root. */
  parts: readonly { file: VFile; tree: Root }[];
  /** The manuscript folder. */
  root: string;
}

/** What becomes of a link: kept, or made plain text (its text stays where it was). */
type Verdict = 'keep' | 'unlink';

/** A URL with a scheme (https:, mailto:, tel:) or protocol-relative: left to the reader's app. */
const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/)/i;

export default function rehypeCheckLinks(options: CheckLinksOptions) {
  return (tree: Root) => {
    const fileOfNode = new Map<RootContent, VFile>();
    for (const { file, tree: part } of options.parts) for (const node of part.children) fileOfNode.set(node, file);

    const ids = new Set<string>();
    visit(tree, 'element', (node) => {
      if (node.properties.id) ids.add(String(node.properties.id));
    });
    const firstHeadingIds = new Map(options.parts.map(({ file, tree: part }) => [path.resolve(file.path), firstHeadingId(part)]));

    const files = options.parts.map(({ file }) => path.resolve(file.path));
    // A link may stand at the top of the tree (an HTML block's `<a>`): links are unwrapped in their parent, whatever it is.
    const walk = (parent: Root | Element, file: VFile | undefined) => {
      for (let index = 0; index < parent.children.length; index++) {
        const node = parent.children[index]!;
        if (node.type !== 'element') continue;
        const nodeFile = file ?? fileOfNode.get(node);
        if (!nodeFile) continue;
        if (node.tagName === 'a' && node.properties.href !== undefined) {
          const report = (fatal: boolean) => (reason: string, hint: string) => fileProblem(nodeFile, reason, { place: node.position, ruleId: 'link', hint, fatal });
          if (checkLink(node, nodeFile, ids, firstHeadingIds, { files, root: options.root }, report(true), report(false)) === 'unlink') {
            parent.children.splice(index, 1, ...node.children);
            index -= 1;
            continue;
          }
        }
        walk(node, nodeFile);
      }
    };
    walk(tree, undefined);
  };
}

function checkLink(
  link: Element,
  file: VFile,
  ids: ReadonlySet<string>,
  firstHeadingIds: ReadonlyMap<string, string | undefined>,
  manuscript: { files: readonly string[]; root: string },
  fail: (reason: string, note: string) => void,
  warn: (reason: string, note: string) => void,
): Verdict {
  const href = String(link.properties.href);
  if (/^https?:/i.test(href) && !isWebAddress(href)) {
    warn(`link to a malformed web address, kept as text: ${href}`, 'Check the address: it cannot be followed as written.');
    return 'unlink';
  }
  if (EXTERNAL.test(href)) return 'keep';
  if (href === '') {
    fail('link without a target', 'Give the link a web address, a #heading-id or another manuscript file: [text](#section).');
    return 'keep';
  }

  const hashAt = href.indexOf('#');
  const pathPart = hashAt === -1 ? href : href.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : safeDecode(href.slice(hashAt + 1));

  if (pathPart === '') {
    // `#` alone is the top of the page: markdown.ts points it at the title.
    if (!fragment || ids.has(fragment)) return 'keep';
    // GitHub finds `#makeRe` at the heading `makere`: so does the book, when only one id matches.
    const sameLetters = [...ids].filter((id) => id.toLowerCase() === fragment.toLowerCase());
    if (sameLetters.length === 1) link.properties.href = `#${sameLetters[0]}`;
    else fail(`link to a missing anchor: #${fragment}`, anchorNote(fragment, ids));
    return 'keep';
  }

  const target = linkedPath(pathPart, file.path, manuscript);
  if (!firstHeadingIds.has(target)) {
    warn(
      `link to a file that is not part of the manuscript, kept as text: ${href}`,
      `Neither the PDF nor the EPUB carries other files (the manuscript's are ${[...firstHeadingIds.keys()].map((p) => path.basename(p)).join(', ')}): link to a web address (https://…) or to a #heading in the text.`,
    );
    return 'unlink';
  }
  // A link to a manuscript file that rehype-manuscript-links left alone found nothing to land on.
  if (!fragment && !firstHeadingIds.get(target)) {
    fail(`link to a file with no heading to land on: ${href}`, 'Give the linked file a heading, or link to a #heading-id inside it.');
  } else {
    fail(`link to a missing anchor: ${href}`, anchorNote(fragment, ids));
  }
  return 'keep';
}

/** A web address a reader's app can follow: it parses, and its host is a name of letters, digits and hyphens, or an IP address. */
function isWebAddress(href: string): boolean {
  const host = URL.canParse(href) ? new URL(href).hostname : '';
  return /^(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*\.?)$/i.test(host);
}

function firstHeadingId(tree: Root): string | undefined {
  let id: string | undefined;
  visit(tree, 'element', (node) => {
    if (id === undefined && headingRank(node) && node.properties.id) id = String(node.properties.id);
  });
  return id;
}

/** Heading ids are made by rehype-heading-ids: lower case, spaces as hyphens. Suggest the id the writer probably meant. */
function anchorNote(fragment: string, ids: ReadonlySet<string>): string {
  const likely = fragment.trim().toLowerCase().replace(/\s+/g, '-');
  const near = [...ids].find((id) => id === likely || id.replace(/-\d+$/, '') === likely);
  return near
    ? `No element has the id "${fragment}"; did you mean #${near}?`
    : `No heading or element has the id "${fragment}". Heading ids are the heading's text in lower case with hyphens, e.g. "## Flat Feet" is #flat-feet.`;
}
