/**
 * rehype plugin: every link in the merged publication must lead somewhere.
 * Runs on the whole tree after rehype-slug, because an anchor may point into
 * another manuscript file and ids are only final there, and after
 * rehype-manuscript-links, which has made every link to another manuscript
 * `.md` file that it could resolve a link inside the publication. A link that
 * leads nowhere is an error at its own file:line:column; all of them are
 * recorded on their files before the first is thrown, so `npm run check` can
 * list every one.
 */
import path from 'node:path';
import { headingRank } from 'hast-util-heading-rank';
import { visit } from 'unist-util-visit';
import type { Element, Root, RootContent } from 'hast';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';

export interface CheckLinksOptions {
  /** The manuscript files, in reading order, with the trees whose children make up the merged root. */
  parts: readonly { file: VFile; tree: Root }[];
}

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

    const problems: VFileMessage[] = [];
    for (const top of tree.children) {
      const file = fileOfNode.get(top);
      if (!file || top.type !== 'element') continue;
      visit(top, 'element', (node) => {
        if (node.tagName !== 'a' || node.properties.href === undefined) return;
        const fail = (reason: string, note: string) => {
          const message = file.message(reason, { place: node.position, ruleId: 'link', source: 'press' });
          message.fatal = true;
          message.note = note;
          problems.push(message);
        };
        checkLink(node, file, ids, firstHeadingIds, fail);
      });
    }
    if (problems.length) throw problems[0];
  };
}

function checkLink(
  link: Element,
  file: VFile,
  ids: ReadonlySet<string>,
  firstHeadingIds: ReadonlyMap<string, string | undefined>,
  fail: (reason: string, note: string) => void,
): void {
  const href = String(link.properties.href);
  if (EXTERNAL.test(href)) return;
  if (href === '') return fail('link without a target', 'Give the link a web address, a #heading-id or another manuscript file: [text](#section).');

  const hashAt = href.indexOf('#');
  const pathPart = hashAt === -1 ? href : href.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : decodeURIComponent(href.slice(hashAt + 1));

  if (pathPart === '') {
    if (!ids.has(fragment)) fail(`link to a missing anchor: #${fragment}`, anchorNote(fragment, ids));
    return;
  }

  const target = path.resolve(path.dirname(file.path), decodeURIComponent(pathPart.split('?')[0]!));
  if (!firstHeadingIds.has(target)) {
    const isMarkdown = /\.(md|markdown)$/i.test(target);
    return fail(
      `link to ${isMarkdown ? 'a Markdown file that is not part of the manuscript' : 'a local file'}: ${href}`,
      isMarkdown
        ? `Only the manuscript's own files can be linked (${[...firstHeadingIds.keys()].map((p) => path.basename(p)).join(', ')}); check the file name.`
        : 'Neither the PDF nor the EPUB carries other files: link to a web address (https://…) or to a #heading in the text.',
    );
  }
  // A link to a manuscript file that rehype-manuscript-links left alone found nothing to land on.
  if (!fragment && !firstHeadingIds.get(target)) {
    return fail(`link to a file with no heading to land on: ${href}`, 'Give the linked file a heading, or link to a #heading-id inside it.');
  }
  fail(`link to a missing anchor: ${href}`, anchorNote(fragment, ids));
}

function firstHeadingId(tree: Root): string | undefined {
  let id: string | undefined;
  visit(tree, 'element', (node) => {
    if (id === undefined && headingRank(node) && node.properties.id) id = String(node.properties.id);
  });
  return id;
}

/** Heading ids are made by rehype-slug: lower case, spaces as hyphens. Suggest the id the writer probably meant. */
function anchorNote(fragment: string, ids: ReadonlySet<string>): string {
  const likely = fragment.trim().toLowerCase().replace(/\s+/g, '-');
  const near = [...ids].find((id) => id === likely || id.replace(/-\d+$/, '') === likely);
  return near
    ? `No element has the id "${fragment}"; did you mean #${near}?`
    : `No heading or element has the id "${fragment}". Heading ids are the heading's text in lower case with hyphens, e.g. "## Flat Feet" is #flat-feet.`;
}
