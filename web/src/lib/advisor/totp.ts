// TOTP enrolment as authenticator apps expect it (RFC 6238: SHA-1, 6 digits, 30 s): 20 random
// bytes made in this browser, RFC 4648 base32, an otpauth URI, and its QR code drawn here as SVG.
import { renderSVG } from 'uqr';
import { encodeBase32, RFC4648 } from '../base32.ts';

/** A new TOTP secret: 20 random bytes, base32 without padding (32 characters). */
export function generateTotpSecret(): string {
  return encodeBase32(crypto.getRandomValues(new Uint8Array(20)), RFC4648);
}

export function otpauthUri(secret: string, email: string): string {
  const label = `Klankbord:${encodeURIComponent(email)}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=Klankbord&algorithm=SHA1&digits=6&period=30`;
}

/**
 * The QR code of `uri` as a data: URL of an SVG image. uqr's SVG holds only rects and one path
 * (the data is encoded into module positions, never into markup), and an <img> never runs
 * anything in an SVG anyway.
 */
export function qrCodeDataUrl(uri: string): string {
  const svg = renderSVG(uri, { ecc: 'M', border: 2, pixelSize: 8 });
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}

/** "ABCD EFGH …" for reading off the screen and typing into an app. */
export function groupedSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

/** Digits only, for the 6-digit code field (people paste "123 456"). */
export function totpDigits(text: string): string {
  return text.normalize('NFKC').replace(/\D/g, '');
}
