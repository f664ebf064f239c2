/**
 * `npm run dev`: a live preview while writing. Watches the manuscript,
 * templates/ and styles/, rebuilds what changed with the build's own stages,
 * and serves on localhost only:
 *
 *   /         the print edition: the real PDF, printed by one warm Chromium.
 *             Paged HTML would need a pagination polyfill that lays pages out
 *             differently from Chromium's own @page engine; the PDF is exactly
 *             what will print (margin boxes, page numbers, breaks).
 *   /ebook/   the ebook view: the text with the EPUB's stylesheet, swapped in
 *             place on every rebuild so the scroll position stays.
 *   /web/     the web edition, as outputs/web-edition.ts makes it (its page runs no
 *             script, so the view around it reloads it on every rebuild).
 *   /book.epub, /events (Server-Sent Events that tell both views to refresh).
 *
 * A change prepares the source as the build does (scripts/prepare.ts) and announces the
 * text (the ebook view updates at once), then prints the PDF and announces that.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ejs from 'ejs';
import { formatMessages, formatProblem, isProblem, ManuscriptProblems, problem, relativeFiles } from '../base/problems.js';
import { STYLES, TEMPLATES } from '../base/project-root.js';
import { formatDuration } from '../base/progress.js';
import { SharedBrowser } from '../browser/shared-browser.js';
import type { Manuscript } from '../manuscript/load.js';
import { makeCover } from '../outputs/cover.js';
import { packEpub } from '../outputs/epub.js';
import { printPdf } from '../outputs/pdf.js';
import { renderWebEdition } from '../outputs/web-edition.js';
import type { OutputFile } from '../base/write-outputs.js';
import { preparePublications } from '../prepare.js';
import type { Publication } from '../render/publication.js';

export const DEFAULT_PORT = 4310;

export interface DevServerOptions {
  input: string;
  port?: number;
  /** Rebuild messages; silent when not given. */
  log?: (line: string) => void;
}

export interface DevServer {
  url: string;
  close(): Promise<void>;
}

/** What one rebuild produced; the PDF follows the text, so it may lag a version behind. */
interface Preview {
  version: number;
  publication?: Publication;
  /** What `publication` was made from; the EPUB's cover is made from its front matter. */
  manuscript?: Manuscript;
  pdf?: { version: number; bytes: Uint8Array };
  /** The web edition's files, by name, made when first asked for after each rebuild. */
  web?: { version: number; files: Promise<Map<string, OutputFile>> };
  problem?: string;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? (() => {});
  const input = path.resolve(options.input);
  const manuscriptFolder = (await stat(input)).isDirectory() ? input : path.dirname(input);
  const browser = new SharedBrowser();
  const clients = new Set<http.ServerResponse>();
  const preview: Preview = { version: 0 };

