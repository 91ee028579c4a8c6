import { robotFrames, type RobotSimulator } from '../test/harness/robot-simulator';
import { waitFor } from './npm-start-for-robot';

/** Sends the robot's first frame every 500 ms until one is answered on `vision.obstacle.enhanced`: its bridge is up and frames are served. */
export function waitUntilFramesAnswered(robot: RobotSimulator, failed: () => boolean, timeoutMs: number, context: () => string): Promise<void> {
  const frame = robotFrames()[0].toString('base64');
  return waitFor(() => robot.received.some((m) => m.topic === 'vision.obstacle.enhanced'), failed, timeoutMs, context, async () => {
    await robot.publish('vision.frame.offload', { ts: Date.now() / 1000, frame_jpeg: frame, size: { w: 320, h: 240 } });
  });
}
