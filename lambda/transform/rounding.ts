/**
 * The `round` decimal policy: a decimal with more fraction digits than its column's scale is
 * rounded half to even (banker's rounding, as Spark's and Java's HALF_EVEN) to the scale, instead
 * of being quarantined. Float-derived feeds print values such as 26.7999992371 for a price of
 * 26.80; half-even keeps the rounding unbiased over many values.
 *
 * The rounding is done on the decimal text, digit by digit, so no binary floating point error
 * enters: the result is what exact decimal arithmetic gives.
 */

/** Counts the values a dataset's converters rounded; the transform reads it per object. */
export class RoundingCounter {
  public count = 0;
}

/**
 * `text` rounded half-even to `scale` fraction digits, in plain form (`-12.35`), or undefined
 * when it is not a plain decimal (optional sign, digits, at most one point, at least one digit)
 * or already has no more than `scale` fraction digits.
 */
export function roundHalfEven(text: string, scale: number): string | undefined {
  let start = 0;
  const first = text.charCodeAt(0);
  if (first === 45 || first === 43) start = 1;
  const point = text.indexOf('.', start);
  if (point === -1 || text.length - point - 1 <= scale) return undefined;
  let sawDigit = false;
  for (let index = start; index < text.length; index++) {
    if (index === point) continue;
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    sawDigit = true;
  }
  if (!sawDigit) return undefined;
  const integer = text.slice(start, point) || '0';
  const kept = text.slice(point + 1, point + 1 + scale);
  const dropped = text.slice(point + 1 + scale);
  const firstDropped = dropped.charCodeAt(0) - 48;
  const beyondHalf = firstDropped > 5 || (firstDropped === 5 && /[1-9]/.test(dropped.slice(1)));
  const tie = firstDropped === 5 && !beyondHalf;
  const digits = `${integer}${kept}`;
  const lastKept = digits.charCodeAt(digits.length - 1) - 48;
  const up = beyondHalf || (tie && lastKept % 2 === 1);
  const unscaled = BigInt(digits) + (up ? 1n : 0n);
  const magnitude = unscaled.toString().padStart(scale + 1, '0');
  const body = scale === 0 ? magnitude : `${magnitude.slice(0, magnitude.length - scale)}.${magnitude.slice(magnitude.length - scale)}`;
  return first === 45 && unscaled !== 0n ? `-${body}` : body;
}
