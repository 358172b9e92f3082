/**
 * Wall-clock times of a named time zone to UTC, for timestamps that name no offset in a dataset
 * with a `timeZone`. Offsets come from the runtime's own tz database (Intl), so there is no table
 * to keep current here.
 */

const MINUTE_MS = 60_000;
/** Zones change offset only at whole quarter hours, so one lookup serves every instant in one. */
const BUCKET_MS = 15 * MINUTE_MS;
const MAX_CACHED = 50_000;

/** Minutes east of UTC in `zone` at each UTC instant, cached per quarter hour. */
export class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();

  constructor(public readonly zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  }

  /** The zone's offset, in minutes east of UTC, at `utcMillis`. */
  public offsetAt(utcMillis: number): number {
    const bucket = Math.floor(utcMillis / BUCKET_MS);
    const cached = this.cache.get(bucket);
    if (cached !== undefined) return cached;
    const instant = bucket * BUCKET_MS;
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(instant))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    const offset = Math.round((wall - instant) / MINUTE_MS);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(bucket, offset);
    return offset;
  }

  /**
   * The UTC instant of wall-clock time `wallMillis` (its fields read as if UTC) in the zone. In a
   * gap (clocks going forward) it is the instant the same number of minutes after the last
   * offset; in an overlap (clocks going back) the earlier of the two instants, as java.time does.
   */
  public toUtc(wallMillis: number): number {
    const first = this.offsetAt(wallMillis);
    const guess = wallMillis - first * MINUTE_MS;
    const second = this.offsetAt(guess);
    if (second === first) {
      // In an overlap both offsets fit; prefer the earlier instant (the larger offset).
      const earlier = this.offsetAt(guess - 3 * 60 * MINUTE_MS);
      if (earlier > first && this.offsetAt(wallMillis - earlier * MINUTE_MS) === earlier) return wallMillis - earlier * MINUTE_MS;
      return guess;
    }
    const retry = wallMillis - second * MINUTE_MS;
    return this.offsetAt(retry) === second ? retry : guess;
  }
}
