import { describe, expect, it } from 'vitest';
import { benchDetection } from '../../bench/detection.bench.js';

describe('the benchmark of detection time by trigger', () => {
  it('measures each setup on the faithful twin: alarms at 180 s, the sweep by its phase, whichever comes first', {
    timeout: 60_000,
  }, async () => {
    const level = process.env.POWERTOOLS_LOG_LEVEL;
    const figures = await benchDetection([0, 3]);
    const runs = Object.fromEntries(figures.map((f) => [f.setup.trigger, f.runs]));
    expect(runs).toEqual({
      'contributor-alarm': [
        { phaseMin: 0, firstTrigger: 'contributor-alarm', detectS: 180, ownTriggerS: 180, restoreS: 180 },
        // Two minutes before the next sweep: the sweep gets there before the alarm.
        { phaseMin: 3, firstTrigger: 'sweep', detectS: 120, ownTriggerS: 180, restoreS: 120 },
      ],
      alarm: [
        { phaseMin: 0, firstTrigger: 'alarm', detectS: 180, ownTriggerS: 180, restoreS: 180 },
        { phaseMin: 3, firstTrigger: 'sweep', detectS: 120, ownTriggerS: 180, restoreS: 120 },
      ],
      sweep: [
        { phaseMin: 0, firstTrigger: 'sweep', detectS: 300, ownTriggerS: 300, restoreS: 300 },
        { phaseMin: 3, firstTrigger: 'sweep', detectS: 120, ownTriggerS: 120, restoreS: 120 },
      ],
    });
    // It silences the functions' logs only while it runs.
    expect(process.env.POWERTOOLS_LOG_LEVEL).toBe(level);
  });
});
