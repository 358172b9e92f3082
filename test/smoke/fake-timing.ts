/** A clock that moves only when the code under test sleeps: waits of minutes take no time. */
import type { Timing } from '../../tools/smoke/polling';

export interface FakeTiming extends Timing {
  readonly sleeps: number[];
}

export function fakeTiming(): FakeTiming {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => { sleeps.push(ms); now += ms; },
  };
}

/** An AWS service error as the SDK raises it: the error code is the name. */
export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}
