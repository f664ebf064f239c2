/**
 * Puppeteer configuration. The build and the tests drive the system's Chrome or
 * Chromium (see README, "The browser"); the full `puppeteer` package, pulled in by
 * Ace by DAISY for the accessibility tests, must not download a browser of its own.
 */
module.exports = { skipDownload: true };
