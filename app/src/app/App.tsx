import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IncomingCheck } from '../features/partners/IncomingCheck';
import { PartnerSessionProvider } from '../features/partners/session-context';
import { DeviceSyncProvider } from '../features/devices/sync-context';
import { FirstRun } from '../features/profile/FirstRun';
import { RestorePanel } from '../features/security/RestorePanel';
import { loadRestOfCatalog, withCatalog } from '../i18n';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { WitnessNavLink } from '../features/witness/WitnessNavLink';
import type { Profile } from '../storage/records';
import { DepsContext, ProfileContext, useRole, type AppDeps } from '../context/deps';
import { homeOf, NAV, routeAllowed } from '../context/route-access';
import { useRoute, type Route } from '../context/router';
import { useAfterPaint } from './after-paint';
import { OfflineBanner } from './OfflineBanner';
import { UpdateBanner } from './UpdateBanner';

// Every screen but set-up loads on first use (and is precached for offline use), once the rest of its
// language's catalog is there too (i18n/index.ts): a first visit paints the set-up screen alone
// (#12 item 9). The contact list, the first screen of a device set up before, then comes with its
// words from the service worker's cache.
const ContactsList = lazy(() => withCatalog(import('../features/contacts/ContactsList')).then((m) => ({ default: m.ContactsList })));
const ContactEditor = lazy(() => withCatalog(import('../features/contacts/ContactEditor')).then((m) => ({ default: m.ContactEditor })));
const ImportPage = lazy(() => withCatalog(import('../features/import/ImportPage')).then((m) => ({ default: m.ImportPage })));
const DuplicatesPage = lazy(() => withCatalog(import('../features/contacts/DuplicatesPage')).then((m) => ({ default: m.DuplicatesPage })));
const ExportPage = lazy(() => withCatalog(import('../features/export/ExportPage')).then((m) => ({ default: m.ExportPage })));
const PartnersPage = lazy(() => withCatalog(import('../features/partners/PartnersPage')).then((m) => ({ default: m.PartnersPage })));
const IdentityPage = lazy(() => withCatalog(import('../features/identity/IdentityPage')).then((m) => ({ default: m.IdentityPage })));
const ListsPage = lazy(() => withCatalog(import('../features/lists/ListsPage')).then((m) => ({ default: m.ListsPage })));
const SecurityPage = lazy(() => withCatalog(import('../features/security/SecurityPage')).then((m) => ({ default: m.SecurityPage })));
const DevicesPage = lazy(() => withCatalog(import('../features/devices/DevicesPage')).then((m) => ({ default: m.DevicesPage })));
const PairJoinPage = lazy(() => withCatalog(import('../features/devices/PairJoinPage')).then((m) => ({ default: m.PairJoinPage })));
const SyncIndicator = lazy(() => withCatalog(import('../features/devices/SyncIndicator')).then((m) => ({ default: m.SyncIndicator })));
const WitnessPage = lazy(() => withCatalog(import('../features/witness/WitnessPage')).then((m) => ({ default: m.WitnessPage })));

export function App({ deps }: { deps: AppDeps }) {
  const { t } = useTranslation();
  const route = useRoute();
  const [profile, setProfile] = useState<Profile | null | undefined>(undefined);

  useEffect(() => {
    void deps.stores.profile.load().then((p) => setProfile(p ?? null));
  }, [deps.stores]);
  // I1, I2: the identity (its keys, the registration solved in the background) and the rest of the
  // catalog load once the first screen is up, not before it (#12 item 9); a screen or a partner
  // session that needs them first waits for them.
  // The service worker registers then too (UpdateBanner).
  const painted = useAfterPaint(profile !== undefined);
  useEffect(() => {
    if (!painted) return;
    void loadRestOfCatalog().catch(() => undefined);
    void deps.identity().catch(() => undefined);
  }, [deps, painted]);

  return (
    <DepsContext.Provider value={deps}>
      {painted && <UpdateBanner />}
      {profile === undefined ? (
        <p className="page" role="status">
          {t('common.loading')}
        </p>
      ) : profile === null && route.name === 'pair' ? (
        // I10: a new device opened a pairing link: it joins the organisation instead of setting one up.
        <Suspense fallback={<p className="page" role="status">{t('common.loading')}</p>}>
          <PairJoinPage fragment={route.fragment} />
        </Suspense>
      ) : profile === null ? (
        <FirstRun onDone={setProfile} joining={route.name === 'join'} restore={<RestorePanel />} />
      ) : (
        <ProfileContext.Provider value={profile}>
          <PartnerSessionProvider>
            <DeviceSyncProvider>
              <Shell route={route} profile={profile} />
            </DeviceSyncProvider>
          </PartnerSessionProvider>
        </ProfileContext.Provider>
      )}
    </DepsContext.Provider>
  );
}

function Shell({ route: asked, profile }: { route: Route; profile: Profile }) {
  const { t } = useTranslation();
  const role = useRole();
  const route = asked.name === 'home' ? homeOf(role) : asked;
  const section =
    route.name === 'partners' || route.name === 'join'
      ? 'partners'
      : route.name === 'import' || route.name === 'duplicates' || route.name === 'export' || route.name === 'identity' || route.name === 'witness' || route.name === 'lists' || route.name === 'security' || route.name === 'devices'
        ? route.name
        : 'contacts';
  return (
    <>
      <header className="topbar">
        <span className="brand" aria-label={t('common.brand', { org: profile.orgName })}>
          Ihyid · <bdi className="org">{profile.orgName}</bdi>
        </span>
        <LanguageSwitch />
        <nav aria-label={t('common.navLabel')}>
          {NAV.filter((item) => routeAllowed(item.route, role)).map((item) => (
            <a key={item.href} href={item.href} aria-current={section === item.route ? 'page' : undefined}>
              {t(item.label)}
            </a>
          ))}
          <WitnessNavLink current={route.name === 'witness'} />
        </nav>
        <Suspense fallback={null}>
          <SyncIndicator />
        </Suspense>
      </header>
      <OfflineBanner />
      <main className="page">
        <IncomingCheck />
        <Suspense
          fallback={
            <p role="status" className="muted">
              {t('common.loading')}
            </p>
          }
        >
          {routeAllowed(route.name, role) ? <Screen route={route} /> : <p role="alert">{t('common.notAllowed')}</p>}
        </Suspense>
      </main>
    </>
  );
}

function Screen({ route }: { route: Route }) {
  const { t } = useTranslation();
  switch (route.name) {
    case 'new-contact':
      return <ContactEditor key="new" />;
    case 'edit-contact':
      return <ContactEditor key={route.id} contactId={route.id} />;
    case 'import':
      return <ImportPage />;
    case 'duplicates':
      return <DuplicatesPage />;
    case 'export':
      return <ExportPage />;
    case 'partners':
      return <PartnersPage />;
    case 'identity':
      return <IdentityPage />;
    case 'witness':
      return <WitnessPage />;
    case 'lists':
      return <ListsPage />;
    case 'security':
      return <SecurityPage />;
    case 'devices':
      return <DevicesPage />;
    case 'pair':
      // A device that already belongs to an organisation: pairing links are for new devices.
      return <p role="alert">{t('common.alreadyMember')}</p>;
    case 'join':
      return <PartnersPage joinSecret={route.secret} />;
    case 'home':
    case 'settings':
    case 'contacts':
      return <ContactsList />;
  }
}
