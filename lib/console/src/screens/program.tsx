import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, getJson, sendJson, type ApiIssue } from '../api';
import { ErrorNote, Show, TableBox } from '../components';
import { useFormat } from '../i18n';
import { locateJsonPath, parseIssuePath, type TextSpan } from '../json-path';
import { useSession } from '../session';
import type { ProgramView } from '../types';
import { useApi } from '../use-api';

/** The deployed program is version 1 "from the beginning" (a date far in the past): say so instead of the date. */
function useEffectiveDate(): (date: string) => string {
  const format = useFormat();
  return (date) => (date < '1900-01-01' ? format.t('fromTheBeginning') : format.date(date));
}

/** The program: the version in effect, every version, and a JSON editor to schedule or simulate a new one. */
export function ProgramScreen({ navigate }: { navigate: (hash: string) => void }) {
  const format = useFormat();
  const effectiveDate = useEffectiveDate();
  const { loaded, reload, refresh } = useApi(() => getJson<ProgramView>('/admin/program'), 'program');
  return (
    <section aria-labelledby="program-title">
      <h1 id="program-title">{format.t('program')}</h1>
      <Show loaded={loaded} retry={reload}>
        {(view) => (
          <>
            <p>
              {format.t('versionInEffect')}: <strong data-field="version">{view.version}</strong>, {format.t('effectiveFrom').toLowerCase()}{' '}
              {effectiveDate(view.effectiveFrom)}
            </p>
            <TableBox label={format.t('versions')}>
              <thead>
                <tr>
                  <th scope="col" class="num">{format.t('version')}</th>
                  <th scope="col">{format.t('effectiveFrom')}</th>
                  <th scope="col">{format.t('createdAt')}</th>
                </tr>
              </thead>
              <tbody>
                {view.versions.map((version) => (
                  <tr key={version.version} data-version={version.version} class={version.version === view.version ? 'current' : undefined}>
                    <th scope="row" class="num">{version.version}</th>
                    <td>{effectiveDate(version.effectiveFrom)}</td>
                    <td>{format.dateTime(version.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </TableBox>
            <ProgramEditor initial={view.program} onScheduled={refresh} navigate={navigate} />
          </>
        )}
      </Show>
    </section>
  );
}

interface LocatedIssue extends ApiIssue {
  span: TextSpan | null;
}

/** Where each issue of a 422 belongs: in the program text, at a date field, or the form as a whole. */
function placeIssues(issues: ApiIssue[], text: string): { program: LocatedIssue[]; dates: ApiIssue[]; other: ApiIssue[] } {
  const program: LocatedIssue[] = [];
  const dates: ApiIssue[] = [];
  const other: ApiIssue[] = [];
  for (const issue of issues) {
    if (issue.path === 'program' || issue.path.startsWith('program.') || issue.path.startsWith('program[')) {
      program.push({ ...issue, span: locateJsonPath(text, parseIssuePath(issue.path).slice(1)) });
    } else if (issue.path === 'effectiveFrom' || issue.path === 'asOf') {
      dates.push(issue);
    } else {
      other.push(issue);
    }
  }
  return { program, dates, other };
}

function tomorrow(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

function ProgramEditor({ initial, onScheduled, navigate }: { initial: unknown; onScheduled: () => void; navigate: (hash: string) => void }) {
  const format = useFormat();
  const session = useSession();
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [effectiveFrom, setEffectiveFrom] = useState(tomorrow);
  const [simulateAsOf, setSimulateAsOf] = useState(session.latestAsOf ?? new Date().toISOString().slice(0, 10));
  const [issues, setIssues] = useState<ApiIssue[]>([]);
  const [failure, setFailure] = useState<Error | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const placed = useMemo(() => placeIssues(issues, text), [issues, text]);
  const lineCount = text.split('\n').length;
  const issueLines = new Map(placed.program.filter((issue) => issue.span).map((issue) => [issue.span!.line, issue]));

  const select = (span: TextSpan | null) => {
    const area = editor.current;
    if (!area || !span) return;
    area.focus();
    area.setSelectionRange(span.start, span.end);
    const lineHeight = area.scrollHeight / lineCount;
    area.scrollTop = Math.max(0, (span.line - 4) * lineHeight);
  };

  /** Parses the editor's text; a syntax error is shown as an issue at the program. */
  const parsed = (): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      setIssues([{ path: 'program', message: `${format.t('invalidJson')}: ${(error as Error).message}` }]);
      return undefined;
    }
  };

  const submit = async (action: 'schedule' | 'simulate') => {
    setDone(null);
    setFailure(null);
    setIssues([]);
    const program = parsed();
    if (program === undefined) return;
    setBusy(true);
    try {
      if (action === 'schedule') {
        const created = await sendJson<{ version: number; effectiveFrom: string }>('PUT', '/admin/program', { effectiveFrom, program });
        setDone(`${format.t('scheduled')} ${created.version}: ${format.t('effectiveFrom').toLowerCase()} ${format.date(created.effectiveFrom)}`);
        onScheduled();
      } else {
        const started = await sendJson<{ simulationId: string }>('POST', '/admin/simulations', { asOf: simulateAsOf, program });
        navigate(`#/simulation/${encodeURIComponent(started.simulationId)}`);
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.issues.length > 0) setIssues(error.issues);
      else setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };

  const dateIssue = (path: string) => placed.dates.find((issue) => issue.path === path);
  const invalid = placed.program.length > 0;
  return (
    <form class="editor-form" onSubmit={(event) => event.preventDefault()} noValidate>
      <h2>
        <label for="program-json">{format.t('editProgram')}</label>
      </h2>
      <p class="muted" id="program-hint">
        {format.t('editorHint')}
      </p>
      {invalid && (
        <div class="note note-error" id="program-issues" role="alert">
          <strong>{format.t('issuesFound')}</strong>
          <ul class="issues">
            {placed.program.map((issue) => (
              <li key={`${issue.path}:${issue.message}`} data-path={issue.path}>
                {issue.span && (
                  <button type="button" class="link-button" onClick={() => select(issue.span)} aria-label={`${format.t('showField')} ${issue.path}`}>
                    {format.t('line')} {issue.span.line}
                  </button>
                )}{' '}
                <code>{issue.path}</code>: {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class={`editor${invalid ? ' editor-invalid' : ''}`}>
        <div class="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, index) => {
            const issue = issueLines.get(index + 1);
            return (
              <div key={index} class={issue ? 'gutter-line gutter-issue' : 'gutter-line'} title={issue ? `${issue.path}: ${issue.message}` : undefined}>
                {issue ? '!' : ''}
                {index + 1}
              </div>
            );
          })}
        </div>
        <textarea
          id="program-json"
          ref={editor}
          spellcheck={false}
          value={text}
          rows={24}
          aria-describedby={invalid ? 'program-hint program-issues' : 'program-hint'}
          aria-invalid={invalid}
          onInput={(event) => setText(event.currentTarget.value)}
          onScroll={(event) => {
            if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
          }}
        />
      </div>
      {placed.other.map((issue) => (
        <p key={issue.path} class="field-error" role="alert">
          <code>{issue.path}</code>: {issue.message}
        </p>
      ))}
      <div class="actions">
        <div class="action">
          <label for="effective-from">{format.t('effectiveFrom')}</label>
          <input
            id="effective-from"
            type="date"
            value={effectiveFrom}
            onInput={(event) => setEffectiveFrom(event.currentTarget.value)}
            aria-invalid={Boolean(dateIssue('effectiveFrom'))}
            aria-describedby={dateIssue('effectiveFrom') ? 'effective-from-error' : undefined}
          />
          <button type="button" disabled={busy} onClick={() => void submit('schedule')}>
            {format.t('schedule')}
          </button>
          {dateIssue('effectiveFrom') && (
            <p class="field-error" id="effective-from-error">
              {dateIssue('effectiveFrom')!.message}
            </p>
          )}
        </div>
        <div class="action">
          <label for="simulate-as-of">{format.t('simulateAsOf')}</label>
          <input
            id="simulate-as-of"
            type="date"
            value={simulateAsOf}
            onInput={(event) => setSimulateAsOf(event.currentTarget.value)}
            aria-invalid={Boolean(dateIssue('asOf'))}
            aria-describedby={dateIssue('asOf') ? 'simulate-as-of-error' : undefined}
          />
          <button type="button" class="secondary" disabled={busy} onClick={() => void submit('simulate')}>
            {format.t('simulate')}
          </button>
          {dateIssue('asOf') && (
            <p class="field-error" id="simulate-as-of-error">
              {dateIssue('asOf')!.message}
            </p>
          )}
        </div>
      </div>
      {done && (
        <p class="note note-ok" role="status">
          {done}
        </p>
      )}
      {failure && <ErrorNote error={failure} />}
    </form>
  );
}
