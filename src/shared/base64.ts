const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface Base64Problem {
  message: string;
  tooLarge: boolean;
}

/** Size in bytes of the data a base64 string encodes. */
export function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/** Says what is wrong with a base64 field, or nothing when it is usable. */
export function checkBase64(value: unknown, maxBytes: number): Base64Problem | undefined {
  if (typeof value !== 'string') return { message: `expected a base64 string, got ${typeName(value)}`, tooLarge: false };
  if (value.length === 0) return { message: 'is empty', tooLarge: false };
  if (value.length % 4 !== 0 || !BASE64.test(value)) return { message: 'is not valid base64', tooLarge: false };
  const size = decodedLength(value);
  if (size > maxBytes) return { message: `is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit`, tooLarge: true };
  return undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
