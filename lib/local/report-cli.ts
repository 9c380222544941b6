/**
 * `npm run report -- dormant --as-of YYYY-MM-DD [--out file.csv]`: runs the win-back list of dormant
 * counterparties on a running stack (POST /admin/reports), shows its progress and writes its rows as CSV
 * (to stdout, or to --out), the summary on stderr. `--report <id>` writes one that already ran.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { callAdminJson, fail, fetchAllCsv, followJob } from './admin-api.js';

const USAGE = `usage:
  npm run report -- dormant --as-of YYYY-MM-DD [--out rows.csv]   the dormant counterparties as of that date, as CSV
  npm run report -- dormant --report <reportId> [--out rows.csv]  a report that already ran
env: API_URL (default http://localhost:$PORT or :3000), ADMIN_TOKEN (default: the dev token)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'as-of': { type: 'string' }, report: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const [kind] = positionals;
if (kind !== 'dormant' || positionals.length !== 1 || (!values['as-of'] && !values.report)) fail(USAGE, 2);

let reportId = values.report;
if (!reportId) {
  ({ reportId } = await callAdminJson('/admin/reports', { method: 'POST', body: JSON.stringify({ kind, asOf: values['as-of'] }) }));
  console.error(`started report ${reportId}`);
}
const path = `/admin/reports/${encodeURIComponent(reportId!)}`;
const report = await followJob(path, `report ${reportId}`);
const csv = await fetchAllCsv(`${path}/rows`);
if (values.out) writeFileSync(values.out, csv);
else process.stdout.write(csv);
const segments = Object.entries(report.segments as Record<string, number>)
  .filter(([, count]) => count > 0)
  .map(([segment, count]) => `${segment} ${count}`);
const { dormant30DaysAgo, returned, rate } = report.winBack;
console.error(`${report.rows} dormant groups as of ${report.asOf}${values.out ? `, written to ${values.out}` : ''}: ${segments.join(', ') || 'none'}`);
console.error(`win-back: ${returned} of ${dormant30DaysAgo} groups in the base tier 30 days ago ordered since (rate ${rate ?? 'n/a'})`);
