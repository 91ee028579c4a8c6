/**
 * Reads a CTranslate2 model.bin (binary version 6, as ctranslate2/specs/model_spec.py writes it):
 * u32 version, string spec name, u32 revision, u32 variable count, then per variable: string name,
 * u8 rank, u32 dims, u8 dtype, u32 byte count, raw bytes; then u32 alias count and (alias, target)
 * string pairs. Strings are u16 length (including a NUL) + bytes. All little-endian.
 */

export interface Ct2Variable {
  dims: number[];
  /** CTranslate2 DataType: 0 float32, 1 int8, 2 int16, 3 int32, 4 float16, 5 bfloat16. */
  dtype: number;
  bytes: Uint8Array;
}

export interface Ct2Model {
  spec: string;
  revision: number;
  variables: Map<string, Ct2Variable>;
}

const SUPPORTED_VERSION = 6;
const DTYPE_BYTES = [4, 1, 2, 4, 2, 2];

export function readCt2Model(buffer: Uint8Array): Ct2Model {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let at = 0;
  const need = (bytes: number, what: string): void => {
    if (at + bytes > buffer.byteLength) throw new Error(`CTranslate2 model.bin is truncated (reading ${what} at byte ${at})`);
  };
  const u8 = (): number => (need(1, 'u8'), view.getUint8(at++));
  const u16 = (): number => (need(2, 'u16'), (at += 2), view.getUint16(at - 2, true));
  const u32 = (): number => (need(4, 'u32'), (at += 4), view.getUint32(at - 4, true));
  const text = (): string => {
    const length = u16();
    need(length, 'string');
    const value = new TextDecoder().decode(buffer.subarray(at, at + length - 1));
    at += length;
    return value;
  };

  const version = u32();
  if (version !== SUPPORTED_VERSION) throw new Error(`CTranslate2 model.bin has binary version ${version}; this reader knows version ${SUPPORTED_VERSION}`);
  const spec = text();
  const revision = u32();
  const variables = new Map<string, Ct2Variable>();
  const count = u32();
  for (let i = 0; i < count; i++) {
    const name = text();
    const rank = u8();
    const dims = Array.from({ length: rank }, () => u32());
    const dtype = u8();
    const byteCount = u32();
    need(byteCount, name);
    const expected = dims.reduce((n, d) => n * d, 1) * (DTYPE_BYTES[dtype] ?? NaN);
    if (expected !== byteCount) throw new Error(`CTranslate2 variable ${name}: ${byteCount} bytes for dims [${dims}] and dtype ${dtype}`);
    variables.set(name, { dims, dtype, bytes: buffer.subarray(at, at + byteCount) });
    at += byteCount;
  }
  const aliases = u32();
  for (let i = 0; i < aliases; i++) {
    const alias = text();
    const target = variables.get(text());
    if (target) variables.set(alias, target);
  }
  return { spec, revision, variables };
}

/** A float variable (float32, float16 or bfloat16) as float32. */
export function floatVariable(model: Ct2Model, name: string): { dims: number[]; data: Float32Array } {
  const variable = required(model, name);
  const { dims, dtype, bytes } = variable;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.byteLength / DTYPE_BYTES[dtype];
  const data = new Float32Array(count);
  switch (dtype) {
    case 0:
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
      break;
    case 4:
      for (let i = 0; i < count; i++) data[i] = halfToFloat(view.getUint16(i * 2, true));
      break;
    case 5:
      for (let i = 0; i < count; i++) data[i] = bfloatToFloat(view.getUint16(i * 2, true));
      break;
    default:
      throw new Error(`CTranslate2 variable ${name} has dtype ${dtype}, not a float type (quantized models are not supported)`);
  }
  return { dims, data };
}

/** An integer scalar variable (int8, int16 or int32). */
export function intScalar(model: Ct2Model, name: string): number {
  const { dtype, bytes } = required(model, name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 1) return view.getInt8(0);
  if (dtype === 2) return view.getInt16(0, true);
  if (dtype === 3) return view.getInt32(0, true);
  throw new Error(`CTranslate2 variable ${name} has dtype ${dtype}, not an integer`);
}

function required(model: Ct2Model, name: string): Ct2Variable {
  const variable = model.variables.get(name);
  if (!variable) throw new Error(`CTranslate2 model (${model.spec}) has no variable ${name}`);
  return variable;
}

const halfScratch = new DataView(new ArrayBuffer(4));

function halfToFloat(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function bfloatToFloat(value: number): number {
  halfScratch.setUint32(0, value << 16);
  return halfScratch.getFloat32(0);
}
