/**
 * A book-length manuscript for `npm run bench`, made from the article itself:
 * each chapter is the article's text under its own `##` heading, with the
 * things a real book adds (a table, nested lists, footnotes, a figure), so
 * the benchmark exercises every part of the pipeline at scale.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../base/project-root.js';

/** About how many A4 pages one generated chapter fills (measured: 4.0, in the 12 pt plain-language setting; 3.1 at 11 pt justified). */
export const PAGES_PER_CHAPTER = 4.0;

export async function writeBenchBook(folder: string, chapters: number): Promise<string> {
  const article = await readFile(path.join(PROJECT_ROOT, 'manuscript', 'foot-massage.md'), 'utf8');
  // The article's body without its front matter and title, its sections one level down.
  const body = article
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/^# .*\n/m, '')
    .replace(/^(#{2,5}) /gm, '#$1 ');
  await mkdir(path.join(folder, 'images'), { recursive: true });
  await copyFile(path.join(PROJECT_ROOT, 'test/fixtures/handout/images/foot-zones.png'), path.join(folder, 'images', 'foot-zones.png'));

  const parts = [
    [
      '---',
      'title: The Foot Massage Compendium',
      'subtitle: A benchmark book',
      'author: Benchmark',
      'publisher: massage-press',
      'lang: en',
      'editions: [a4]',
      '---',
      '',
      '# The Foot Massage Compendium',
      '',
      'A book made of the same article many times over, to measure the build at scale.',
    ].join('\n'),
  ];
  for (let chapter = 1; chapter <= chapters; chapter++) {
    parts.push(
      [
        `## Chapter ${chapter}: The Many Benefits of Foot Massage`,
        '',
        `This chapter repeats the article with a table, lists, a figure and a note.[^note-${chapter}]`,
        '',
        `[^note-${chapter}]: Notes like this one test footnotes at scale (chapter ${chapter}).`,
        '',
        '![Outline of a foot with three shaded pressure zones](images/foot-zones.png "Pressure zones on the sole.")',
        '',
        '| Area | Benefit | Minutes |',
        '| --- | --- | --- |',
        '| Ball of the foot | Relieves pressure from standing | 3 |',
        '| Arch | Eases flat-foot strain | 2 |',
        '| Heel | Relaxes the calf and heel cord | 2 |',
        '',
        '- Before a massage',
        '  - wash and dry the feet',
        '  - sit comfortably',
        '- After a massage',
        '  1. rest for a few minutes',
        '  2. drink a glass of water',
        '',
        // Each chapter's own headings, as a real book has them (and no duplicate-heading warnings).
        body.replace(/^(#{3,6} .*)$/gm, `$1 (${chapter})`),
      ].join('\n'),
    );
  }
  const file = path.join(folder, 'book.md');
  await writeFile(file, parts.join('\n\n'));
  return file;
}
