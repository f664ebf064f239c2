/**
 * Raw HTML in the Markdown is parsed and sanitized by the per-file chain
 * (rehype-raw + rehype-safe-html); whatever safe HTML that lets through, the
 * EPUB must stay valid. Here the torture-test book gets, after its "Raw HTML"
 * heading, the kinds of HTML a manuscript uses, parsed the way rehype-raw
 * parses them, and its EPUB is checked with epubcheck and Ace.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import type { Element } from 'hast';
import { describe, expect, it } from 'vitest';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { renderMarkdown } from '../scripts/render/markdown.js';
import { applyTemplates } from '../scripts/render/publication.js';
import { makeCover } from '../scripts/outputs/cover.js';
import { packEpub } from '../scripts/outputs/epub.js';
import { BUILD_TIME, TORTURE } from './support/shared-builds.js';
import { solidPng, tempDir } from './support/cli.js';
import { expectAcePasses, expectEpubcheckClean, openEpub } from './support/outputs.js';

const SAFE_HTML = `
<p>Press <kbd>Ctrl</kbd> + <kbd>C</kbd>. <abbr title="World Health Organization">WHO</abbr>; E = mc<sup>2</sup>, H<sub>2</sub>O;
a line<br>break, a no-break&nbsp;space, &copy; &mdash; &hellip; <span lang="fr">une phrase en français</span>,
<ins>inserted</ins> <del>deleted</del> <q>quoted</q> <mark>marked</mark> <small>small</small> <var>x</var> <samp>output</samp>
<time datetime="2026-01-15">15 January</time> <dfn>term</dfn> <b>bold</b> <i>italic</i> <u>underlined</u> <s>struck</s>
<cite>A Title</cite> <bdi>bdi</bdi> long<wbr>word <ruby>漢<rt>kan</rt></ruby>.</p>
<details open><summary>More about raw HTML</summary><p>Hidden until opened.</p></details>
<table><caption>A table written in HTML</caption>
<thead><tr><th scope="col">Head</th><th scope="col">Other</th></tr></thead>
<tbody><tr><td>line one<br>line two</td><td colspan="1" rowspan="1">x</td></tr></tbody></table>
<figure><img src="images/foot-chart.png" alt="The chart, in a figure" width="240" height="150"><figcaption>A figure with a caption.</figcaption></figure>
<dl><dt>Term</dt><dd>Its definition.</dd></dl>
<ol reversed start="3"><li>three</li><li value="1">one</li></ol>
<div class="note"><p>A div with a paragraph and a <a href="#tables">link to another chapter</a>.</p><hr></div>
<p><img src="images/dot.gif" alt=""> <img src="images/photos/sole of foot.jpg" alt="The sole of a foot, from HTML" title="A title"></p>
<p>An inline diagram: <svg viewBox="0 0 10 10" width="20" height="20" role="img" aria-label="A teal square"><rect width="10" height="10" fill="#1f6670"/></svg>
and an equation: <math alttext="x squared"><msup><mi>x</mi><mn>2</mn></msup></math>.</p>
<!-- a comment -->
`;

describe('raw HTML in the EPUB', () => {
  it('stays valid XHTML and accessible, whatever safe HTML the Markdown carries', async () => {
    const manuscript = await loadManuscript(TORTURE);
    const document = await renderMarkdown(manuscript);
    const chapter = document.chapters.find((c) => JSON.stringify(c.tree).includes('"id":"raw-html"'))!;
    const heading = chapter.tree.children.findIndex((node) => node.type === 'element' && node.properties.id === 'raw-html');
    chapter.tree.children.splice(heading + 1, 0, ...(fromHtml(SAFE_HTML, { fragment: true }).children as Element[]));

    // A finished cover: no browser needed for this EPUB.
    const cover = { key: 'cover.png', absolutePath: '', mediaType: 'image/png', bytes: solidPng(1600, 2560) };
    const publication = await applyTemplates(document, manuscript.metadata, BUILD_TIME, { cover });
    const file = path.join(await tempDir('press-raw-'), 'raw.epub');
    await writeFile(file, await packEpub(publication, await makeCover({ metadata: manuscript.metadata, cover })));

    await expectEpubcheckClean(file);
    await expectAcePasses(file);

    const zip = await openEpub(file);
    const xhtml = await zip.file('OEBPS/04-notes-links-and-raw-html.xhtml')!.async('string');
    expect(xhtml).toContain('<td>line one<br/>line two</td>');
    expect(xhtml).toContain('<a href="03-tables-code-and-lists.xhtml#tables">link to another chapter</a>');
    expect(xhtml).toContain('<img src="images/sole-of-foot.jpg" alt="The sole of a foot, from HTML" title="A title"/>');
    expect(xhtml).toContain('no-break\u00a0space');
    const opf = await zip.file('OEBPS/content.opf')!.async('string');
    expect(opf).toMatch(/href="04-notes-links-and-raw-html.xhtml" media-type="application\/xhtml\+xml" properties="svg mathml"/);
  });
});
