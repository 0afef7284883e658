import { useTranslation } from 'react-i18next';
import { useDeps } from '../../context/deps';
import { AttestationRequests } from './AttestationRequests';
import { MyIdentity } from './MyIdentity';
import { PartnerIdentities } from './PartnerIdentities';
import { useIdentity } from './runtime';

/** The identity screen (I1–I7): my identity, partners, and requests waiting for me. */
export function IdentityPage() {
  const { t } = useTranslation();
  const { service, snapshot } = useIdentity();
  const { now } = useDeps();
  return (
    <>
      <h1>{t('identity.title')}</h1>
      <MyIdentity service={service} snapshot={snapshot} />
      {snapshot.ready && (
        <>
          <PartnerIdentities partners={snapshot.partners} connected={snapshot.connected} shown={snapshot.shown} service={service} now={now().getTime()} />
          <AttestationRequests incoming={snapshot.incoming} presentRequests={snapshot.presentRequests} held={snapshot.held} service={service} />
        </>
      )}
    </>
  );
}
