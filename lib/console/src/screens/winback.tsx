import { useState } from 'preact/hooks';
import { getJson, sendJson } from '../api';
import { BarChart } from '../charts';
import { CsvDownload, ErrorNote, Figure, Show, StatusBadge, TableBox } from '../components';
import { useFormat } from '../i18n';
import { JobList } from '../job-list';
import { useSession } from '../session';
import type { DormantReport, DormantRow } from '../types';
import { useApi } from '../use-api';

/** Rows shown on the page; the CSV has them all. */
const ROWS_SHOWN = 200;
const POLL_MS = 1000;

/** Win-back: build the dormant report for a date, see its segments and ranked list, download the CSV. */
export function WinBackScreen({ reportId, navigate }: { reportId: string | undefined; navigate: (hash: string) => void }) {
  const format = useFormat();
  const session = useSession();
  const [asOf, setAsOf] = useState(session.latestAsOf ?? new Date().toISOString().slice(0, 10));
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setFailure(null);
    setBusy(true);
    try {
      const started = await sendJson<{ reportId: string }>('POST', '/admin/reports', { kind: 'dormant', asOf });
      navigate(`#/winback/${encodeURIComponent(started.reportId)}`);
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="winback-title">
      <h1 id="winback-title">{format.t('winBack')}</h1>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <label for="report-as-of">{format.t('reportAsOf')}</label>
        <input id="report-as-of" type="date" value={asOf} onInput={(event) => setAsOf(event.currentTarget.value)} required />
        <button type="submit" disabled={busy}>
          {format.t('buildReport')}
        </button>
      </form>
      {failure && <ErrorNote error={failure} />}
      {reportId && <ReportResult key={reportId} reportId={reportId} />}
      <JobList path="/admin/reports" listField="reports" idField="reportId" shownId={reportId} label={format.t('reports')} hrefOf={(id) => `#/winback/${encodeURIComponent(id)}`} />
    </section>
  );
}

function ReportResult({ reportId }: { reportId: string }) {
  const format = useFormat();
  const path = `/admin/reports/${encodeURIComponent(reportId)}`;
  const { loaded, reload } = useApi(() => getJson<DormantReport>(path), reportId, { pollMs: POLL_MS, keepPolling: (report) => report.status === 'running' });
  return (
    <Show loaded={loaded} retry={reload}>
      {(report) => {
        if (report.status !== 'succeeded') {
          return (
            <p aria-live="polite">
              {format.t('asOf')} {format.date(report.asOf)}: <StatusBadge status={report.status} /> {report.error}
            </p>
          );
        }
        const segments = Object.entries(report.segments).sort(([, a], [, b]) => b - a);
        return (
          <div data-report={report.reportId}>
            <p class="muted">
              {format.t('asOf')} {format.date(report.asOf)} · {format.t('rows')}: {format.count(report.rows)}
            </p>
            {report.winBack && (
              <div class="figures">
                <Figure
                  label={format.t('winBackRate')}
                  // From the two counts: the same figure whether `rate` is given as a fraction or a percentage.
                  value={format.percent(report.winBack.dormant30DaysAgo > 0 ? (report.winBack.returned / report.winBack.dormant30DaysAgo) * 100 : 0)}
                  hint={`${format.count(report.winBack.returned)} ${format.t('returned')} ${format.t('of')} ${format.count(report.winBack.dormant30DaysAgo)} ${format.t('dormant30DaysAgo')}`}
                />
              </div>
            )}
            <div class="charts">
              <BarChart
                title={format.t('segments')}
                categories={segments.map(([segment]) => format.segment(segment))}
                series={[{ name: format.t('groups'), values: segments.map(([, count]) => count), labels: segments.map(([, count]) => format.count(count)), className: 'series-a' }]}
              />
            </div>
            <ReportRows path={path} reportId={report.reportId} />
          </div>
        );
      }}
    </Show>
  );
}

function ReportRows({ path, reportId }: { path: string; reportId: string }) {
  const format = useFormat();
  const { loaded, reload } = useApi(() => getJson<DormantRow[]>(`${path}/rows`), `${path}/rows`);
  return (
    <>
      <h2>{format.t('rankedList')}</h2>
      <CsvDownload path={`${path}/rows?format=csv`} fileName={`dormant-${reportId}.csv`} />
      <Show loaded={loaded} retry={reload}>
        {(rows) => {
          return (
            <>
              {rows.length > ROWS_SHOWN && (
                <p class="muted">
                  {format.t('shownFirst')} {ROWS_SHOWN} {format.t('of')} {format.count(rows.length)}
                </p>
              )}
              <TableBox label={format.t('rankedList')}>
                <thead>
                  <tr>
                    <th scope="col">{format.t('group')}</th>
                    <th scope="col">{format.t('segment')}</th>
                    <th scope="col">{format.t('lastOrder')}</th>
                    <th scope="col" class="num">{format.t('orders365')}</th>
                    <th scope="col" class="num">{format.t('sum365')}</th>
                    <th scope="col" class="num">{format.t('toLowestPaidTier')}</th>
                    <th scope="col" class="num">R·F·M</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, ROWS_SHOWN).map((row) => (
                    <tr key={row.groupId} data-group={row.groupId}>
                      <th scope="row">
                        <a href={`#/group/${encodeURIComponent(row.groupId)}`}>{row.name}</a>
                      </th>
                      <td>{format.segment(row.segment)}</td>
                      <td>{format.date(row.lastOrderDate)}</td>
                      <td class="num">{format.count(row.orders365)}</td>
                      <td class="num">{format.money(row.sum365)}</td>
                      <td class="num">{format.money(row.toLowestPaidTier)}</td>
                      <td class="num">
                        {row.r}·{row.f}·{row.m}
                      </td>
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
