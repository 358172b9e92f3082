/**
 * Child process of `npm run bench:largest`, bundled as Lambda's code is (bench/bundle.ts) and run
 * in a plain Node process with the heap limit of the function's memory: invokes the real transform
 * handler once, as SQS would, on one raw object of the embedded S3 endpoint the parent runs. The
 * handler's settings come from the environment the parent sets (contract/transform-settings.ts).
 * Argument: the object's Object Created fields as JSON. Prints the time the invocation took, the
 * process's peak RSS, and whether the object failed.
 */
import type { Context, SQSEvent } from 'aws-lambda';
import { type CreatedObjectFields, objectCreatedEvent } from '../contract/object-created-event';
import { handler } from '../lambda/transform/handler';

async function main(): Promise<void> {
  const fields = JSON.parse(process.argv[2]) as CreatedObjectFields & { time: string };
  const object: CreatedObjectFields = { ...fields, time: new Date(fields.time) };
  const event: SQSEvent = {
    Records: [{
      messageId: 'bench', receiptHandle: 'bench', body: JSON.stringify(objectCreatedEvent(object)), messageAttributes: {}, md5OfBody: '',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'events.amazonaws.com', ApproximateFirstReceiveTimestamp: String(Date.now()) },
      eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:bench', awsRegion: 'eu-west-1',
    }],
  };
  const context = {
    functionName: 'lakeworks-bench-transform', awsRequestId: 'bench', memoryLimitInMB: process.env.LAKEWORKS_BENCH_MEMORY_MB,
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:lakeworks-bench-transform', getRemainingTimeInMillis: () => 900_000,
  } as unknown as Context;
  const started = process.hrtime.bigint();
  const response = await handler(event, context);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, failed: response.batchItemFailures.length > 0 })}\n`);
}

main().catch((error) => { process.stderr.write(`${error.stack ?? error}\n`); process.exit(1); });
