/** Reads the text of a QR code in a camera frame, or null when there is none. */
export type QrDecoder = (frame: ImageData) => Promise<string | null>;

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(frame: ImageData): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?(): Promise<string[]>;
}

/**
 * The browser's own BarcodeDetector where it has one that reads QR codes (Chrome on Android, macOS,
 * ChromeOS), and jsQR elsewhere (desktop Linux and Windows, Firefox), loaded only when a scan starts
 * so it costs nothing on the first visit. A frame is at most 480 px on its long side, which jsQR
 * reads in a few milliseconds, so four frames a second never hold the page.
 */
export async function loadQrDecoder(): Promise<QrDecoder> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  const formats: string[] = (await Detector?.getSupportedFormats?.().catch(() => [])) ?? [];
  if (Detector && formats.includes('qr_code')) {
    const detector = new Detector({ formats: ['qr_code'] });
    return async (frame) => (await detector.detect(frame))[0]?.rawValue ?? null;
  }
  const { default: jsQR } = await import('jsqr');
  return async (frame) => jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}
