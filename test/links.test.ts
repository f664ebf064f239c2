import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VFileMessage } from 'vfile-message';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { renderMarkdown } from '../scripts/render/markdown.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { expectEpubcheckClean, openEpub } from './support/outputs.js';
import { sharedBuild } from './support/shared-builds.js';

const fixture = (name: string) => path.join(PROJECT_ROOT, 'test', 'fixtures', name);
const hrefs = (html: string) => [...html.matchAll(/ href="([^"]*)"/g)].map((match) => match[1]!);

describe('links between and inside manuscript files', () => {
  it('turns a link to another manuscript file into a link to its place in the publication', async () => {
    const manuscript = await loadManuscript(fixture('links'));
    const sources = await Promise.all(manuscript.files.map(({ file }) => readFile(file.path, 'utf8')));
    const { html, title } = await renderMarkdown(manuscript);
    const links = hrefs(html);
    expect(links.length).toBe(sources.join('\n').match(/\]\(/g)!.length);
    expect(links.filter((href) => href.includes('.md'))).toEqual([]);
    for (const href of links) {
      expect(href).toMatch(/^#/);
      // The title heading moves into the masthead; every other target is in the body.
      const [, id] = /^#(.*)$/.exec(href)!;
      expect(html.includes(` id="${id}"`) || id === title.id, href).toBe(true);
    }
  });

  it('points EPUB links into other chapters at the chapter file, so epubcheck finds every fragment', async () => {
    const epub = sharedBuild('links').files.find((file) => file.endsWith('.epub'))!;
    await expectEpubcheckClean(epub, { allowWarnings: true });

    const zip = await openEpub(epub);
    const chapters = Object.keys(zip.files).filter((name) => /^OEBPS\/\d\d-.+\.xhtml$/.test(name));
    let crossChapter = 0;
    for (const chapter of chapters) {
      const xhtml = await zip.file(chapter)!.async('string');
      for (const href of hrefs(xhtml).filter((href) => href.includes('#'))) {
        const [file, id] = href.split('#') as [string, string];
        const target = file ? await zip.file(`OEBPS/${file}`)?.async('string') : xhtml;
        if (file) crossChapter += 1;
        expect(target, `${chapter}: ${href}`).toContain(` id="${id}"`);
      }
    }
    expect(crossChapter).toBeGreaterThan(0);
  });

  it('reports every broken link at the line and column of the link, with what to do, and unlinks links to other files with a warning', async () => {
    const manuscript = await loadManuscript(fixture('bad/broken-links.md'));
    const source = (await readFile(fixture('bad/broken-links.md'), 'utf8')).split('\n');
    const thrown = await renderMarkdown(manuscript).then(
      () => undefined,
      (error: VFileMessage) => error,
    );
    const messages = manuscript.files[0]!.file.messages;
    expect(thrown).toBe(messages[0]);
    const links = messages.filter((message) => message.ruleId === 'link');
    expect(links.map((message) => [message.reason, message.fatal])).toEqual([
      ['link to a missing anchor: #Daily-Stretch', true],
      ['link to a file that is not part of the manuscript, kept as text: leaflet.pdf', false],
      ['link to a file that is not part of the manuscript, kept as text: 02-more.md', false],
      ['link to a missing anchor: #massage-steps', true],
      ['link to a missing anchor: #warm-up', true],
    ]);
    for (const message of links) {
      expect(message.note).toBeTruthy();
      const at = source[message.line! - 1]!.slice(message.column! - 1);
      expect(at, message.reason).toMatch(/^\[[^\]]+\]\(/);
      expect(at).toContain(message.reason.split(': ')[1]!);
    }
  });
});
