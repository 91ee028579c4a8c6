import sharp from 'sharp';
import { yieldToEventLoop } from '../runtime/event-loop-yield';
import { ModelInputError } from '../registry/model-errors';
import { ACCEPTED_IMAGE_FORMATS, MAX_INPUT_PIXELS } from '../object-detection/preprocess';
import { distance, type Quad } from './geometry';

/** Interleaved 8-bit RGB pixels. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** PaddleOCR's det settings: the longer side is brought down to 960 when larger (det_limit_type "max"), then both to multiples of 32. */
export const DET_LIMIT_SIDE = 960;
const DET_MEAN = [0.485, 0.456, 0.406];
const DET_STD = [0.229, 0.224, 0.225];
/** Recognition input height and minimum width (rec_image_shape 3, 48, 320). */
export const REC_HEIGHT = 48;
export const REC_MIN_WIDTH = 320;
/** Pixels normalised between yields to the event loop (a few milliseconds of work). */
const PIXELS_PER_SLICE = 65_536;
/** Crops wider than this many heights are squeezed (very long lines). */
const REC_MAX_RATIO = 25;

function decodeError(error: unknown): ModelInputError {
  const raw = error instanceof Error ? error.message : String(error);
  const reason = [...new Set(raw.split('\n').map((line) => line.trim()).filter(Boolean))].join('; ');
  return new ModelInputError(`image could not be decoded: ${reason}`);
}

/** Decodes a JPEG/PNG (upright, sRGB, no alpha). */
export async function decodeRgb(image: Uint8Array): Promise<RgbImage> {
  if (image.byteLength === 0) throw new ModelInputError('image is empty');
  const input = sharp(image, { limitInputPixels: MAX_INPUT_PIXELS });
  const metadata = await input.metadata().catch((error: unknown) => {
    throw decodeError(error);
  });
  if (!ACCEPTED_IMAGE_FORMATS.includes(metadata.format)) {
    throw new ModelInputError(`unsupported image format ${metadata.format}: expected ${ACCEPTED_IMAGE_FORMATS.join(' or ')}`);
  }
  const { data, info } = await input
    .autoOrient()
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw decodeError(error);
    });
  if (info.channels !== 3) throw new ModelInputError(`image could not be decoded: got ${info.channels} channels`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

async function resizeRgb(image: RgbImage, width: number, height: number): Promise<Uint8Array> {
  if (image.width === width && image.height === height) return image.data;
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The det model's input: float32 [1, 3, h, w], BGR, ImageNet mean/std (PaddleOCR reads images with OpenCV, so BGR). */
export async function detectionInput(image: RgbImage, limitSide = DET_LIMIT_SIDE): Promise<{ tensor: Float32Array; width: number; height: number }> {
  const ratio = Math.max(image.width, image.height) > limitSide ? limitSide / Math.max(image.width, image.height) : 1;
  const to32 = (side: number): number => Math.max(Math.round(Math.trunc(side * ratio) / 32) * 32, 32);
  const width = to32(image.width);
  const height = to32(image.height);
  const rgb = await resizeRgb(image, width, height);
  const plane = width * height;
  const tensor = new Float32Array(3 * plane);
  for (let pixel = 0; pixel < plane; pixel++) {
    if (pixel % PIXELS_PER_SLICE === PIXELS_PER_SLICE - 1) await yieldToEventLoop();
    for (let c = 0; c < 3; c++) {
      const value = rgb[pixel * 3 + (2 - c)] / 255;
      tensor[c * plane + pixel] = (value - DET_MEAN[c]) / DET_STD[c];
    }
  }
  return { tensor, width, height };
}

/**
 * The quad's content as an upright image (PaddleOCR's get_rotate_crop_image): size from the longer
 * of each pair of opposite sides, bilinear sampling with edge pixels repeated; turned a quarter
 * when it is at least 1.5 times taller than wide (vertical text).
 */
export function cropQuad(image: RgbImage, quad: Quad): RgbImage {
  const [tl, tr, br, bl] = quad;
  const width = Math.max(1, Math.round(Math.max(distance(tl, tr), distance(bl, br))));
  const height = Math.max(1, Math.round(Math.max(distance(tl, bl), distance(tr, br))));
  const out = new Uint8Array(width * height * 3);
  const pixel = (x: number, y: number, c: number): number => {
    const cx = Math.min(Math.max(x, 0), image.width - 1);
    const cy = Math.min(Math.max(y, 0), image.height - 1);
    return image.data[(cy * image.width + cx) * 3 + c];
  };
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const fu = (u + 0.5) / width;
      const fv = (v + 0.5) / height;
      const x = tl[0] + fu * (tr[0] - tl[0]) + fv * (bl[0] - tl[0]) - 0.5;
      const y = tl[1] + fu * (tr[1] - tl[1]) + fv * (bl[1] - tl[1]) - 0.5;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const ax = x - x0;
      const ay = y - y0;
      for (let c = 0; c < 3; c++) {
        const top = pixel(x0, y0, c) * (1 - ax) + pixel(x0 + 1, y0, c) * ax;
        const bottom = pixel(x0, y0 + 1, c) * (1 - ax) + pixel(x0 + 1, y0 + 1, c) * ax;
        out[(v * width + u) * 3 + c] = Math.round(top * (1 - ay) + bottom * ay);
      }
    }
  }
  const crop = { data: out, width, height };
  return height / width >= 1.5 ? rotateCounterClockwise(crop) : crop;
}

function rotateCounterClockwise(image: RgbImage): RgbImage {
  const out = new Uint8Array(image.data.length);
  const width = image.height;
  const height = image.width;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const to = ((image.width - 1 - x) * width + y) * 3;
      const from = (y * image.width + x) * 3;
      out[to] = image.data[from];
      out[to + 1] = image.data[from + 1];
      out[to + 2] = image.data[from + 2];
    }
  }
  return { data: out, width, height };
}

/**
 * The rec model's input for a batch of crops: float32 [n, 3, 48, W], BGR scaled to -1..1; each crop
 * resized to height 48 keeping its aspect and padded with zeros on the right to the batch's width
 * (at least 320, PaddleOCR's resize_norm_img).
 */
export async function recognitionInput(crops: readonly RgbImage[]): Promise<{ tensor: Float32Array; width: number }> {
  const widths = crops.map((crop) => Math.max(1, Math.min(Math.ceil((REC_HEIGHT * crop.width) / crop.height), REC_HEIGHT * REC_MAX_RATIO)));
  const width = Math.max(REC_MIN_WIDTH, ...widths);
  const plane = REC_HEIGHT * width;
  const tensor = new Float32Array(crops.length * 3 * plane);
  for (let n = 0; n < crops.length; n++) {
    const rgb = await resizeRgb(crops[n], widths[n], REC_HEIGHT);
    const base = n * 3 * plane;
    for (let y = 0; y < REC_HEIGHT; y++) {
      for (let x = 0; x < widths[n]; x++) {
        const from = (y * widths[n] + x) * 3;
        for (let c = 0; c < 3; c++) tensor[base + c * plane + y * width + x] = rgb[from + (2 - c)] / 127.5 - 1;
      }
    }
  }
  return { tensor, width };
}
