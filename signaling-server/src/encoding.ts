/**
 * S8: static files are compressed once at build time (scripts/compress-dist.mjs writes `x.br` and
 * `x.gz` next to `x`); the server only picks the variant the browser accepts. No compression happens
 * per request, so a phone gets the smallest file at no CPU cost to the server.
 */

export type Encoding = 'br' | 'gzip';

/** The file suffix each encoding is stored under, best first. */
export const PRECOMPRESSED: readonly { readonly encoding: Encoding; readonly suffix: string }[] = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
];

/**
 * The encodings an Accept-Encoding header allows (RFC 9110 §12.5.3): a coding listed with q > 0, or
 * covered by `*` with q > 0 and not refused by name. `identity` is always possible and not listed.
 */
export function acceptedEncodings(header: string | undefined): Set<Encoding> {
  const accepted = new Set<Encoding>();
  if (header === undefined) return accepted;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (name === '') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q') q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value ?? '') ? Number(value) : 0;
    }
    weights.set(name, q);
  }
  const star = weights.get('*');
  for (const { encoding } of PRECOMPRESSED) {
    const q = weights.get(encoding) ?? (encoding === 'gzip' ? weights.get('x-gzip') : undefined) ?? star ?? 0;
    if (q > 0) accepted.add(encoding);
  }
  return accepted;
}