  const announce = (event: string, data: object) => {
    for (const client of clients) client.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  // Rebuilds run one at a time; changes that arrive meanwhile are folded into the next one.
  let pending = true;
  let running: Promise<void> | undefined;
  const rebuild = async () => {
    while (pending) {
      pending = false;
      const started = performance.now();
      const version = preview.version + 1;
      try {
        // Prepared as the build prepares it: the same problems stop the preview as stop the build.
        const { source, languages } = await preparePublications({ input, withoutTranslations: true, buildTime: new Date() });
        const { publication } = languages[0]!;
        Object.assign(preview, { version, publication, manuscript: source, problem: undefined });
        announce('text', { version });
        const textTime = performance.now() - started;
        // The first edition the front matter lists is the one previewed.
        const { bytes } = await printPdf(await browser.get(), publication, publication.print.editions[0]!);
        if (preview.version === version) preview.pdf = { version, bytes };
        announce('pdf', { version });
        log(`rebuilt: text ${formatDuration(textTime)}, PDF ${formatDuration(performance.now() - started)}`);
      } catch (error) {
        preview.problem = error instanceof ManuscriptProblems ? formatMessages(relativeFiles(error.messages.filter((message) => message.fatal))).trimEnd() : isProblem(error) ? formatProblem(error) : String((error as Error).stack ?? error);
        announce('problem', { version, problem: preview.problem });
        log(preview.problem);
      }
    }
  };
  const schedule = () => {
    pending = true;
    running ??= rebuild().finally(() => {
      running = undefined;
      if (pending) schedule();
    });
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    respond(url, preview, response, clients, browser).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(String(error));
    });
  });
  const wanted = options.port ?? DEFAULT_PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) =>
      reject(
        cause.code === 'EADDRINUSE'
          ? problem(`port ${wanted} is already in use`, { hint: 'Stop the other server, or choose another port: npm run dev -- --port 4311.', cause })
          : cause,
      ),
    );
    server.listen(wanted, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  // Listening first: a port in use stops the preview before any build work starts.
  const watchers = [
    watchFolder(manuscriptFolder, schedule),
    watchFolder(TEMPLATES, schedule),
    watchFolder(STYLES, schedule),
  ];
  schedule();

  return {
    url: `http://localhost:${port}/`,
    async close() {
      for (const watcher of watchers) watcher.close();
      for (const client of clients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await running;
      await browser.close();
    },
  };
}

async function respond(url: URL, preview: Preview, response: http.ServerResponse, clients: Set<http.ServerResponse>, browser: SharedBrowser): Promise<void> {
  const send = (type: string, body: string | Uint8Array) => {
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    response.end(body);
  };
  const { publication } = preview;
  if (url.pathname === '/events') {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write(`event: hello\ndata: ${JSON.stringify({ version: preview.version, pdf: preview.pdf?.version, problem: preview.problem })}\n\n`);
    clients.add(response);
    response.on('close', () => clients.delete(response));
    return;
  }
  if (url.pathname === '/ebook' || url.pathname === '/web') {
    response.writeHead(301, { location: `${url.pathname}/` });
    return void response.end();
  }
  if (url.pathname === '/' || url.pathname === '/ebook/' || url.pathname === '/web/') {
    const view = url.pathname === '/' ? 'print' : url.pathname === '/ebook/' ? 'ebook' : 'web';
    return send('text/html; charset=utf-8', await previewPage(view, preview));
  }
  if (url.pathname.startsWith('/web/page/') && publication) {
    if (preview.web?.version !== preview.version) {
      // The page as the build makes it, without the downloads: the preview prints no edition but the first.
      const files = renderWebEdition([{ publication, files: [] }], undefined).then((made) => new Map(made.map((file) => [file.name, file])));
      preview.web = { version: preview.version, files };
    }
    const file = (await preview.web.files).get(decodeURIComponent(url.pathname.slice('/web/page/'.length)) || publication.web.page);
    if (file) return send(WEB_TYPES[path.extname(file.name)] ?? 'application/octet-stream', file.bytes);
  }
  if (url.pathname === '/print.pdf' && preview.pdf) return send('application/pdf', preview.pdf.bytes);
  if (url.pathname === '/book.epub' && publication && preview.manuscript) {
    return send('application/epub+zip', await packEpub(publication, await makeCover(preview.manuscript)));
  }
  // Fonts and images, by the relative URLs the ebook page and the print page use.
  const key = decodeURIComponent(url.pathname.replace(/^\/(ebook\/)?/, ''));
  const resource = publication?.print.resources.get(key);
  if (resource) return send(resource.mediaType, resource.bytes);
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(preview.publication ? 'not found' : 'the preview is still building');
}

const WEB_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.woff2': 'font/woff2', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp' };

async function previewPage(view: 'print' | 'ebook' | 'web', preview: Preview): Promise<string> {
  const template = path.join(TEMPLATES, 'dev-preview.html.ejs');
  return ejs.renderFile(template, { view, preview, publication: preview.publication });
}

/** Calls `changed` for any change below `folder`; editors that save by renaming are seen too. */
function watchFolder(folder: string, changed: () => void): FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  return watch(folder, { recursive: true }, (_event, name) => {
    if (name && /(^|\/)\.|~$|\.swp$/.test(String(name))) return; // editor backups and temporary files
    clearTimeout(timer);
    // Saves often come as several events: coalesce them.
    timer = setTimeout(changed, 25);
  });
}
