import type { DownloadOptions } from './download-file';

export interface InstallOptions extends DownloadOptions {
  /** Where conversions keep their output (`~/.cache/offload`). */
  cacheDir: string;
}

export interface InstallReport {
  id: string;
  dir: string;
  /** False when every file was already there with the right checksum. */
  changed: boolean;
  how: 'already installed' | 'downloaded' | 'copied' | 'converted';
}
