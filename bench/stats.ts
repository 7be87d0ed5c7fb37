/**
 * Statistics of the benchmarks: medians, percentiles, and a bootstrap
 * interval on a ratio of medians, with a seeded generator so that the same
 * data always gives the same interval.
 */

/** The q-quantile (0 ≤ q ≤ 1) by linear interpolation (numpy's default). */
export function quantile(xs: readonly number[], q: number): number {
  if (!xs.length) {
    return NaN;
  }
  const s = [...xs].sort((a, b) => a - b);
  const at = q * (s.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return s[lo] + (s[hi] - s[lo]) * (at - lo);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/**
 * mulberry32: a small, fast, seeded 32-bit generator, good enough to draw
 * resampling indices (not for anything secret).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface IRatio {
  /** median(a) ÷ median(b) on the data itself. */
  ratio: number;
  /** 2.5th and 97.5th percentiles of the bootstrap ratios. */
  low: number;
  high: number;
  resamples: number;
  seed: number;
}

/**
 * Ratio of medians median(a) ÷ median(b), with a percentile bootstrap 95 %
 * interval: each arm is resampled with replacement on its own (same size),
 * the ratio of the resampled medians taken, `resamples` times.
 */
export function bootstrapRatio(
  a: readonly number[],
  b: readonly number[],
  options: { resamples?: number; seed?: number } = {}
): IRatio {
  const resamples = options.resamples ?? 10_000;
  const seed = options.seed ?? 13;
  const random = seededRandom(seed);
  const draw = (xs: readonly number[], into: number[]) => {
    for (let i = 0; i < xs.length; i++) {
      into[i] = xs[Math.floor(random() * xs.length)];
    }
    return into;
  };
  const bufA = new Array<number>(a.length);
  const bufB = new Array<number>(b.length);
  const ratios = new Array<number>(resamples);
  for (let r = 0; r < resamples; r++) {
    ratios[r] = median(draw(a, bufA)) / median(draw(b, bufB));
  }
  return {
    ratio: median(a) / median(b),
    low: quantile(ratios, 0.025),
    high: quantile(ratios, 0.975),
    resamples,
    seed
  };
}

/**
 * Whether a ratio meets a "≤ target" bound, decided by its interval:
 * PASS when the whole interval is at or below the target, FAIL otherwise,
 * with why (clearly above, or the interval straddles the target).
 */
export function verdict(r: IRatio, target: number): string {
  if (r.high <= target) {
    return 'PASS';
  }
  if (r.low > target) {
    return 'FAIL (the whole interval is above the target)';
  }
  return 'FAIL (undecided: the interval straddles the target; more runs or a quieter machine)';
}

/** `1.012 [0.991, 1.034]` */
export function formatRatio(r: IRatio): string {
  return `${r.ratio.toFixed(3)} [95 % CI ${r.low.toFixed(3)}, ${r.high.toFixed(3)}]`;
}
