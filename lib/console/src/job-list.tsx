/** The recent simulations or reports (`GET /admin/simulations`, `GET /admin/reports`), newest first. */
import { getJson } from './api';
import { isMissingRoute, Show, StatusBadge, TableBox } from './components';
import { useFormat } from './i18n';
import { useApi } from './use-api';

/** Jobs listed; the rest are reached by id. */
const SHOWN = 10;
const POLL_MS = 2000;

interface Job {
  asOf: string;
  status: string;
  createdAt?: string;
  startedAt?: string;
}

/** The list of a screen's jobs, each linked to its result. */
export function JobList({
  path,
  listField,
  idField,
  label,
  hrefOf,
  shownId,
}: {
  path: '/admin/simulations' | '/admin/reports';
  /** The answer's field that holds the list (`{"simulations": [...], "next"}`). */
  listField: 'simulations' | 'reports';
  idField: string;
  label: string;
  hrefOf: (id: string) => string;
  shownId?: string;
}) {
  const format = useFormat();
  // Read again when the screen shows another job (one just started is listed at once), and polled while
  // one of them runs, so a job that finishes while the screen shows it is listed as finished.
  const { loaded } = useApi(async () => (await getJson<Record<string, (Job & Record<string, string>)[]>>(path))[listField]!, `${path}#${shownId ?? ''}`, {
    pollMs: POLL_MS,
    keepPolling: (jobs) => jobs.slice(0, SHOWN).some((job) => job.status === 'running'),
  });
  // Without the list route the screen still works from an id; the list is an extra.
  if (loaded.state === 'failed' && isMissingRoute(loaded.error)) return null;
  return (
    <Show loaded={loaded}>
      {(jobs) =>
        jobs.length === 0 ? null : (
          <>
            <h2>{label}</h2>
            <TableBox label={label}>
              <thead>
                <tr>
                  <th scope="col">{format.t('asOf')}</th>
                  <th scope="col">{format.t('status')}</th>
                  <th scope="col">{format.t('started')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{format.t('open')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {jobs.slice(0, SHOWN).map((job) => (
                  <tr key={job[idField]}>
                    <th scope="row">{format.date(job.asOf)}</th>
                    <td>
                      <StatusBadge status={job.status} />
                    </td>
                    <td>{format.dateTime(job.createdAt ?? job.startedAt)}</td>
                    <td>
                      <a href={hrefOf(job[idField]!)}>{format.t('open')}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </TableBox>
          </>
        )
      }
    </Show>
  );
}
