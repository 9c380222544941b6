/**
 * The console's build: esbuild bundles the Preact app (lib/console/src) and its stylesheet, and the result
 * becomes one HTML page with the script and styles inline, gzipped, with a Content-Security-Policy that
 * admits exactly those two inline blocks. The page is written to lib/console/dist/page.json, which the
 * GET /console function imports, so the Lambda bundle carries it and nothing is fetched at run time.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

const SOURCE_DIR = fileURLToPath(new URL('./src/', import.meta.url));
const PAGE_FILE = fileURLToPath(new URL('./dist/page.json', import.meta.url));

/** The built page as the console function serves it. */
export interface ConsolePage {
  html: string;
  /** The page gzipped, base64: served to clients that accept gzip. */
  gzipBase64: string;
  etag: string;
  contentSecurityPolicy: string;
  /** Sizes of the script alone, for the build's report (target: ≤ 150 KB gzipped). */
  scriptBytes: number;
  scriptGzipBytes: number;
  pageGzipBytes: number;
}

const sha256 = (text: string, encoding: 'base64' | 'hex') => createHash('sha256').update(text).digest(encoding);

/** Bundles the app and composes the page in memory (about 100 ms; synchronous, so a CDK app can call it). */
export function buildConsolePage(): ConsolePage {
  const result = buildSync({
    entryPoints: [`${SOURCE_DIR}main.tsx`],
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'iife',
    target: ['chrome120', 'firefox120', 'safari16'],
    minify: true,
    legalComments: 'none',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'silent',
  });
  const script = result.outputFiles.find((file) => file.path.endsWith('.js'))!.text.replaceAll('</script', '<\\/script');
  const styles = result.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(script, 'base64')}'`,
    `style-src 'sha256-${sha256(styles, 'base64')}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const html = [
    '<!doctype html>',
    '<html lang="ru">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Tier program console</title>',
    // No favicon request: the API has no such route.
    '<link rel="icon" href="data:,">',
    `<style>${styles}</style>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    `<script>${script}</script>`,
    '</body>',
    '</html>',
  ].join('\n');
  const gzip = gzipSync(html, { level: 9 });
  return {
    html,
    gzipBase64: gzip.toString('base64'),
    etag: `"${sha256(html, 'hex').slice(0, 32)}"`,
    contentSecurityPolicy,
    scriptBytes: Buffer.byteLength(script),
    scriptGzipBytes: gzipSync(script, { level: 9 }).length,
    pageGzipBytes: gzip.length,
  };
}

/**
 * Builds the page and writes it where the console function imports it from. `npm start`, `cdk synth` and
 * the test setup call this first, so a fresh clone never serves a missing or stale console.
 */
export function writeConsolePage(): ConsolePage {
  const page = buildConsolePage();
  mkdirSync(new URL('./dist/', import.meta.url), { recursive: true });
  // Written aside and renamed into place: a process importing the page meanwhile never reads half a file.
  const partial = `${PAGE_FILE}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(page));
  renameSync(partial, PAGE_FILE);
  return page;
}
