import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { compareScannedFingerprint, type FingerprintScan as ScanResult, type OrgFingerprint } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { loadQrDecoder } from './qr-decoder';

type State = { phase: 'idle' } | { phase: 'scanning' } | { phase: 'no-camera' } | { phase: 'done'; result: ScanResult };

const FRAME_MS = 250;
const MAX_SIDE = 480;

/**
 * I8, #12 item 8: the partner's fingerprint compared by scanning the QR code its Identity screen
 * shows, where the device has a camera. The camera runs only while scanning and stops at the first
 * code read, on Cancel, and when the panel closes.
 */
export function FingerprintScan({ verified, partner }: { verified: OrgFingerprint; partner: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (state.phase !== 'scanning') return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      } catch {
        if (!stopped) setState({ phase: 'no-camera' });
        return;
      }
      if (stopped) return stop();
      const decode = await loadQrDecoder();
      const el = video.current!;
      el.srcObject = stream;
      await el.play().catch(() => undefined);
      const tick = async () => {
        if (stopped) return;
        if (el.videoWidth > 0) {
          const scale = Math.min(1, MAX_SIDE / Math.max(el.videoWidth, el.videoHeight));
          canvas.width = Math.round(el.videoWidth * scale);
          canvas.height = Math.round(el.videoHeight * scale);
          const g = canvas.getContext('2d', { willReadFrequently: true })!;
          g.drawImage(el, 0, 0, canvas.width, canvas.height);
          const text = await decode(g.getImageData(0, 0, canvas.width, canvas.height));
          if (text !== null && !stopped) {
            stop();
            setState({ phase: 'done', result: compareScannedFingerprint(text, verified) });
            return;
          }
        }
        timer = setTimeout(() => void tick(), FRAME_MS);
      };
      void tick();
    })();
    return stop;
  }, [state.phase, verified]);

  if (typeof navigator.mediaDevices?.getUserMedia !== 'function') return null;
  return (
    <div className="fingerprint-scan">
      {state.phase !== 'scanning' && (
        <button type="button" className="secondary" onClick={() => setState({ phase: 'scanning' })}>
          {t('partners.scanFingerprint')}
        </button>
      )}
      {state.phase === 'scanning' && (
        <>
          <p role="status">{withSlots(t('partners.scanning', { partner: slot(0) }), [<Bdi key="p">{partner}</Bdi>])}</p>
          <video ref={video} muted playsInline aria-label={t('partners.cameraView')} style={{ width: '100%', maxWidth: 320 }} />
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setState({ phase: 'idle' })}>
              {t('common.cancel')}
            </button>
          </div>
        </>
      )}
      {state.phase === 'no-camera' && <p role="alert">{t('partners.noCamera')}</p>}
      {state.phase === 'done' && state.result === 'match' && (
        <p role="status" className="success">
          {withSlots(t('partners.scanMatch', { partner: slot(0) }), [<Bdi key="p">{partner}</Bdi>])}
        </p>
      )}
      {state.phase === 'done' && state.result === 'mismatch' && (
        <p role="alert" className="error-box">
          {withSlots(t('partners.scanMismatch', { partner: slot(0) }), [<Bdi key="p">{partner}</Bdi>])}
        </p>
      )}
      {state.phase === 'done' && state.result === 'not-a-fingerprint' && <p role="alert">{t('partners.scanNotFingerprint')}</p>}
    </div>
  );
}
