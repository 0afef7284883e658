import { useTranslation } from 'react-i18next';
import { useRegisterSW } from 'virtual:pwa-register/react';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** X5: a new deployment waits in the service worker until the user chooses to reload into it. */
export function UpdateBanner() {
  const { t } = useTranslation();
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    immediate: true,
    // A phone may keep the app open for days: look for a new deployment every hour, not only at start.
    onRegisteredSW(_url, registration) {
      if (registration) setInterval(() => void registration.update().catch(() => undefined), UPDATE_CHECK_MS);
    },
  });

  function reloadIntoUpdate() {
    // workbox-window reloads by itself only for an update it found at start; one found later by the
    // hourly check takes control without that reload, so we reload when the new worker takes over.
    navigator.serviceWorker?.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    void updateServiceWorker(true);
  }

  if (needRefresh) {
    return (
      <div role="status" className="banner">
        <span>{t('common.updateAvailable')}</span>
        <button type="button" onClick={reloadIntoUpdate}>
          {t('common.reloadToUpdate')}
        </button>
        <button type="button" className="secondary" onClick={() => setNeedRefresh(false)}>
          {t('common.later')}
        </button>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <div role="status" className="banner">
        <span>{t('common.offlineReady')}</span>
        <button type="button" className="secondary" onClick={() => setOfflineReady(false)}>
          {t('common.ok')}
        </button>
      </div>
    );
  }
  return null;
}
