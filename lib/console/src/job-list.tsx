/** The recent simulations or reports (`GET /admin/simulations`, `GET /admin/reports`), newest first. */
import { getJson } from './api';
import { isMissingRoute, Show, StatusBadge, TableBox } from './components';
import { useFormat } from './i18n';
import { useApi } from './use-api';

interface Job {
  asOf: string;
  status: string;
  createdAt?: string;
  startedAt?: string;
}

/** Reads a list answer whether it is a bare array or an object holding one (`{items: [...]}`). */
function asList<T>(answer: unknown): T[] {
  if (Array.isArray(answer)) return answer as T[];
  const list = Object.values((answer ?? {}) as Record<string, unknown>).find(Array.isArray);
  return (list ?? []) as T[];
}

export function JobList({ path, idField, label, hrefOf }: { path: string; idField: string; label: string; hrefOf: (id: string) => string }) {
  const format = useFormat();
  const { loaded } = useApi(async () => asList<Job & Record<string, string>>(await getJson<unknown>(path)), path);
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
                {jobs.slice(0, 10).map((job) => (
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
