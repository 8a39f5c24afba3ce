/**
 * HdrHistogram's own JS port, as a reference for the tests and the benchmark
 * of lib/stats/histogram/hdr_histogram.ts. Only tests import it; loadgate does not.
 *
 * @module
 */
export * as hdrJs from "npm:hdr-histogram-js@3.0.1";
