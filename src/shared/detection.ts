export interface DetectionBox {
  label: string;
  class_id: number;
  score: number;
  /** Pixel coordinates in the original image: [x1, y1, x2, y2]. */
  box: [number, number, number, number];
}

export interface DetectionResult {
  boxes: DetectionBox[];
  image: { width: number; height: number };
}
