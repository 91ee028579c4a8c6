import type { DetectionResult } from '../shared/detection';
import type { TaskResult } from '../shared/task';
import type { TaskWorkflowInput } from '../shared/workflow-input';
import { runAndDeliver } from './deliver-to-robot';

/** Finds objects in an image (vision.detection, and the robot's vision.frame). */
export async function detectObjects(input: TaskWorkflowInput<'vision.detection' | 'vision.frame'>): Promise<TaskResult<DetectionResult>> {
  return runAndDeliver(input, 'runDetectionModel');
}
