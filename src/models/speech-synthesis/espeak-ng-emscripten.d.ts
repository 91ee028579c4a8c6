/** The npm package `@echogarden/espeak-ng-emscripten` (espeak-ng compiled to JavaScript, every language, its voice data beside it); it ships no typings. The part used here. */
declare module '@echogarden/espeak-ng-emscripten' {
  export interface ESpeakNGWorker {
    /** 0 when the voice (e.g. `pl`) exists. */
    set_voice(name: string): number;
    /** Always 22050. */
    readonly samplerate: number;
    /** Speaks `text`, handing its audio (16-bit mono) to `onAudio` piece by piece; `onAudio` returns true to stop. */
    synthesize(text: string, onAudio: (samples: Int16Array, events: unknown[]) => boolean): void;
    /** IPA of `text`, phonemes separated by `_`, one line per clause; code 0 on success. */
    synthesize_ipa(text: string): { code: number; ipa: string };
  }
  export interface ESpeakNGModule {
    eSpeakNGWorker: new () => ESpeakNGWorker;
  }
  export interface ESpeakNGOptions {
    /** The voice data (`espeak-ng.data`) as bytes, instead of the file beside the package's script. */
    getPreloadedPackage?: (name: string, size: number) => ArrayBuffer;
  }
  export default function initialize(options?: ESpeakNGOptions): Promise<ESpeakNGModule>;
}
