import sharp, { type Sharp } from 'sharp';
import { ModelInputError } from '../registry/model-errors';

/** Side of YOLOX-nano's square input. */
export const YOLOX_INPUT_SIZE = 416;
const PAD_VALUE = 114;
/** Larger images are refused before decoding (a small PNG can expand to gigabytes). */
export const MAX_INPUT_PIXELS = 40_000_000;
export const ACCEPTED_IMAGE_FORMATS: readonly string[] = ['jpeg', 'png'];

export interface Letterboxed {
  /** float32 [1, 3, size, size], BGR, 0..255. */
  tensor: Float32Array;
  /** Input pixels per original pixel. */
  scale: number;
  /** The original (upright) image size. */
  width: number;
  height: number;
}

function decodeError(error: unknown): ModelInputError {
  const raw = error instanceof Error ? error.message : String(error);
  const reason = [...new Set(raw.split('\n').map((line) => line.trim()).filter(Boolean))].join('; ');
  return new ModelInputError(`image could not be decoded: ${reason}`);
}

/** Decodes a JPEG/PNG, resizes it to fit `size` keeping its aspect and pads bottom/right with 114. */
export async function letterbox(image: Uint8Array, size: number = YOLOX_INPUT_SIZE): Promise<Letterboxed> {
  if (image.byteLength === 0) throw new ModelInputError('image is empty');
  const input = (): Sharp => sharp(image, { limitInputPixels: MAX_INPUT_PIXELS });
  const metadata = await input().metadata().catch((error: unknown) => {
    throw decodeError(error);
  });
  if (!ACCEPTED_IMAGE_FORMATS.includes(metadata.format)) {
    throw new ModelInputError(`unsupported image format ${metadata.format}: expected ${ACCEPTED_IMAGE_FORMATS.join(' or ')}`);
  }
  const { width, height } = metadata.autoOrient;
  const scale = Math.min(size / width, size / height);
  const resizedWidth = Math.max(1, Math.min(size, Math.round(width * scale)));
  const resizedHeight = Math.max(1, Math.min(size, Math.round(height * scale)));
  const { data, info } = await input()
    .autoOrient()
    .resize(resizedWidth, resizedHeight, { fit: 'fill' })
    .extend({
      bottom: size - resizedHeight,
      right: size - resizedWidth,
      background: { r: PAD_VALUE, g: PAD_VALUE, b: PAD_VALUE },
    })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw decodeError(error);
    });
  if (info.width !== size || info.height !== size || info.channels !== 3) {
    throw new ModelInputError(`image could not be decoded: got ${info.width}x${info.height}x${info.channels} pixels`);
  }
  return { tensor: toBgrChw(data, size * size), scale, width, height };
}

function toBgrChw(rgb: Uint8Array, plane: number): Float32Array {
  const chw = new Float32Array(3 * plane);
  for (let pixel = 0, offset = 0; pixel < plane; pixel++, offset += 3) {
    chw[pixel] = rgb[offset + 2];
    chw[plane + pixel] = rgb[offset + 1];
    chw[2 * plane + pixel] = rgb[offset];
  }
  return chw;
}
