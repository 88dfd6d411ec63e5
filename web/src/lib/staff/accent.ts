// An organisation's accent colour, made safe to use: whatever the admin picks, text in that
// colour on white and white text on it keep WCAG AA contrast (4.5:1), by darkening it as far as
// needed; for the dark colour scheme it is lightened instead, until it reads on the dark
// background and dark text reads on it. The picked colour itself is still shown as-is where it
// is only decoration.

export interface AccentPalette {
  /** The colour as picked (decoration only: a band, a border). */
  brand: string;
  /** Darkened until 4.5:1 against white: buttons, links, focus. */
  accent: string;
  hover: string;
  /** A pale tint for backgrounds. */
  soft: string;
  /** The same for the dark colour scheme: lightened until 4.5:1 against its background. */
  dark: { accent: string; hover: string; soft: string };
}

type Rgb = [number, number, number];

const HEX = /^#([0-9a-f]{6})$/i;

function parse(hex: string): Rgb | null {
  const m = HEX.exec(hex.trim());
  if (!m) return null;
  const n = Number.parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(Math.max(0, Math.min(255, c))).toString(16).padStart(2, '0')).join('')}`;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];
/** The dark scheme's page background and text on its accent (app.css --color-bg, --color-on-accent). */
const DARK_BG: Rgb = [0x14, 0x18, 0x16];
const DARK_ON_ACCENT: Rgb = [0x0f, 0x1f, 0x1a];

const contrast = (a: Rgb, b: Rgb) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** The palette of a #rrggbb colour, or null for no (or an unreadable) colour. */
export function accentPalette(hex: string | null | undefined): AccentPalette | null {
  const rgb = hex ? parse(hex) : null;
  if (!rgb) return null;
  let accent = rgb;
  for (let step = 0; step < 40 && contrast(accent, WHITE) < 4.5; step++) accent = mix(accent, BLACK, 0.05);
  let light = rgb;
  for (let step = 0; step < 40 && Math.min(contrast(light, DARK_BG), contrast(light, DARK_ON_ACCENT)) < 4.5; step++) light = mix(light, WHITE, 0.05);
  return {
    brand: toHex(rgb),
    accent: toHex(accent),
    hover: toHex(mix(accent, BLACK, 0.18)),
    soft: toHex(mix(accent, WHITE, 0.88)),
    dark: { accent: toHex(light), hover: toHex(mix(light, WHITE, 0.2)), soft: toHex(mix(light, DARK_BG, 0.8)) },
  };
}

export function isHexColour(value: string): boolean {
  return HEX.test(value.trim());
}
