import { summarizeObstacles } from '../../../src/bridge/obstacle-summary';
import type { ObstacleGeometry } from '../../../src/config/load-config';
import type { DetectionBox } from '../../../src/shared/detection';

const geometry: ObstacleGeometry = { hfovDeg: 62, cameraHeightM: 0.15, pitchDeg: 0, pathWidth: 0.5, minScore: 0.4, maxDistanceM: 1.5 };
const image = { width: 320, height: 240 };
const box = (x1: number, y1: number, x2: number, y2: number, score = 0.8, label = 'person'): DetectionBox => ({ label, class_id: 0, score, box: [x1, y1, x2, y2] });
// focal length in pixels for 62 degrees across 320 px
const focal = 160 / Math.tan((31 * Math.PI) / 180);

test('an empty frame: no obstacle, clear up to the look-ahead range', () => {
  expect(summarizeObstacles({ boxes: [], image }, geometry)).toEqual({ present: false, confidence: 0, distance: 1.5, angle: 0, boxes: [] });
});

test('a box standing on the floor in the middle of the path: present, at the ground distance of its bottom edge, straight ahead', () => {
  const summary = summarizeObstacles({ boxes: [box(140, 100, 180, 220)] , image }, geometry);
  const expected = 0.15 / Math.tan(Math.atan(100 / focal));
  expect(summary.present).toBe(true);
  expect(summary.confidence).toBeCloseTo(0.8);
  expect(summary.distance).toBeCloseTo(expected, 2);
  expect(summary.angle).toBeCloseTo(0, 5);
  expect(summary.boxes[0]).toMatchObject({ in_path: true, obstacle: true });
});

test('bearing: a box right of centre has a negative angle (positive is left, like robot.pose theta)', () => {
  const summary = summarizeObstacles({ boxes: [box(180, 100, 230, 230)], image }, geometry);
  expect(summary.present).toBe(true);
  expect(summary.angle).toBeCloseTo((-Math.atan((205 - 160) / focal) * 180) / Math.PI, 1);
  expect(summarizeObstacles({ boxes: [box(90, 100, 140, 230)], image }, geometry).angle).toBeGreaterThan(0);
});

test('outside the path, too far, or scored too low: not an obstacle', () => {
  const summary = summarizeObstacles(
    {
      boxes: [
        box(0, 100, 70, 230), // left of the path (path is x 80..240)
        box(140, 60, 180, 125), // bottom edge just below the horizon: far away
        box(140, 100, 180, 230, 0.2), // weak detection
        box(150, 10, 170, 110), // bottom edge above the horizon: no ground distance
      ],
      image,
    },
    geometry,
  );
  expect(summary.present).toBe(false);
  expect(summary.boxes.map((b) => [b.in_path, b.obstacle])).toEqual([
    [false, false],
    [true, false],
    [true, false],
    [true, false],
  ]);
  expect(summary.boxes[3].distance).toBeNull();
});

test('the nearest obstacle is reported', () => {
  const summary = summarizeObstacles({ boxes: [box(140, 100, 180, 180, 0.9, 'chair'), box(150, 100, 200, 235, 0.5, 'dog')], image }, geometry);
  expect(summary).toMatchObject({ present: true, confidence: 0.5 });
  expect(summary.distance).toBeLessThan(summary.boxes[0].distance as number);
});

test('tilting the camera down brings the same box closer', () => {
  const level = summarizeObstacles({ boxes: [box(140, 100, 180, 200)], image }, geometry);
  const tilted = summarizeObstacles({ boxes: [box(140, 100, 180, 200)], image }, { ...geometry, pitchDeg: 10 });
  expect(tilted.distance).toBeLessThan(level.distance);
});
