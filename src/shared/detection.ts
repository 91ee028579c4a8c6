export interface DetectionBox {
  label: string;
  class_id: number;
  score: number;
  /** Pixel coordinates in the original image: [x1, y1, x2, y2]. */
  box: [number, number, number, number];
  /** Text read inside the box (OCR models: label `text`). */
  text?: string;
  /** The box's four corners, clockwise from top-left, when it is rotated (OCR models). */
  quad?: [number, number][];
}

export interface DetectionResult {
  boxes: DetectionBox[];
  image: { width: number; height: number };
}
