/**
 * Random variates from a uniform source (such as `mulberry32` from
 * `random.ts`): normal, gamma and beta. Deterministic for a seeded source.
 * The bootstrap uses beta variates to draw a resample's order statistics
 * directly, in constant time whatever the number of requests.
 *
 * @example
 * ```ts
 * import { mulberry32 } from "./random.ts";
 * const rng = mulberry32(7);
 * betaVariate(rng, 2, 3); // a draw from Beta(2, 3), in (0, 1)
 * ```
 *
 * @module
 */

/** A uniform source on [0, 1). */
export type Uniform = () => number;

// A uniform on (0, 1]: safe to take the logarithm of.
const open = (rng: Uniform): number => 1 - rng();

/** A standard normal variate (Box-Muller; one of the pair, for simplicity). */
export function normalVariate(rng: Uniform): number {
  return Math.sqrt(-2 * Math.log(open(rng))) * Math.cos(2 * Math.PI * rng());
}

/**
 * A Gamma(`shape`, 1) variate for `shape` >= 1 (Marsaglia and Tsang, 2000:
 * a squeeze-accepted transformed normal; more than 95% of proposals are kept).
 */
export function gammaVariate(rng: Uniform, shape: number): number {
  if (!(shape >= 1)) throw new RangeError(`Cannot draw a gamma variate of shape ${shape}: below 1`);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalVariate(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = open(rng);
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A Gamma(`shape`, 1) variate for any `shape` > 0: below 1, a Gamma(shape + 1)
 * draw times U^(1/shape) (Marsaglia and Tsang's boost).
 */
export function gammaAnyShape(rng: Uniform, shape: number): number {
  if (!(shape > 0)) throw new RangeError(`Cannot draw a gamma variate of shape ${shape}`);
  if (shape >= 1) return gammaVariate(rng, shape);
  return gammaVariate(rng, shape + 1) * Math.pow(open(rng), 1 / shape);
}

/** A Beta(`a`, `b`) variate for `a`, `b` >= 1, as X / (X + Y) of two gamma variates. */
export function betaVariate(rng: Uniform, a: number, b: number): number {
  const x = gammaVariate(rng, a);
  const y = gammaVariate(rng, b);
  return x / (x + y);
}
