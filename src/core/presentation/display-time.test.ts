import { describe, expect, it } from 'vitest';
import { formatDisplayTime } from './display-time.js';

describe('display time', () => {
  it('shows minutes, not milliseconds, in the chosen zone with its name', () => {
    expect(formatDisplayTime('2026-12-03T21:15:42.123Z', { timeZone: 'UTC' })).toBe('3 Dec 2026, 21:15 UTC');
    expect(formatDisplayTime('2026-12-03T21:15:42.123Z', { timeZone: 'Asia/Tokyo' })).toBe('4 Dec 2026, 06:15 GMT+9');
    expect(formatDisplayTime('2026-12-03T21:15:42.123Z', { timeZone: 'Asia/Tokyo', locale: 'ja' })).toBe('2026年12月4日 06:15 JST');
  });

  it('leaves empty and non-date values as they are', () => {
    expect(formatDisplayTime(undefined)).toBe('');
    expect(formatDisplayTime('')).toBe('');
    expect(formatDisplayTime('soon')).toBe('soon');
  });
});
