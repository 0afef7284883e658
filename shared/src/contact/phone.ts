import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { err, ok, type Result } from '../core/result.js';

export type { CountryCode };

/** R1: Lebanon, unless the organisation configures another default country. */
export const DEFAULT_PHONE_COUNTRY: CountryCode = 'LB';

/**
 * R1: a phone number as typed, normalised to E.164 ('+9613123456'); '' (or blanks) stays ''.
 *
 * The whole input must be a phone number (`extract: false`): 'call 03 123 456' is refused rather than
 * quietly reduced to a number. The 'min' metadata checks the length of the number for its country,
 * not which digit ranges are assigned, so newly opened ranges are not refused.
 */
export function normalisePhone(
  raw: string,
  defaultCountry: CountryCode = DEFAULT_PHONE_COUNTRY,
): Result<string, 'invalid-phone'> {
  const text = raw.trim();
  if (text === '') return ok('');
  const phone = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  return phone?.isValid() ? ok(phone.number) : err('invalid-phone');
}

/** '+961' for 'LB': used in messages that show the expected form of a number. */
export function callingCodeOf(country: CountryCode): string {
  return `+${getCountryCallingCode(country)}`;
}
