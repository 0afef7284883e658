import { useTranslation } from 'react-i18next';
import { formatDay } from '../../i18n/format';
import { useAutoSync } from './sync-context';

/**
 * X4: the sync indicator (top bar and Devices screen): the state of the automatic sync, when this
 * device last completed one, and how many of its versions no sync has carried yet.
 */
export function SyncIndicator() {
  const { t } = useTranslation();
  const [view] = useAutoSync();
  if (!view) return null;
  const state =
    view.status === 'revoked'
      ? t('devices.stateRevoked')
      : view.syncing
        ? t('devices.stateSyncing')
        : view.status === 'connected'
          ? t('devices.stateConnected', { count: view.connected })
          : view.status === 'offline'
            ? t('devices.stateOffline')
            : view.status === 'waiting'
              ? t('devices.stateWaiting')
              : t('devices.stateStarting');
  const last = view.lastSync ? t('devices.lastSync', { when: `${formatDay(view.lastSync)} ${view.lastSync.slice(11, 16)}` }) : t('devices.neverSynced');
  return (
    <span className="muted sync-indicator" role="group" aria-label={t('devices.indicatorLabel')} data-status={view.status} data-pending={view.pending}>
      {state} · {last}
      {view.pending > 0 && <> · {t('devices.pending', { count: view.pending })}</>}
    </span>
  );
}
