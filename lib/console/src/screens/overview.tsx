import { getJson } from '../api';
import { BarChart } from '../charts';
import { Figure, Show, StatusBadge, TableBox } from '../components';
import { useFormat } from '../i18n';
import type { Overview } from '../types';
import { useApi } from '../use-api';

/** The first screen: tier distribution (groups and 90-day sums), discount cost, recent runs and their changes. */
export function OverviewScreen() {
  const format = useFormat();
  const { loaded, reload } = useApi(() => getJson<Overview>('/admin/overview'), 'overview');
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{format.t('distribution')}</h1>
      <Show loaded={loaded} retry={reload}>
        {(overview) => {
          const names = overview.tiers.map((tier) => tier.name[format.locale]);
          const totalGroups = overview.tiers.reduce((sum, tier) => sum + tier.groups, 0);
          return (
            <>
              {overview.asOf ? (
                <p class="muted">
                  {format.t('asOf')} <time dateTime={overview.asOf}>{format.date(overview.asOf)}</time>
                </p>
              ) : (
                <p class="note">{format.t('noRunYet')}</p>
              )}
              <div class="figures">
                <Figure label={format.t('groups')} value={format.count(totalGroups)} />
                <Figure label={format.t('discountCost')} value={format.money(overview.discountCost)} hint={format.t('discountCostHint')} />
              </div>
              <div class="charts">
                <BarChart
                  title={format.t('groupsPerTier')}
                  categories={names}
                  series={[{ name: format.t('groups'), values: overview.tiers.map((tier) => tier.groups), labels: overview.tiers.map((tier) => format.count(tier.groups)), className: 'series-a' }]}
                />
                <BarChart
                  title={format.t('sumPerTier')}
                  categories={names}
                  series={[{ name: format.t('sum90d'), values: overview.tiers.map((tier) => Number(tier.sum90d)), labels: overview.tiers.map((tier) => format.money(tier.sum90d)), className: 'series-b' }]}
                />
              </div>
              <TableBox label={format.t('distribution')}>
                <thead>
                  <tr>
                    <th scope="col">{format.t('tier')}</th>
                    <th scope="col" class="num">{format.t('discount')}</th>
                    <th scope="col" class="num">{format.t('groups')}</th>
                    <th scope="col" class="num">{format.t('sum90d')}</th>
                    <th scope="col" class="num">{format.t('discountCost')}</th>
                  </tr>
                </thead>
                <tbody>
                  {overview.tiers.map((tier) => (
                    <tr key={tier.id} data-tier={tier.id}>
                      <th scope="row">{tier.name[format.locale]}</th>
                      <td class="num">{format.percent(tier.discountPercent)}</td>
                      <td class="num" data-field="groups">{format.count(tier.groups)}</td>
                      <td class="num" data-field="sum90d">{format.money(tier.sum90d)}</td>
                      <td class="num" data-field="discountCost">{format.money(tier.discountCost)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{format.t('total')}</th>
                    <td />
                    <td class="num">{format.count(totalGroups)}</td>
                    <td />
                    <td class="num">{format.money(overview.discountCost)}</td>
                  </tr>
                </tfoot>
              </TableBox>
              <h2>{format.t('recentRuns')}</h2>
              {overview.runs.length === 0 ? (
                <p class="muted">{format.t('noRuns')}</p>
              ) : (
                <TableBox label={format.t('recentRuns')}>
                  <thead>
                    <tr>
                      <th scope="col">{format.t('asOf')}</th>
                      <th scope="col">{format.t('status')}</th>
                      <th scope="col" class="num">{format.t('groups')}</th>
                      <th scope="col" class="num">{format.t('changed')}</th>
                      <th scope="col" class="num">{format.t('up')}</th>
                      <th scope="col" class="num">{format.t('down')}</th>
                      <th scope="col">{format.t('started')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overview.runs.map((run) => (
                      <tr key={run.runId} data-run={run.runId}>
                        <th scope="row">{format.date(run.asOf)}</th>
                        <td>
                          <StatusBadge status={run.status} />
                        </td>
                        <td class="num">{format.count(run.groups)}</td>
                        <td class="num">{format.count(run.changed)}</td>
                        <td class="num up">▲ {format.count(run.up)}</td>
                        <td class="num down">▼ {format.count(run.down)}</td>
                        <td>{format.dateTime(run.startedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </TableBox>
              )}
            </>
          );
        }}
      </Show>
    </section>
  );
}
