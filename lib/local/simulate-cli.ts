/**
 * `npm run simulate -- --as-of YYYY-MM-DD --program file.json`: simulates a candidate program on the live
 * base of a running stack (POST /admin/simulations), shows its progress and prints the tier table, the
 * moves and the discount cost delta. `--simulation <id>` shows one that already ran.
 */
import { adminApi } from './admin-api.js';
import { fail, parseCommandLine, readBodyArgument, USAGE_ERROR } from './cli.js';

const NAME = 'simulate';
const COMMAND = 'npm run simulate --';

const { values } = parseCommandLine({
  name: NAME,
  command: COMMAND,
  options: { 'as-of': { type: 'string' }, program: { type: 'string' }, simulation: { type: 'string' } },
  help: `
Usage: ${COMMAND} --as-of YYYY-MM-DD --program <file.json>   simulate a candidate program as of that date
       ${COMMAND} --simulation <simulationId>                show a simulation again

Prints the progress (stderr), then the tier table now (the program in effect at the date) and then (the
candidate), the moves and the discount cost delta. The program file has the shape of a program version
(npm run program -- show prints one); a bad field is refused with its path. Exits 0 when the simulation
succeeded, 1 when it failed or the API refused.

Environment:
  PORT         port of the local stack's API (default 3000)
  API_URL      full base URL instead (e.g. http://localhost:3100)
  ADMIN_TOKEN  the admin token the stack runs with (default: the dev token npm start prints)
`,
});
if (!values.simulation && !(values['as-of'] && values.program)) {
  fail(NAME, `give --as-of YYYY-MM-DD and --program <file.json>, or --simulation <id> (see ${COMMAND} --help)`, USAGE_ERROR);
}

const { call, follow } = adminApi(NAME);
let simulationId = values.simulation;
if (!simulationId) {
  let program: unknown;
  try {
    program = JSON.parse(readBodyArgument(NAME, values.program!));
  } catch (error) {
    fail(NAME, `the program file ${values.program} is not JSON: ${(error as Error).message}`, USAGE_ERROR);
  }
  ({ simulationId } = await call('/admin/simulations', { method: 'POST', body: JSON.stringify({ asOf: values['as-of'], program }) }));
  console.error(`started simulation ${simulationId}`);
}

const simulation = await follow(`/admin/simulations/${encodeURIComponent(simulationId!)}`, (line) => console.error(line));
if (simulation.status !== 'succeeded') fail(NAME, `simulation ${simulationId} ${simulation.status}: ${simulation.error ?? ''}`);
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
