/**
 * S8: the headers every HTTP answer carries. The app is all same-origin files (scripts, workers, the
 * service worker, styles, icons) and one same-origin WebSocket, so the policy can say exactly that.
 *
 * - `script-src 'self' 'wasm-unsafe-eval'`: the check and proof-of-work workers compile WebAssembly
 *   (libsodium, the SIMD kernels) from bytes; that keyword allows WebAssembly compilation only, not
 *   eval or new Function. Workers get the same header with their script, so it applies inside them.
 * - `style-src 'self'` and `style-src-attr 'unsafe-inline'`: no inline <style> element is allowed;
 *   style attributes are (React sets element.style, which CSP does not govern, but a library writing
 *   `style="…"` markup would be blocked without it, and an attribute cannot run code).
 * - `connect-src 'self'` plus ws:/wss: of the requested host: CSP 3 counts same-host WebSockets as
 *   'self', older engines do not. STUN/TURN are not listed: CSP has no directive that governs
 *   RTCPeerConnection, and `turn:host:port` is not a valid source expression.
 * - `frame-ancestors 'none'` (and X-Frame-Options for engines without CSP 2): no other site can frame
 *   the app to trick a caseworker into clicking.
 * - Permissions-Policy: the camera (scanning a partner's code), the microphone (WebRTC on loopback,
 *   e2e) and geolocation (witness mode) for this origin only; everything else off.
 * - HSTS only when the operator says the deployment is HTTPS (TLS_BEHIND_PROXY): sent over plain
 *   HTTP on a laptop it would be ignored at best and pin a wrong host at worst.
 */
export interface SecurityOptions {
  readonly hsts: boolean;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "manifest-src 'self'",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PERMISSIONS_POLICY = [
  'camera=(self)',
  'microphone=(self)',
  'geolocation=(self)',
  'fullscreen=(self)',
  'accelerometer=()',
  'gyroscope=()',
  'magnetometer=()',
  'payment=()',
  'usb=()',
  'display-capture=()',
  'midi=()',
].join(', ');

export const HSTS = 'max-age=31536000';

/** A Host header that may safely go back into a header value: a name or address and an optional port. */
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function securityHeaders(host: string | undefined, options: SecurityOptions): Record<string, string> {
  const sockets = host !== undefined && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self'${sockets}`),
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': PERMISSIONS_POLICY,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    // The invitation secret lives in the fragment, which is never sent; this also keeps the path private.
    'Referrer-Policy': 'no-referrer',
    ...(options.hsts ? { 'Strict-Transport-Security': HSTS } : {}),
  };
}
