/** `npm run build:console`: builds the console page and prints its size. */
import { writeConsolePage } from './build.js';

const page = writeConsolePage();
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`console page written to lib/console/dist/page.json (page ${kb(page.pageGzipBytes)} gzipped)`);
console.log(`console_js_gzip_kb=${(page.scriptGzipBytes / 1024).toFixed(1)} (${kb(page.scriptBytes)} minified)`);
