import { buildListQuery } from '../../../src/client/list-query';

describe('buildListQuery', () => {
  test('with no filter it lists every Offload run', () => {
    expect(buildListQuery({})).toBe('OffloadTaskType IS NOT NULL');
  });

  test('ANDs the task type, robot, failed and raw-query filters in that order', () => {
    expect(buildListQuery({ taskType: 'voice.asr', robot: 'rider-1', failed: true, query: "OffloadHardware = 'cpu'" })).toBe(
      "OffloadTaskType IS NOT NULL AND OffloadTaskType = 'voice.asr' AND OffloadRobot = 'rider-1' AND " +
        "(OffloadOutcome IN ('failed', 'fallback', 'invalid') OR ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated')) AND " +
        "(OffloadHardware = 'cpu')",
    );
  });

  test('a quote in the robot id cannot end the string literal', () => {
    expect(buildListQuery({ robot: "r' OR 1=1" })).toBe("OffloadTaskType IS NOT NULL AND OffloadRobot = 'r\\' OR 1=1'");
  });

  test('an unknown task type is an error that names it', () => {
    expect(() => buildListQuery({ taskType: 'vision.ocr' })).toThrow('unknown task type "vision.ocr"');
  });
});
