/**
 * Refuses a raw object too large for one invocation (contract/object-size-limit.ts) before its
 * content is read: it fails at once as unreadable, with its size, the limit and what to do, instead
 * of running into the Lambda timeout on every delivery and reaching the dead-letter queue with no
 * reason given.
 */
import { Readable } from 'node:stream';
import { type ObjectSizeLimit, isSurelyWithin, oversizeReason } from '../../contract/object-size-limit';
import { UnreadableObjectError } from './record-readers';

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * The body to read, or an UnreadableObjectError saying why not. `size` is GetObject's
 * ContentLength. An object within both limits is passed on untouched; a larger one is told gzip or
 * not by its first bytes, as the transform tells it (transform-object.ts), and passed on with them.
 */
export async function checkedObjectSize(body: Readable, size: number | undefined, limit: ObjectSizeLimit): Promise<Readable> {
  if (size === undefined || isSurelyWithin(size, limit)) return body;
  // Over both limits: refused unread, by the larger (plain) one.
  const overBoth = oversizeReason(size, 'gzip', limit) !== undefined ? oversizeReason(size, 'plain', limit) : undefined;
  if (overBoth !== undefined) {
    body.destroy();
    throw new UnreadableObjectError(overBoth);
  }
  const iterator = body[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? undefined : Buffer.from(first.value as Uint8Array);
  const gzip = head !== undefined && head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  const reason = oversizeReason(size, gzip ? 'gzip' : 'plain', limit);
  if (reason !== undefined) {
    body.destroy();
    throw new UnreadableObjectError(reason);
  }
  return Readable.from((async function* chunks() {
    if (head) yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Uint8Array;
  })(), { objectMode: false });
}
