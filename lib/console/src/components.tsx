/** Small pieces every screen uses: the loading and error states, run status, a section heading. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, downloadCsv } from './api';
import { useFormat } from './i18n';
import type { Loaded } from './use-api';

/** Whether an error means the route is not served (a part of the API not deployed yet). */
export function isMissingRoute(error: Error): boolean {
  return error instanceof ApiError && error.status === 404 && /^No route|^Not Found/i.test(error.message);
}

/** The error of a failed read, in words, with a retry. */
export function ErrorNote({ error, retry }: { error: Error; retry?: () => void }) {
  const format = useFormat();
  const text = isMissingRoute(error) ? format.t('notAvailable') : error.message;
  return (
    <div class="note note-error" role="alert">
      <strong>{format.t('error')}:</strong> {text}
      {error instanceof ApiError && error.status !== 404 && error.status !== 401 && <> ({error.status} {error.code})</>}
      {retry && (
        <button type="button" class="link-button" onClick={retry}>
          {format.t('retry')}
        </button>
      )}
    </div>
  );
}

/** A button that downloads a result's CSV (every page of it) as `fileName`, with the error if it fails. */
export function CsvDownload({ path, fileName }: { path: string; fileName: string }) {
  const format = useFormat();
  const [failure, setFailure] = useState<Error | null>(null);
  return (
    <>
      <button type="button" class="secondary" onClick={() => downloadCsv(path, fileName).catch(setFailure)}>
        {format.t('downloadCsv')}
      </button>
      {failure && <ErrorNote error={failure} />}
    </>
  );
}

/** Renders a read's result, or its loading or failed state. */
export function Show<T>({ loaded, retry, children }: { loaded: Loaded<T>; retry?: () => void; children: (data: T) => ComponentChildren }) {
  const format = useFormat();
  if (loaded.state === 'loading') return <p class="muted" aria-live="polite">{format.t('loading')}</p>;
  if (loaded.state === 'failed') return <ErrorNote error={loaded.error} retry={retry} />;
  return <>{children(loaded.data)}</>;
}

/** A job's status (run, simulation, report) as a coloured word. */
export function StatusBadge({ status }: { status: string }) {
  const format = useFormat();
  const key = status === 'running' ? 'statusRunning' : status === 'succeeded' ? 'statusSucceeded' : status === 'failed' ? 'statusFailed' : undefined;
  return <span class={`badge badge-${status}`}>{key ? format.t(key) : status}</span>;
}

/** A labelled figure (a card of the overview). */
export function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div class="figure">
      <div class="figure-label">{label}</div>
      <div class="figure-value">{value}</div>
      {hint && <div class="figure-hint">{hint}</div>}
    </div>
  );
}

/** A table that scrolls sideways on a narrow screen instead of overflowing the page. */
export function TableBox({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-box" role="region" aria-label={label} tabIndex={0}>
      <table>
        <caption class="visually-hidden">{label}</caption>
        {children}
      </table>
    </div>
  );
}
