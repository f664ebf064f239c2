import { cp, mkdtemp, appendFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from '../scripts/browser/launch.js';
import { startDevServer, type DevServer } from '../scripts/preview/dev-server.js';
import { PROJECT_ROOT } from '../scripts/base/project-root.js';
import { runScript } from './support/cli.js';
import { listen, type EventLog } from './support/events.js';
import { pdfPages, readableText } from './support/outputs.js';

describe('npm run dev', () => {
  let folder: string;
  let manuscriptFile: string;
  let server: DevServer;
  let events: EventLog;
  let browser: Browser;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'press-dev-'));
    await cp(path.join(PROJECT_ROOT, 'manuscript'), folder, { recursive: true });
    manuscriptFile = path.join(folder, 'foot-massage.md');
    server = await startDevServer({ input: folder, port: 0 });
    events = await listen(`${server.url}events`);
    await events.waitFor(({ event }) => event === 'pdf');
    browser = await launchBrowser({ allowLoopback: true });
  });
  afterAll(async () => {
    events?.close();
    await browser?.close();
    await server?.close();
  });

  const lastVersion = () => Math.max(0, ...events.events.map(({ data }) => Number(data.version ?? 0)));

  it('serves the print preview as the printed PDF and the ebook view with the text', async () => {
    const print = await (await fetch(server.url)).text();
    expect(print).toMatch(/<iframe[^>]+src="\/print\.pdf\?v=\d+"/);
    const pdf = await fetch(`${server.url}print.pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const ebook = await (await fetch(`${server.url}ebook/`)).text();
    expect(ebook).toContain('Our feet go through a lot on a day-to-day basis.');
    // The ebook view's fonts are served beside it.
    const font = /url\("(fonts\/[^"]+\.woff2)"\)/.exec(ebook)![1]!;
    expect((await fetch(`${server.url}ebook/${font}`)).headers.get('content-type')).toBe('font/woff2');
  });

  it('previews the web edition beside the PDF, with its fonts, and reloads it on a change', async () => {
    const view = await (await fetch(`${server.url}web/`)).text();
    expect(view).toMatch(/<iframe[^>]+id="preview-web"[^>]+src="\/web\/page\/\?v=\d+"/);
    const web = await (await fetch(`${server.url}web/page/`)).text();
    expect(web).toContain('<meta http-equiv="Content-Security-Policy"');
    expect(web).toContain('Our feet go through a lot on a day-to-day basis.');
    const font = /url\("(fonts\/[^"]+\.woff2)"\)/.exec(web)![1]!;
    expect((await fetch(`${server.url}web/page/${font}`)).headers.get('content-type')).toBe('font/woff2');
    const page = await browser.newPage();
    await page.goto(`${server.url}web/`, { waitUntil: 'load' });
    const marker = `Web marker ${Date.now()}.`;
    await appendFile(manuscriptFile, `\n${marker}\n`);
    // The page around the web edition reloads it when the text is rebuilt.
    await page.waitForFunction((text) => (document.getElementById('preview-web') as HTMLIFrameElement).contentDocument?.body?.innerText.includes(text), { timeout: 60_000 }, marker);
    await page.close();
  });

  it('shows a change to a manuscript file in the open page, then in the PDF', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}ebook/`, { waitUntil: 'load' });
    const before = lastVersion();
    const marker = `Preview marker ${Date.now()}.`;
    await appendFile(manuscriptFile, `\n${marker}\n`);
    // The page is not reloaded by the test: its own event listener swaps the text in. Checked at each frame, for as
    // long as the rebuild takes (no deadline of its own: the test's time limit is the only one).
    await page.waitForFunction((text) => document.body.innerText.includes(text), { timeout: 0 }, marker);
    const printed = await events.waitFor(({ event, data }) => event === 'pdf' && Number(data.version) > before);
    const bytes = new Uint8Array(await (await fetch(`${server.url}print.pdf?v=${printed.data.version}`)).arrayBuffer());
    const pdfFile = path.join(folder, 'served.pdf');
    await writeFile(pdfFile, bytes);
    expect(readableText((await pdfPages(pdfFile)).join('\n'))).toContain(marker);
    await page.close();
  });

  it('shows a build problem with its place and keeps the last good version', async () => {
    const before = lastVersion();
    await appendFile(manuscriptFile, '\nSee [nowhere](#no-such-heading).\n');
    const problem = await events.waitFor(({ event, data }) => event === 'problem' && Number(data.version) > before);
    expect(problem.data.problem).toMatch(/foot-massage\.md:\d+:\d+: error link to a missing anchor: #no-such-heading/);
    const ebook = await (await fetch(`${server.url}ebook/`)).text();
    expect(ebook).toContain('Our feet go through a lot');
    expect(ebook).toContain('error link to a missing anchor');
  });

  it('listens on the loopback interface only', async () => {
    expect(new URL(server.url).hostname).toBe('localhost');
    const port = Number(new URL(server.url).port);
    const outside = Object.values(os.networkInterfaces())
      .flat()
      .find((address) => address && !address.internal && address.family === 'IPv4');
    if (!outside) return; // no other interface on this machine to try
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: outside.address, port }, () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});

describe('npm run dev on a port in use', () => {
  it('says so and how to choose another port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const { code, stderr } = await runScript('dev', ['--port', String(port)]);
      expect(code).toBe(1);
      expect(stderr).toContain(`port ${port} is already in use`);
      expect(stderr).toContain('--port');
    } finally {
      blocker.close();
    }
  });
});
