/**
 * Config fixtures: the sample files, parsed, changed by a test, and validated again as text, so
 * each error test states only what it breaks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { type ConfigSource, type LakeConfig, parseLakeConfig } from '../../lib/config/load-config';
import { SAMPLE_CONFIG_DIR } from './sample-app';

export type Doc = any;

export interface Fixture {
  platform: Doc;
  lobs: Record<string, Doc>;
}

export function sampleFixture(): Fixture {
  const read = (file: string) => parse(fs.readFileSync(path.join(SAMPLE_CONFIG_DIR, file), 'utf8'));
  const lobFiles = fs.readdirSync(path.join(SAMPLE_CONFIG_DIR, 'lobs')).filter((file) => file.endsWith('.yaml'));
  return {
    platform: read('platform.yaml'),
    lobs: Object.fromEntries(lobFiles.map((file) => [`config/lobs/${file}`, read(`lobs/${file}`)])),
  };
}

export function sources(fixture: Fixture): { platform: ConfigSource; lobs: ConfigSource[] } {
  return {
    platform: { file: 'config/platform.yaml', text: stringify(fixture.platform) },
    lobs: Object.entries(fixture.lobs).map(([file, doc]) => ({ file, text: typeof doc === 'string' ? doc : stringify(doc) })),
  };
}

export function parseFixture(fixture: Fixture): LakeConfig {
  const { platform, lobs } = sources(fixture);
  return parseLakeConfig(platform, lobs);
}

/** The ConfigError message for a fixture, or a failure if it parses. */
export function configErrorOf(change: (fixture: Fixture) => void): string {
  const fixture = sampleFixture();
  change(fixture);
  try {
    parseFixture(fixture);
  } catch (error) {
    if (error instanceof Error && error.name === 'ConfigError') return error.message;
    throw error;
  }
  throw new Error('expected the config to be rejected, but it was accepted');
}

export const FINANCE = 'config/lobs/finance.yaml';
export const MARKETING = 'config/lobs/marketing.yaml';
