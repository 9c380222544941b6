import { useState } from 'preact/hooks';
import { ApiError, getJson } from '../api';
import { Show, TableBox } from '../components';
import { useFormat, type TextKey } from '../i18n';
import { useTierName } from '../session';
import type { GroupStatus, TierChange } from '../types';
import { useApi } from '../use-api';

/** Why a tier changed (§4.2 `reason`), in words. */
const REASONS: Record<string, TextKey> = { sum: 'reasonSum', floor: 'reasonFloor', program: 'reasonProgram' };

/** Group lookup: status, outlook, floor, members and tier history of one group (or client id). */
export function GroupScreen({ groupId, navigate }: { groupId: string | undefined; navigate: (hash: string) => void }) {
  const format = useFormat();
  const [draft, setDraft] = useState(groupId ?? '');
  return (
    <section aria-labelledby="group-title">
      <h1 id="group-title">{format.t('groupLookup')}</h1>
      <form
        class="inline-form"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          if (draft.trim()) navigate(`#/group/${encodeURIComponent(draft.trim())}`);
        }}
      >
        <label for="group-id">{format.t('groupId')}</label>
        <input id="group-id" name="groupId" value={draft} onInput={(event) => setDraft(event.currentTarget.value)} autoComplete="off" required />
        <button type="submit">{format.t('lookUp')}</button>
      </form>
      {groupId && <GroupDetails key={groupId} groupId={groupId} />}
    </section>
  );
}

function GroupDetails({ groupId }: { groupId: string }) {
  const format = useFormat();
  const tierName = useTierName();
  const path = `/groups/${encodeURIComponent(groupId)}`;
  const { loaded, reload } = useApi(
    async () => {
      const [status, history] = await Promise.all([getJson<GroupStatus>(path), getJson<{ changes: TierChange[] }>(`${path}/history`)]);
      return { status, history: history.changes };
    },
    groupId,
  );
  if (loaded.state === 'failed' && loaded.error instanceof ApiError && loaded.error.status === 404) {
    return <p class="note" role="alert">{format.t('groupNotFound')}: {groupId}</p>;
  }
  return (
    <Show loaded={loaded} retry={reload}>
      {({ status, history }) => (
        <div class="group" data-group={status.groupId}>
          <h2>
            {status.name} <span class="muted">({status.groupId})</span>
          </h2>
          <dl class="facts">
            <div>
              <dt>{format.t('tier')}</dt>
              <dd data-field="tier">
                <strong>{status.tier.name}</strong> · {format.percent(status.tier.discountPercent)}
              </dd>
            </div>
            <div>
              <dt>{format.t('sum90d')}</dt>
              <dd data-field="sum90d">{format.money(status.sum90d)}</dd>
            </div>
            {status.qualifyingSum90d !== undefined && (
              <div>
                <dt>{format.t('qualifyingSum90d')}</dt>
                <dd>{format.money(status.qualifyingSum90d)}</dd>
              </div>
            )}
            <div>
              <dt>{format.t('asOf')}</dt>
              <dd>{format.date(status.asOf)}</dd>
            </div>
            <div>
              <dt>{format.t('tierSince')}</dt>
              <dd>{format.date(status.tierSince)}</dd>
            </div>
            <div>
              <dt>{format.t('nextTier')}</dt>
              <dd>
                {status.nextTier
                  ? `${tierName(status.nextTier.id)}: ${format.t('remaining')} ${format.money(status.nextTier.remaining)}`
                  : format.t('topTier')}
              </dd>
            </div>
            {status.floor !== undefined && (
              <div>
                <dt>{format.t('floor')}</dt>
                <dd data-field="floor">{status.floor ? `${tierName(status.floor.tierId)} ${format.t('floorUntil')} ${format.date(status.floor.until)}` : format.t('noFloor')}</dd>
              </div>
            )}
          </dl>
          {status.tier.benefits.length > 0 && (
            <>
              <h3>{format.t('benefits')}</h3>
              <ul class="benefits">
                {status.tier.benefits.map((benefit) => (
                  <li key={benefit}>{benefit}</li>
                ))}
              </ul>
            </>
          )}
          {status.outlook && (
            <>
              <h3>{format.t('outlook')}</h3>
              <dl class="facts" data-section="outlook">
                <div>
                  <dt>{format.t('holdsUntil')}</dt>
                  <dd>{format.date(status.outlook.holdsUntil)}</dd>
                </div>
                <div>
                  <dt>{format.t('toKeep')}</dt>
                  <dd>{format.money(status.outlook.toKeep)}</dd>
                </div>
                <div>
                  <dt>{format.t('belowRetainSince')}</dt>
                  <dd>{format.date(status.outlook.belowRetainSince)}</dd>
                </div>
                <div>
                  <dt>{format.t('downgradeOn')}</dt>
                  <dd>
                    {status.outlook.downgradeOn
                      ? `${format.date(status.outlook.downgradeOn)} ${format.t('downgradeTo')} ${tierName(status.outlook.downgradeTo)}`
                      : format.t('none')}
                  </dd>
                </div>
              </dl>
            </>
          )}
          <h3>{format.t('members')}</h3>
          <ul class="members">
            {status.members.map((member) => (
              <li key={member}>
                <code>{member}</code>
              </li>
            ))}
          </ul>
          <h3>{format.t('history')}</h3>
          {history.length === 0 ? (
            <p class="muted">{format.t('noHistory')}</p>
          ) : (
            <TableBox label={format.t('history')}>
              <thead>
                <tr>
                  <th scope="col">{format.t('date')}</th>
                  <th scope="col">{format.t('change')}</th>
                  <th scope="col" class="num">{format.t('sum90d')}</th>
                  <th scope="col">{format.t('reason')}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((change) => (
                  <tr key={change.eventId}>
                    <th scope="row">{format.date(change.asOf)}</th>
                    <td class={change.direction}>
                      {change.direction === 'up' ? '▲' : '▼'} {tierName(change.from)} → {tierName(change.to)}
                    </td>
                    <td class="num">{format.money(change.sum90d)}</td>
                    <td>{change.reason ? (REASONS[change.reason] ? format.t(REASONS[change.reason]!) : change.reason) : format.t('none')}</td>
                  </tr>
                ))}
              </tbody>
            </TableBox>
          )}
        </div>
      )}
    </Show>
  );
}


