// An organisation's logo, made in the browser: a PNG or JPEG file becomes a data: URL of at
// most 200 KB (the server's limit). A larger picture is scaled down on a canvas (at most 512 px
// on its longest side) and stored as PNG if it has transparency, else JPEG. SVG is never taken:
// it is a document that can carry scripts, and the server refuses it too.

export const LOGO_MAX_BYTES = 200 * 1024;
const MAX_SIDE = 512;

export type LogoProblem = 'type' | 'too_large' | 'unreadable';

export class LogoError extends Error {
  override readonly name = 'LogoError';
  constructor(readonly problem: LogoProblem) {
    super(problem);
  }
}

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new LogoError('unreadable'));
    reader.readAsDataURL(blob);
  });
}

/** Bytes of a base64 data: URL once decoded. */
export function dataUrlBytes(dataUrl: string): number {
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  return Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
}

async function loadImage(file: Blob): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } catch {
    throw new LogoError('unreadable');
  } finally {
    URL.revokeObjectURL(url);
  }
}

function hasTransparency(context: CanvasRenderingContext2D, width: number, height: number): boolean {
  const data = context.getImageData(0, 0, width, height).data;
  for (let i = 3; i < data.length; i += 4) if (data[i]! < 255) return true;
  return false;
}

function canvasBlob(canvas: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new LogoError('unreadable'))), type, quality));
}

/** A PNG or JPEG data: URL of at most 200 KB from the chosen file. */
export async function logoDataUrl(file: File): Promise<string> {
  if (file.type !== 'image/png' && file.type !== 'image/jpeg') throw new LogoError('type');
  if (file.size <= LOGO_MAX_BYTES) return readAsDataUrl(file);

  const image = await loadImage(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
  const width = Math.max(1, Math.round(image.naturalWidth * scale));
  const height = Math.max(1, Math.round(image.naturalHeight * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new LogoError('unreadable');
  context.drawImage(image, 0, 0, width, height);
  const blob = hasTransparency(context, width, height) ? await canvasBlob(canvas, 'image/png') : await canvasBlob(canvas, 'image/jpeg', 0.86);
  if (blob.size > LOGO_MAX_BYTES) throw new LogoError('too_large');
  return readAsDataUrl(blob);
}
