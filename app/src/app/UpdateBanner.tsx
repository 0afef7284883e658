import { useRegisterSW } from 'virtual:pwa-register/react';

/** X5: a new deployment waits in the service worker until the user chooses to reload into it. */
export function UpdateBanner() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });

  if (needRefresh) {
    return (
      <div role="status" className="banner">
        <span>Update available.</span>
        <button type="button" onClick={() => void updateServiceWorker(true)}>
          Reload to update
        </button>
        <button type="button" className="secondary" onClick={() => setNeedRefresh(false)}>
          Later
        </button>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <div role="status" className="banner">
        <span>Ready to work offline.</span>
        <button type="button" className="secondary" onClick={() => setOfflineReady(false)}>
          OK
        </button>
      </div>
    );
  }
  return null;
}
