/** The poll loop and the retry: deadlines, backoff on throttling, and the messages they give. */
import { PollTimeoutError, formatDuration, isThrottling, poll, retryThrottled } from '../../tools/smoke/polling';
import { awsError, fakeTiming } from './fake-timing';

describe('poll', () => {
  test('looks until the check answers, sleeping the interval between looks', async () => {
    const timing = fakeTiming();
    let looks = 0;
    const waits: number[] = [];
    const result = await poll({ what: 'x', timeoutMs: 60_000, intervalMs: 5_000, timing, check: async () => (++looks === 4 ? 'done' : undefined), onWait: (elapsed) => waits.push(elapsed) });
    expect(result).toBe('done');
    expect(timing.sleeps).toEqual([5_000, 5_000, 5_000]);
    expect(waits).toEqual([0, 5_000, 10_000]);
  });

  test('times out at the deadline, after a last look at it, saying what it waited for and what it saw', async () => {
    const timing = fakeTiming();
    let looks = 0;
    const wait = poll({ what: 'the outputs', timeoutMs: 12_000, intervalMs: 5_000, timing, check: async () => { looks++; return undefined; }, describeState: () => '2 of 3 missing: a' });
    await expect(wait).rejects.toThrow(new PollTimeoutError('timed out after 12 s waiting for the outputs; 2 of 3 missing: a'));
    expect(timing.sleeps).toEqual([5_000, 5_000, 2_000]);
    expect(looks).toBe(4);
  });

  test('backs off while throttled (ThrottlingException, TooManyRequestsException), and resets after a good look', async () => {
    const timing = fakeTiming();
    const answers = [awsError('ThrottlingException', 'Rate exceeded'), awsError('TooManyRequestsException', 'slow down'), awsError('ThrottlingException', 'Rate exceeded'), undefined, 'done'];
    const result = await poll({ what: 'x', timeoutMs: 600_000, intervalMs: 1_000, maxIntervalMs: 5_000, timing, check: async () => {
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next;
    } });
    expect(result).toBe('done');
    expect(timing.sleeps).toEqual([2_000, 4_000, 5_000, 1_000]);
  });

  test('a timeout while throttled says so', async () => {
    const timing = fakeTiming();
    await expect(poll({ what: 'x', timeoutMs: 10_000, intervalMs: 1_000, timing, check: async () => { throw awsError('ThrottlingException', 'Rate exceeded'); } }))
      .rejects.toThrow('timed out after 10 s waiting for x; last look was throttled (ThrottlingException: Rate exceeded)');
  });

  test('any other error ends the wait at once', async () => {
    const timing = fakeTiming();
    await expect(poll({ what: 'x', timeoutMs: 60_000, intervalMs: 1_000, timing, check: async () => { throw awsError('AccessDeniedException', 'no'); } })).rejects.toThrow('no');
    expect(timing.sleeps).toEqual([]);
  });
});

describe('retryThrottled', () => {
  test('retries a throttled call with doubling delays, then returns its answer', async () => {
    const timing = fakeTiming();
    let calls = 0;
    await expect(retryThrottled(async () => { if (++calls < 3) throw awsError('ThrottlingException', 'Rate exceeded'); return 'ok'; }, { timing })).resolves.toBe('ok');
    expect(timing.sleeps).toEqual([1_000, 2_000]);
  });

  test('gives up after its attempts, with the service\'s error; other errors are not retried', async () => {
    const timing = fakeTiming();
    await expect(retryThrottled(async () => { throw awsError('TooManyRequestsException', 'Rate exceeded'); }, { timing, attempts: 3 })).rejects.toThrow('Rate exceeded');
    expect(timing.sleeps).toEqual([1_000, 2_000]);
    let calls = 0;
    await expect(retryThrottled(async () => { calls++; throw awsError('ValidationException', 'bad'); }, { timing })).rejects.toThrow('bad');
    expect(calls).toBe(1);
  });

  test('throttling is recognised by name or by the SDK\'s retryable flag', () => {
    expect(isThrottling(awsError('SlowDown', ''))).toBe(true);
    expect(isThrottling(Object.assign(new Error('x'), { name: 'Whatever', $retryable: { throttling: true } }))).toBe(true);
    expect(isThrottling(awsError('AccessDeniedException', ''))).toBe(false);
    expect(isThrottling('ThrottlingException')).toBe(false);
  });

  test('durations read as people write them', () => {
    expect([formatDuration(950), formatDuration(42_000), formatDuration(372_000)]).toEqual(['950 ms', '42 s', '6m 12s']);
  });
});
