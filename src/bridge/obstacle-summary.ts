import type { ObstacleGeometry } from '../config/load-config';
import type { DetectionBox, DetectionResult } from '../shared/detection';

export interface ObstacleBox {
  label: string;
  score: number;
  /** Pixel box [x1, y1, x2, y2] in the frame. */
  box: [number, number, number, number];
  /** Bearing of the box centre, degrees: 0 straight ahead, positive to the left (like robot.pose theta). */
  angle: number;
  /** Ground distance to the box's bottom edge, metres (null: the edge is at or above the horizon). */
  distance: number | null;
  /** The box overlaps the robot's path. */
  in_path: boolean;
  /** In the path, scored high enough and near enough to count. */
  obstacle: boolean;
}

export interface ObstacleSummary {
  present: boolean;
  /** Detector score of the reported obstacle (0 when none). */
  confidence: number;
  /** Metres to the nearest obstacle; the look-ahead range when there is none. */
  distance: number;
  /** Bearing of the nearest obstacle in degrees (0 when there is none). */
  angle: number;
  boxes: ObstacleBox[];
}

const DEG = Math.PI / 180;

/**
 * The robot's `vision.obstacle.enhanced` fields from detection boxes. A pinhole camera at
 * `cameraHeightM`, tilted down by `pitchDeg`, with square pixels and `hfovDeg` across the image:
 * a box's bearing comes from its centre column, its distance from where its bottom edge meets the
 * floor (`height / tan(angle below the horizon)`). It is an obstacle when it overlaps the central
 * `pathWidth` of the image, scores at least `minScore` and stands within `maxDistanceM`.
 */
export function summarizeObstacles(detection: DetectionResult, geometry: ObstacleGeometry): ObstacleSummary {
  const { width, height } = detection.image;
  const focal = width / 2 / Math.tan((geometry.hfovDeg / 2) * DEG);
  const pathLeft = (width * (1 - geometry.pathWidth)) / 2;
  const pathRight = width - pathLeft;
  const boxes = detection.boxes.map((b) => describeBox(b, { width, height, focal, pathLeft, pathRight }, geometry));
  const nearest = boxes
    .filter((b) => b.obstacle)
    .sort((a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity) || b.score - a.score)[0];
  return nearest
    ? { present: true, confidence: nearest.score, distance: nearest.distance ?? geometry.maxDistanceM, angle: nearest.angle, boxes }
    : { present: false, confidence: 0, distance: geometry.maxDistanceM, angle: 0, boxes };
}

interface Frame {
  width: number;
  height: number;
  focal: number;
  pathLeft: number;
  pathRight: number;
}

function describeBox(b: DetectionBox, f: Frame, g: ObstacleGeometry): ObstacleBox {
  const [x1, , x2, y2] = b.box;
  const angle = -Math.atan(((x1 + x2) / 2 - f.width / 2) / f.focal) / DEG;
  const belowHorizon = Math.atan((y2 - f.height / 2) / f.focal) + g.pitchDeg * DEG;
  const distance = belowHorizon > 0.5 * DEG ? g.cameraHeightM / Math.tan(belowHorizon) : null;
  const inPath = x2 >= f.pathLeft && x1 <= f.pathRight;
  const obstacle = inPath && b.score >= g.minScore && distance !== null && distance <= g.maxDistanceM;
  return { label: b.label, score: round(b.score, 3), box: b.box, angle: round(angle, 1), distance: distance === null ? null : round(distance, 2), in_path: inPath, obstacle };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
