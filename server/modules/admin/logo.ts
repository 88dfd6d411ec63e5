// The organisation's logo: a small PNG or JPEG as a data: URL, checked by its bytes, not by the
// claimed type. SVG is refused outright: it is a document that can carry scripts.
import { InvalidInputError } from '../../lib/errors.ts';
import { LOGO_MAX_BYTES } from './schema.ts';

export class InvalidLogoError extends InvalidInputError {
  constructor(message: string) {
    super('invalid_logo', message);
  }
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Buffer, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** Returns the data URL normalised; throws invalid_logo unless its bytes are a PNG or JPEG of at most 200 KB. */
export function validateLogo(dataUrl: string): string {
  const m = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/]+={0,2})$/.exec(dataUrl);
  if (!m) throw new InvalidLogoError('The logo must be a PNG or JPEG image (SVG is not accepted)');
  const bytes = Buffer.from(m[2]!, 'base64');
  if (bytes.length > LOGO_MAX_BYTES) throw new InvalidLogoError('The logo may be at most 200 KB');
  const type = startsWith(bytes, PNG) ? 'png' : startsWith(bytes, JPEG) ? 'jpeg' : null;
  if (!type) throw new InvalidLogoError('The logo must be a PNG or JPEG image (SVG is not accepted)');
  return `data:image/${type};base64,${bytes.toString('base64')}`;
}
