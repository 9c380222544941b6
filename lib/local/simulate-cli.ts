/**
 * `npm run simulate -- --as-of YYYY-MM-DD --program file.json`: simulates a candidate program on the live base
 * of a running stack (POST /admin/simulations), shows its progress and prints the tier table, the moves and
 * the discount cost delta. `--simulation <id>` shows one that already ran.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { callAdminJson, fail, followJob } from './admin-api.js';

const USAGE = `usage:
  npm run simulate -- --as-of YYYY-MM-DD --program <file.json>   simulate a candidate program as of that date
  npm run simulate -- --simulation <simulationId>                show a simulation again
env: API_URL (default http://localhost:$PORT or :3000), ADMIN_TOKEN (default: the dev token)`;

const { values } = parseArgs({ options: { 'as-of': { type: 'string' }, program: { type: 'string' }, simulation: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
let simulationId = values.simulation;
if (!simulationId) {
  if (!values['as-of'] || !values.program) fail(USAGE, 2);
  let program: unknown;
  try {
    program = JSON.parse(readFileSync(values.program, 'utf8'));
  } catch (error) {
    fail(`Cannot read the program file ${values.program}: ${(error as Error).message}`, 2);
  }
  ({ simulationId } = await callAdminJson('/admin/simulations', { method: 'POST', body: JSON.stringify({ asOf: values['as-of'], program }) }));
  console.error(`started simulation ${simulationId}`);
}

const simulation = await followJob(`/admin/simulations/${encodeURIComponent(simulationId!)}`, `simulation ${simulationId}`);
type Side = { groups: number; sum90d: string; discountCost: string };
const rows: string[][] = [
  ['tier', 'groups now', 'sum 90d now', 'cost now', 'groups then', 'sum 90d then', 'cost then'],
  ...(simulation.tiers as { id: string; current: Side; candidate: Side }[]).map(({ id, current, candidate }) => [
    id,
    String(current.groups),
    current.sum90d,
    current.discountCost,
    String(candidate.groups),
    candidate.sum90d,
    candidate.discountCost,
  ]),
];
const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
for (const row of rows) console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
const { up, down, same } = simulation.moves;
const { current, candidate, delta } = simulation.discountCost;
console.log(`\n${simulation.groups} groups as of ${simulation.asOf} (now: program version ${simulation.programVersion}; then: the candidate): ${up} up, ${down} down, ${same} unchanged`);
console.log(`movers: GET /admin/simulations/${simulationId}/movers?format=csv`);
console.log(`discount cost: now ${current}, then ${candidate}, delta ${delta.startsWith('-') ? delta : `+${delta}`}`);
