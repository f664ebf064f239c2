/**
 * Markdown nobody here wrote, built as a user would build it, without front
 * matter: the CommonMark spec's examples (the `commonmark-spec` package) and
 * real READMEs of npm packages (test/fixtures/wild/, their licences beside
 * them). Each is made into an EPUB by the build's own stages, with a finished
 * cover so that no browser is needed: the cover page is the same whatever the
 * Markdown, and the test is about the Markdown.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { loadManuscript, manuscriptMessages } from '../../scripts/manuscript/load.js';
import { renderMarkdown } from '../../scripts/render/markdown.js';
import { applyTemplates } from '../../scripts/render/publication.js';
import { makeCover } from '../../scripts/outputs/cover.js';
import { packEpub } from '../../scripts/outputs/epub.js';
import { isProblem } from '../../scripts/base/problems.js';
import { BUILD_TIME } from './shared-builds.js';
import { solidPng } from './cli.js';

export interface CommonMarkExample {
  markdown: string;
  section: string;
  number: number;
}

export type CorpusBuild = { written: string; messages: VFileMessage[] } | { refused: VFileMessage[] };

const finishedCover = { key: 'cover.png', absolutePath: '', mediaType: 'image/png', bytes: solidPng(1600, 2560) };

/** Load and render a manuscript as the build does: its messages, or the errors that stop it. */
export async function render(input: string) {
  let manuscript;
  try {
    manuscript = await loadManuscript(input);
  } catch (error) {
    if (!isProblem(error)) throw error;
    return { refused: [error] };
  }
  try {
    return { manuscript, document: await renderMarkdown(manuscript), messages: manuscriptMessages(manuscript) };
  } catch (error) {
    if (!isProblem(error)) throw error;
    return { manuscript, refused: manuscriptMessages(manuscript, [error]).filter((message) => message.fatal) };
  }
}

/** Build `input` into `epubFile` as the build would, with a finished cover; or the errors that refused it. */
export async function buildEpub(input: string, epubFile: string): Promise<CorpusBuild> {
  const rendered = await render(input);
  if (!rendered.document) return { refused: rendered.refused! };
  const publication = await applyTemplates(rendered.document, rendered.manuscript!.metadata, BUILD_TIME, { cover: finishedCover });
  await mkdir(path.dirname(epubFile), { recursive: true });
  await writeFile(epubFile, await packEpub(publication, await makeCover({ metadata: rendered.manuscript!.metadata, cover: finishedCover })));
  return { written: epubFile, messages: rendered.messages };
}

export function commonMarkExamples(): CommonMarkExample[] {
  return (createRequire(import.meta.url)('commonmark-spec') as { tests: CommonMarkExample[] }).tests;
}

/** Each example as a file of its own (`example-0150.md`), in `folder`. */
export async function writeExamples(folder: string, examples: readonly CommonMarkExample[]): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  return Promise.all(
    examples.map(async (example) => {
      const file = path.join(folder, `example-${String(example.number).padStart(4, '0')}.md`);
      await writeFile(file, example.markdown);
      return file;
    }),
  );
}
