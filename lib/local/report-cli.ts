/**
 * `npm run report -- dormant --as-of YYYY-MM-DD [--out file.csv]`: runs the win-back list of dormant
 * counterparties on a running stack (POST /admin/reports), shows its progress and writes its rows as CSV
 * (to stdout, or to --out), the summary on stderr. `--report <id>` writes one that already ran.
 */
import { writeFileSync } from 'node:fs';
import { adminApi } from './admin-api.js';
import { fail, parseCommandLine, USAGE_ERROR } from './cli.js';

const NAME = 'report';
const COMMAND = 'npm run report --';

const { values, positionals } = parseCommandLine({
  name: NAME,
  command: COMMAND,
  options: { 'as-of': { type: 'string' }, report: { type: 'string' }, out: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  help: `
Usage: ${COMMAND} dormant --as-of YYYY-MM-DD [--out rows.csv]   the dormant counterparties as of that date, as CSV
       ${COMMAND} dormant --report <reportId> [--out rows.csv]  a report that already ran

Prints the progress and then the segments and the win-back rate on stderr, and the rows as CSV (a header
row, RFC 4180 quoting) on stdout or into --out. Exits 0 when the report succeeded, 1 when it failed or the
API refused.

Environment:
  PORT         port of the local stack's API (default 3000)
  API_URL      full base URL instead (e.g. http://localhost:3100)
  ADMIN_TOKEN  the admin token the stack runs with (default: the dev token npm start prints)
`,
});
const [kind] = positionals;
if (kind !== 'dormant') fail(NAME, `the only report is dormant, not ${kind} (see ${COMMAND} --help)`, USAGE_ERROR);
if (!values['as-of'] && !values.report) fail(NAME, `give --as-of YYYY-MM-DD or --report <id> (see ${COMMAND} --help)`, USAGE_ERROR);

const { call, follow, csvRows } = adminApi(NAME);
let reportId = values.report;
if (!reportId) {
  ({ reportId } = await call('/admin/reports', { method: 'POST', body: JSON.stringify({ kind, asOf: values['as-of'] }) }));
  console.error(`started report ${reportId}`);
}
const path = `/admin/reports/${encodeURIComponent(reportId!)}`;
const report = await follow(path, (line) => console.error(line));
if (report.status !== 'succeeded') fail(NAME, `report ${reportId} ${report.status}: ${report.error ?? ''}`);
const csv = await csvRows(`${path}/rows`);
if (values.out) writeFileSync(values.out, csv);
else process.stdout.write(csv);
const segments = Object.entries(report.segments as Record<string, number>)
  .filter(([, count]) => count > 0)
  .map(([segment, count]) => `${segment} ${count}`);
const { dormant30DaysAgo, returned, rate } = report.winBack;
console.error(`${report.rows} dormant groups as of ${report.asOf}${values.out ? `, written to ${values.out}` : ''}: ${segments.join(', ') || 'none'}`);
console.error(`win-back: ${returned} of ${dormant30DaysAgo} groups in the base tier 30 days ago ordered since (rate ${rate ?? 'n/a'})`);
