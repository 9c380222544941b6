import { Fragment } from 'preact';
import { getJson } from '../api';
import { BarChart } from '../charts';
import { CsvDownload, Figure, Show, StatusBadge, TableBox } from '../components';
import { useFormat } from '../i18n';
import { JobList } from '../job-list';
import { useTierName } from '../session';
import type { Mover, Simulation } from '../types';
import { useApi } from '../use-api';

/** Movers shown on the page; the CSV has them all. */
const MOVERS_SHOWN = 200;
const POLL_MS = 1000;

/** A simulation's result: tiers current vs candidate, the move matrix, the cost delta and the movers. */
export function SimulationScreen({ simulationId }: { simulationId: string | undefined }) {
  const format = useFormat();
  return (
    <section aria-labelledby="simulation-title">
      <h1 id="simulation-title">{format.t('simulation')}</h1>
      {simulationId ? <SimulationResult key={simulationId} simulationId={simulationId} /> : <p class="muted">{format.t('noSimulation')}</p>}
      <JobList path="/admin/simulations" listField="simulations" idField="simulationId" shownId={simulationId} label={format.t('simulations')} hrefOf={(id) => `#/simulation/${encodeURIComponent(id)}`} />
    </section>
  );
}

function SimulationResult({ simulationId }: { simulationId: string }) {
  const format = useFormat();
  const tierName = useTierName();
  const path = `/admin/simulations/${encodeURIComponent(simulationId)}`;
  const { loaded, reload } = useApi(() => getJson<Simulation>(path), simulationId, { pollMs: POLL_MS, keepPolling: (simulation) => simulation.status === 'running' });
  return (
    <Show loaded={loaded} retry={reload}>
      {(simulation) => {
        if (simulation.status !== 'succeeded') {
          return (
            <p aria-live="polite">
              {format.t('asOf')} {format.date(simulation.asOf)}: <StatusBadge status={simulation.status} /> {simulation.error}
            </p>
          );
        }
        const ids = simulation.tiers.map((tier) => tier.id);
        const names = ids.map(tierName);
        return (
          <div data-simulation={simulation.simulationId}>
            <p class="muted">
              {format.t('asOf')} {format.date(simulation.asOf)} · {format.t('groups')}: {format.count(simulation.groups)}
            </p>
            <div class="figures">
              <Figure label={`${format.t('discountCost')} · ${format.t('current')}`} value={format.money(simulation.discountCost.current)} />
              <Figure label={`${format.t('discountCost')} · ${format.t('candidate')}`} value={format.money(simulation.discountCost.candidate)} />
              <Figure label={format.t('delta')} value={format.money(simulation.discountCost.delta)} />
              <Figure label={format.t('moves')} value={`▲ ${format.count(simulation.moves.up)} · ▼ ${format.count(simulation.moves.down)}`} hint={`${format.t('same')}: ${format.count(simulation.moves.same)}`} />
            </div>
            <div class="charts">
              <BarChart
                title={format.t('groupsPerTier')}
                categories={names}
                series={[
                  { name: format.t('current'), values: simulation.tiers.map((tier) => tier.current.groups), labels: simulation.tiers.map((tier) => format.count(tier.current.groups)), className: 'series-a' },
                  { name: format.t('candidate'), values: simulation.tiers.map((tier) => tier.candidate.groups), labels: simulation.tiers.map((tier) => format.count(tier.candidate.groups)), className: 'series-b' },
                ]}
              />
            </div>
            <TableBox label={format.t('distribution')}>
              <thead>
                <tr>
                  <th scope="col" rowSpan={2}>{format.t('tier')}</th>
                  <th scope="colgroup" colSpan={3}>{format.t('current')}</th>
                  <th scope="colgroup" colSpan={3}>{format.t('candidate')}</th>
                </tr>
                <tr>
                  {[0, 1].map((side) => (
                    <Fragment key={side}>
                      <th scope="col" class="num">{format.t('groups')}</th>
                      <th scope="col" class="num">{format.t('sum90d')}</th>
                      <th scope="col" class="num">{format.t('discountCost')}</th>
                    </Fragment>
                  ))}
                </tr>
              </thead>
              <tbody>
                {simulation.tiers.map((tier) => (
                  <tr key={tier.id} data-tier={tier.id}>
                    <th scope="row">{tierName(tier.id)}</th>
                    {[tier.current, tier.candidate].map((side, index) => (
                      <Fragment key={index}>
                        <td class="num">{format.count(side.groups)}</td>
                        <td class="num">{format.money(side.sum90d)}</td>
                        <td class="num">{format.money(side.discountCost)}</td>
                      </Fragment>
                    ))}
                  </tr>
                ))}
              </tbody>
            </TableBox>
            <h2>{format.t('moveMatrix')}</h2>
            <TableBox label={format.t('moveMatrix')}>
              <thead>
                <tr>
                  <th scope="col">
                    {format.t('from')} \ {format.t('to')}
                  </th>
                  {ids.map((id) => (
                    <th scope="col" class="num" key={id}>{tierName(id)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ids.map((from) => (
                  <tr key={from}>
                    <th scope="row">{tierName(from)}</th>
                    {ids.map((to) => {
                      const count = simulation.moves.matrix[from]?.[to] ?? 0;
                      return (
                        <td key={to} class={`num${from === to ? ' diagonal' : count > 0 ? ' moved' : ''}`}>
                          {format.count(count)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </TableBox>
            <Movers path={path} simulationId={simulation.simulationId} />
          </div>
        );
      }}
    </Show>
  );
}

function Movers({ path, simulationId }: { path: string; simulationId: string }) {
  const format = useFormat();
  const tierName = useTierName();
  const { loaded, reload } = useApi(() => getJson<Mover[]>(`${path}/movers`), `${path}/movers`);
  return (
    <>
      <h2>{format.t('movers')}</h2>
      <CsvDownload path={`${path}/movers?format=csv`} fileName={`movers-${simulationId}.csv`} />
      <Show loaded={loaded} retry={reload}>
        {(movers) => {
          if (movers.length === 0) return <p class="muted">{format.t('noMovers')}</p>;
          return (
            <>
              {movers.length > MOVERS_SHOWN && (
                <p class="muted">
                  {format.t('shownFirst')} {MOVERS_SHOWN} {format.t('of')} {format.count(movers.length)}
                </p>
              )}
              <TableBox label={format.t('movers')}>
                <thead>
                  <tr>
                    <th scope="col">{format.t('group')}</th>
                    <th scope="col" class="num">{format.t('sum90d')}</th>
                    <th scope="col" class="num">{format.t('qualifyingSum90d')}</th>
                    <th scope="col">{format.t('from')}</th>
                    <th scope="col">{format.t('to')}</th>
                  </tr>
                </thead>
                <tbody>
                  {movers.slice(0, MOVERS_SHOWN).map((mover) => (
                    <tr key={mover.groupId} data-group={mover.groupId}>
                      <th scope="row">
                        <a href={`#/group/${encodeURIComponent(mover.groupId)}`}>{mover.name}</a>
                      </th>
                      <td class="num">{format.money(mover.sum90d)}</td>
                      <td class="num">{format.money(mover.qualifyingSum90d)}</td>
                      <td>{tierName(mover.from)}</td>
                      <td>{tierName(mover.to)}</td>
                    </tr>
                  ))}
                </tbody>
              </TableBox>
            </>
          );
        }}
      </Show>
    </>
  );
}
