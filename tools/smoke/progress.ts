/**
 * The waiting line. On a terminal it is one line rewritten in place; in a log (CI) every update
 * would be a new line, so there it is written at most once per interval.
 */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressLine {
  update(line: string): void;
  /** Ends the line on a terminal, so the next output starts on its own line. */
  done(): void;
}

export function progressLine(stream: ProgressStream, now: () => number = Date.now, logIntervalMs = 30_000): ProgressLine {
  let shown = false;
  let lastLogged = -Infinity;
  return {
    update(line) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[K${line}`);
        shown = true;
      } else if (now() - lastLogged >= logIntervalMs) {
        stream.write(`${line}\n`);
        lastLogged = now();
      }
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
