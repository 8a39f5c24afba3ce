/**
 * The bad input cases: arguments, and what the one-line error must say.
 * Shared by bad_input_test.ts and docs/bad-input.md. Not a test file itself.
 */
import { CsvLogWriter } from "../lib/log/csv/log.ts";
import { LOG_COLUMNS } from "../lib/stats/sample.ts";
import { makeSample } from "./_helpers.ts";
import { writeShard } from "./_shards.ts";

/** One case of bad input. */
export interface Case {
  /** How docs/bad-input.md names the case. */
  label: string;
  args: (dir: string) => string[];
  /** What the one line must say. */
  expect: RegExp;
}

const URL_OK = "http://127.0.0.1:9/v1/infer";
const run = (...a: string[]) => (d: string) => ["run", "--url", URL_OK, "--out", `${d}/out`, ...a];
const job = (...a: string[]) => () => ["job", ...a];
const sweep = (...a: string[]) => (d: string) => [
  "sweep",
  "--url",
  URL_OK,
  "--out",
  `${d}/out`,
  ...a,
];
const cmp = (a: string, b = "good.csv", ...more: string[]) => (d: string) => [
  "compare",
  `${d}/${a}`,
  `${d}/${b}`,
  "--out",
  `${d}/out`,
  ...more,
];
const k8s = (...a: string[]) => () => {
  const dash = a.indexOf("--");
  const own = dash < 0 ? a : a.slice(0, dash);
  const runArgs = dash < 0 ? [] : a.slice(dash + 1);
  return ["k8s", "--shards", "2", "--image", "x", ...own, "--", "run", "--url", URL_OK, ...runArgs];
};
const EMPTY_OUT = /Cannot parse --out: expected a folder, got an empty name/;
const notPositive = (flag: string, v: string) =>
  new RegExp(`Cannot parse ${flag}: "${v}" is not a positive integer`);

/** Every case; docs/bad-input.md lists each by its label. */
export const CASES: Case[] = [
  // Flags of the main job: type, sign, range.
  {
    label: "job --requests 0",
    args: job("--requests", "0"),
    expect: notPositive("--requests", "0"),
  },
  {
    label: "job --requests -5",
    args: job("--requests", "-5"),
    expect: notPositive("--requests", "-5"),
  },
  {
    label: "job --requests ten",
    args: job("--requests", "ten"),
    expect: notPositive("--requests", "ten"),
  },
  {
    label: "job --requests 1.5",
    args: job("--requests", "1.5"),
    expect: notPositive("--requests", "1.5"),
  },
  {
    label: "job --requests 2000000",
    args: job("--requests", "2000000"),
    expect: /Cannot parse --requests: "2000000" is above 1000000/,
  },
  {
    label: "job --concurrency 0",
    args: job("--concurrency", "0"),
    expect: notPositive("--concurrency", "0"),
  },
  {
    label: "job --concurrency -3",
    args: job("--concurrency=-3"),
    expect: notPositive("--concurrency", "-3"),
  },
  {
    label: "job --concurrency 20000",
    args: job("--concurrency", "20000"),
    expect: /"20000" is above 10000/,
  },
  {
    label: "job --timeout-ms 0",
    args: job("--timeout-ms", "0"),
    expect: notPositive("--timeout-ms", "0"),
  },
  {
    label: "job --timeout-ms 5s",
    args: job("--timeout-ms", "5s"),
    expect: notPositive("--timeout-ms", "5s"),
  },
  {
    label: "job --timeout-ms 99999999",
    args: job("--timeout-ms", "99999999"),
    expect: /"99999999" is above 3600000/,
  },
  {
    label: "job --seed -1",
    args: job("--seed=-1"),
    expect: /Cannot parse --seed: "-1" is not a non-negative integer/,
  },
  {
    label: "job --seed 4294967296",
    args: job("--seed", "4294967296"),
    expect: /"4294967296" is above 4294967295/,
  },
  {
    label: "job --service-ms 50:10",
    args: job("--service-ms", "50:10"),
    expect: /Cannot parse --service-ms: "50:10" is not a range MIN:MAX with MIN <= MAX/,
  },
  {
    label: "job --max-error-rate -0.1",
    args: job("--max-error-rate=-0.1"),
    expect: /Cannot parse --max-error-rate: "-0.1" is not a non-negative number/,
  },
  {
    label: "job --max-error-rate 1.5",
    args: job("--max-error-rate", "1.5"),
    expect: /Cannot parse --max-error-rate: "1.5" is above 1/,
  },
  {
    label: "job --sla p95 (the shell ate an unquoted <800)",
    args: job("--sla", "p95"),
    expect: /Cannot parse --sla "p95": expected METRIC OP VALUE \(quote it: --sla 'p95<800'\)/,
  },
  {
    label: "job --sla p95<<1",
    args: job("--sla", "p95<<1"),
    expect: /Cannot parse --sla "p95<<1": expected METRIC OP VALUE/,
  },
  {
    label: "job --sla latency<=5",
    args: job("--sla", "latency<=5"),
    expect: /unknown metric "latency"/,
  },
  { label: "job --requests (no value)", args: job("--requests"), expect: /--requests/ },
  { label: "job --bogus", args: job("--bogus"), expect: /Unknown option '--bogus'/ },
  {
    label: "job --out FILE/sub (cannot be written)",
    args: (d) => ["job", "--out", `${d}/a_file/sub`],
    expect: /Cannot write to output folder ".*a_file\/sub": Not a directory/,
  },
  { label: "an unknown command", args: () => ["launch"], expect: /Unknown command "launch"/ },
  // run: the target, the load, the body.
  { label: "run without --url", args: () => ["run"], expect: /Missing --url/ },
  {
    label: "run --url 'not a url'",
    args: () => ["run", "--url", "not a url"],
    expect: /Cannot parse --url: "not a url" is not a URL/,
  },
  {
    label: "run --url http://127.0.0.1:99999/",
    args: () => ["run", "--url", "http://127.0.0.1:99999/"],
    expect: /is not a URL/,
  },
  {
    label: "run --url ftp://...",
    args: () => ["run", "--url", "ftp://127.0.0.1/x"],
    expect: /has scheme ftp: \(use http or https\)/,
  },
  {
    label: "run --url file:///etc/passwd",
    args: () => ["run", "--url", "file:///etc/passwd"],
    expect: /has scheme file:/,
  },
  { label: "run -n 0", args: run("-n", "0"), expect: notPositive("--requests", "0") },
  {
    label: "run --concurrency=-1",
    args: run("--concurrency=-1"),
    expect: notPositive("--concurrency", "-1"),
  },
  {
    label: "run -c -1 (a negative number as the value)",
    args: run("-c", "-1"),
    expect: notPositive("--concurrency", "-1"),
  },
  {
    label: "run --url -q (a value that looks like a flag)",
    args: () => ["run", "--url", "-q"],
    expect: /Cannot parse --url: "-q" looks like another option; write --url=-q/,
  },
  {
    label: "run --timeout-ms 0",
    args: run("--timeout-ms", "0"),
    expect: notPositive("--timeout-ms", "0"),
  },
  {
    label: "run --max-response-bytes 0",
    args: run("--max-response-bytes", "0"),
    expect: notPositive("--max-response-bytes", "0"),
  },
  {
    label: "run --max-error-rate 2",
    args: run("--max-error-rate", "2"),
    expect: /"2" is above 1/,
  },
  {
    label: "run -H 'no colon'",
    args: run("-H", "no colon"),
    expect: /Cannot parse --header: "no colon" is not NAME: VALUE/,
  },
  {
    label: "run --engine h1 -H 'Bad Name: v'",
    args: run("--engine", "h1", "-H", "Bad Name: v"),
    expect: /Cannot parse --header: name "Bad Name" is not an HTTP token/,
  },
  {
    label: "run -H 'Bad Name: v' (fetch)",
    args: run("-H", "Bad Name: v"),
    expect: /Cannot parse --header: name "Bad Name" is not an HTTP token/,
  },
  {
    label: "run -H $'X: a\\r\\nInjected: b'",
    args: run("-H", "X: a\r\nInjected: b"),
    expect: /Cannot parse --header: the value of X holds a character no header may carry \(CR, LF/,
  },
  {
    label: "run -H 'Host: other'",
    args: run("-H", "Host: other"),
    expect: /Cannot use --header Host: the HTTP client sets it/,
  },
  {
    label: "run -H 'Transfer-Encoding: chunked'",
    args: run("-H", "Transfer-Encoding: chunked"),
    expect: /Cannot use --header Transfer-Encoding: the HTTP client sets it/,
  },
  {
    label: "run --rate 1e-9 (an interval no timer holds)",
    args: run("--rate", "1e-9"),
    expect: /Cannot parse --rate: "1e-9" is below 4.66e-7 per second/,
  },
  {
    label: "run --warmup 99999999",
    args: run("--warmup", "99999999"),
    expect: /Cannot parse --warmup: "99999999" is above 1000000/,
  },
  {
    label: "run --sla 'p95<=1e309' (Infinity)",
    args: run("--sla", "p95<=1e309"),
    expect: /Cannot parse --sla "p95<=1e309": the value 1e309 is not a finite number/,
  },
  {
    label: "run --sla 'p95<=-5'",
    args: run("--sla", "p95<=-5"),
    expect: /Cannot parse --sla "p95<=-5": the value -5 is negative/,
  },
  {
    label: "run --url http://127.0.0.1:0/x",
    args: () => ["run", "--url", "http://127.0.0.1:0/x"],
    expect: /Cannot parse --url: "http:\/\/127.0.0.1:0\/x" has port 0/,
  },
  {
    label: "job --service-ms 10:99999999",
    args: job("--service-ms", "10:99999999"),
    expect: /Cannot parse --service-ms: "10:99999999" is above 60000 ms/,
  },
  {
    label: "run --method 'GET POST'",
    args: run("--method", "GET POST"),
    expect: /Cannot parse --method: "GET POST"/,
  },
  {
    label: "run --reuse --no-reuse",
    args: run("--reuse", "--no-reuse"),
    expect: /Cannot use --reuse with --no-reuse/,
  },
  {
    label: "run --phase ../x",
    args: run("--phase", "../x"),
    expect: /Cannot parse --phase: "..\/x"/,
  },
  {
    label: "run --body '{\"inputs\": oops}'",
    args: run("--body", '{"inputs": oops}'),
    expect: /Cannot parse --body: "\{"inputs": oops\}" is not JSON/,
  },
  {
    label: "run --body @missing.json",
    args: (d) => run("--body", `@${d}/missing.json`)(d),
    expect: /Cannot read --body file ".*missing.json": No such file/,
  },
  {
    label: "run --body @truncated.json",
    args: (d) => run("--body", `@${d}/truncated.json`)(d),
    expect: /Cannot parse --body file ".*truncated.json": "\{"inputs": "cut" is not JSON/,
  },
  {
    label: "run --out FILE/sub (cannot be written)",
    args: (d) => ["run", "--url", URL_OK, "--out", `${d}/a_file/sub`],
    expect: /Cannot write to output folder/,
  },
  // compare: the logs.
  {
    label: "compare with one log",
    args: (d) => ["compare", `${d}/good.csv`],
    expect: /Cannot compare: give two logs, BEFORE.csv AFTER.csv \(got 1\)/,
  },
  {
    label: "compare missing.csv ...",
    args: cmp("missing.csv"),
    expect: /Cannot read log ".*missing.csv": No such file/,
  },
  {
    label: "compare a folder",
    args: cmp("a_dir"),
    expect: /Cannot read log ".*a_dir": Is a directory/,
  },
  {
    label: "compare empty.csv ...",
    args: cmp("empty.csv"),
    expect: /Cannot read log ".*empty.csv": the file is empty/,
  },
  {
    label: "compare header_only.csv ...",
    args: cmp("header_only.csv"),
    expect: /Cannot read log ".*header_only.csv": it has a header but no rows/,
  },
  {
    label: "compare truncated.csv (row cut short)",
    args: cmp("truncated.csv"),
    expect: /Cannot parse log .*truncated.csv:3: 3 fields where the header has 14/,
  },
  {
    label: "compare cut_quote.csv (cut inside a quoted field)",
    args: cmp("cut_quote.csv"),
    expect: /Cannot parse log ".*cut_quote.csv" after line 2: Quoted field not terminated/,
  },
  {
    label: "compare wrong_columns.csv",
    args: cmp("wrong_columns.csv"),
    expect: /the header does not start with the loadgate columns/,
  },
  {
    label: "compare big_foreign.csv (1 GiB, not a log)",
    args: cmp("big_foreign.csv"),
    expect:
      /Cannot read log ".*big_foreign.csv": the header does not start with the loadgate columns/,
  },
  {
    label: "compare bad_value.csv",
    args: cmp("bad_value.csv"),
    expect: /Cannot parse log .*bad_value.csv:2: column ok has "yes"/,
  },
  {
    label: "compare duplicate_ids.csv",
    args: cmp("duplicate_ids.csv"),
    expect: /request_id 0 appears twice \(lines 2 and 3\)/,
  },
  {
    label: "compare with a malformed summary JSON beside a log",
    args: cmp("bad_summary.csv"),
    expect: /Cannot parse summary ".*bad_summary.json": not JSON/,
  },
  {
    label: "compare --out FILE/sub (cannot be written)",
    args: (d) => ["compare", `${d}/good.csv`, `${d}/good.csv`, "--out", `${d}/a_file/sub`],
    expect: /Cannot write to output folder/,
  },
  // KServe v2 over gRPC.
  {
    label: "run --api kserve-v2-grpc --url http://...",
    args: run("--api", "kserve-v2-grpc", "--model", "m"),
    expect: /Cannot parse --url: "http:\/\/127\.0\.0\.1:9\/v1\/infer" is not grpc:\/\/HOST:PORT/,
  },
  {
    label: "run --api kserve-v2-grpc without --model",
    args: (
      d,
    ) => ["run", "--url", "grpc://127.0.0.1:9", "--out", `${d}/out`, "--api", "kserve-v2-grpc"],
    expect: /Cannot use --api kserve-v2-grpc without --model/,
  },
  {
    label: "run --api kserve-v2-grpc --engine h1",
    args: (d) => [
      ...["run", "--url", "grpc://127.0.0.1:9", "--out", `${d}/out`],
      ...["--api", "kserve-v2-grpc", "--model", "m", "--engine", "h1"],
    ],
    expect: /Cannot use --engine with --api kserve-v2-grpc/,
  },
  {
    label: "job --api kserve-v2-grpc --tls",
    args: job("--api", "kserve-v2-grpc", "--tls"),
    expect: /Cannot use --tls with --api kserve-v2-grpc/,
  },
  {
    label: "job --api kserve-v2-grpc --engine h1",
    args: job("--api", "kserve-v2-grpc", "--engine", "h1"),
    expect: /Cannot use --engine with --api kserve-v2-grpc/,
  },
  {
    label: "run --api kserve-v2 --stream",
    args: run("--api", "kserve-v2", "--model", "m", "--stream"),
    expect: /Cannot use --stream with --api kserve-v2/,
  },
  {
    label: "run --url grpc://... without --api kserve-v2-grpc",
    args: (d) => ["run", "--url", "grpc://127.0.0.1:9", "--out", `${d}/out`],
    expect: /Cannot parse --url: "grpc:\/\/127\.0\.0\.1:9" has scheme grpc: \(use http or https\)/,
  },
  // LLM flags of run and job.
  {
    label: "run --api soap",
    args: run("--api", "soap"),
    expect: /Cannot parse --api: "soap" is not one of openai-chat, openai-completions, raw/,
  },
  {
    label: "run --api openai-chat, no prompt source",
    args: run("--api", "openai-chat", "--model", "m"),
    expect:
      /Cannot use --api openai-chat without prompts: give --dataset, --synthetic, --trace or --conversations/,
  },
  {
    label: "run --trace of a missing file",
    args: (d) => [...run("--api", "openai-chat", "--model", "m")(d), "--trace", `${d}/none.csv`],
    expect: /Cannot read trace ".*none.csv"/,
  },
  {
    label: "run --trace of a CSV that is no trace",
    args: (d) => [...run("--api", "openai-chat", "--model", "m")(d), "--trace", `${d}/good.csv`],
    expect: /Cannot use trace ".*good.csv": neither JSONL/,
  },
  {
    label: "run --conversations with --api openai-completions",
    args: run("--api", "openai-completions", "--model", "m", "--conversations", "c.jsonl"),
    expect: /Cannot run sessions without --api openai-chat/,
  },
  {
    label: "run --turns with --dataset",
    args: run("--api", "openai-chat", "--model", "m", "--turns", "3", "--dataset", "d.jsonl"),
    expect: /Cannot use --dataset with sessions/,
  },
  {
    label: "run --model m without --api",
    args: run("--model", "m"),
    expect: /Cannot use --model without --api/,
  },
  {
    label: "run --api ... --synthetic input=abc,output=5",
    args: run("--api", "openai-chat", "--model", "m", "--synthetic", "input=abc,output=5"),
    expect: /Cannot parse --synthetic input: "abc" has a mean that is not a positive integer/,
  },
  {
    label: "run --api ... --synthetic output=5",
    args: run("--api", "openai-chat", "--model", "m", "--synthetic", "output=5"),
    expect: /Cannot parse --synthetic: "output=5" needs input=MEAN and output=MEAN/,
  },
  {
    label: "run --api ... --dataset empty.jsonl",
    args: (d) => run("--api", "openai-chat", "--model", "m", "--dataset", `${d}/empty.jsonl`)(d),
    expect: /Cannot use prompts ".*empty.jsonl": it holds no prompts/,
  },
  {
    label: "run --api ... --dataset notjson.jsonl",
    args: (d) => run("--api", "openai-chat", "--model", "m", "--dataset", `${d}/notjson.jsonl`)(d),
    expect: /Cannot parse prompts ".*notjson.jsonl" line 2: "\{oops" is not JSON/,
  },
  {
    label: "run --api ... --dataset nohuman.json (ShareGPT)",
    args: (d) => run("--api", "openai-chat", "--model", "m", "--dataset", `${d}/nohuman.json`)(d),
    expect: /Cannot use prompts ".*nohuman.json" record 1: the conversation has no human turn/,
  },
  {
    label: "run --api ..., no --model, no server to ask",
    args: run("--api", "openai-chat", "--synthetic", "input=4,output=2"),
    expect: /Cannot discover the model from http:\/\/127.0.0.1:9\/v1\/models: .*; give --model/,
  },
  {
    label: "run --stream --goodput ttft<200",
    args: run("--stream", "--goodput", "ttft<200"),
    expect: /Cannot parse --goodput: "ttft<200" is not METRIC<=MS/,
  },
  {
    label: "run --goodput ttft<=200 without --api or --stream",
    args: run("--goodput", "ttft<=200"),
    expect: /Cannot use --goodput without --api or --stream/,
  },
  {
    label: "run --stream --sla goodput_ratio>=0.9",
    args: run("--stream", "--sla", "goodput_ratio>=0.9"),
    expect:
      /Cannot gate on "goodput_ratio": this run reports no goodput metrics \(they need --goodput\)/,
  },
  {
    label: "run --scrape ftp://host/metrics",
    args: run("--scrape", "ftp://host/metrics"),
    expect: /Cannot parse --scrape: "ftp:\/\/host\/metrics" is not an http\(s\) URL/,
  },
  {
    label: "job --api raw",
    args: job("--api", "raw"),
    expect: /Cannot use --api raw with job/,
  },
  // sweep: the steps it is asked to run.
  {
    label: "sweep --rates ''",
    args: sweep("--rates", ""),
    expect: /Cannot parse --rates "": no rate given/,
  },
  {
    label: "sweep --rates 40,20",
    args: sweep("--rates", "40,20"),
    expect: /Cannot use --rates "40,20": rates must ascend \(40 then 20\)/,
  },
  {
    label: "sweep --search --min-rate 50 --max-rate 10",
    args: sweep("--search", "--min-rate", "50", "--max-rate", "10", "--sla", "p95<=60"),
    expect: /Cannot search from --min-rate 50 up to --max-rate 10/,
  },
  {
    label: "sweep --rates 0.5 --step-duration 1",
    args: sweep("--rates", "0.5", "--step-duration", "1"),
    expect: /Cannot run steps of 1 s at 0.5\/s: a step would hold no request/,
  },
  {
    label: "sweep --search without --sla",
    args: sweep("--search", "--min-rate", "10", "--max-rate", "50"),
    expect: /Cannot --search without --sla/,
  },
  // The stub's own flags.
  {
    label: "stub --port 70000",
    args: () => ["stub", "--port", "70000"],
    expect: /^loadgate stub: Cannot parse --port: "70000" is above 65535/,
  },
  {
    label: "stub --grpc-port 70000",
    args: () => ["stub", "--grpc-port", "70000"],
    expect: /Cannot parse --grpc-port: "70000" is above 65535/,
  },
  {
    label: "stub --host=not..a..host",
    args: () => ["stub", "--host=not..a..host"],
    expect: /^loadgate stub: Cannot parse --host: "not..a..host" is not a host name or address/,
  },
  {
    label: "stub --mode fast",
    args: () => ["stub", "--mode", "fast"],
    expect: /Cannot parse --mode: "fast" is not one of serialized, concurrent/,
  },
  // Output paths: one check before anything runs (lib/commands/shared/output_paths.ts).
  { label: "run --out ''", args: () => ["run", "--url", URL_OK, "--out", ""], expect: EMPTY_OUT },
  { label: "job --out ''", args: job("--out", ""), expect: EMPTY_OUT },
  { label: "compare --out ''", args: cmp("good.csv", "good.csv", "--out", ""), expect: EMPTY_OUT },
  { label: "sweep --out ''", args: sweep("--rates", "5", "--out", ""), expect: EMPTY_OUT },
  {
    label: "merge --out ''",
    args: (d) => ["merge", `${d}/shard0`, "--out", ""],
    expect: EMPTY_OUT,
  },
  {
    label: "import --out ''",
    args: (d) => ["import", `${d}/hey.csv`, "--out", ""],
    expect: /Cannot import: --out DIR is required/,
  },
  {
    label: "k8s --out ''",
    args: () => ["k8s", "--shards", "2", "--image", "x", "--out", "", "--", "run", "--url", URL_OK],
    expect: EMPTY_OUT,
  },
  {
    label: "run --junit OUT/run.csv (the run's own log)",
    args: (d) => run("--junit", `${d}/out/run.csv`)(d),
    expect: /Cannot write --junit ".*out\/run.csv": the log is written there too/,
  },
  {
    label: "run --prom OUT/run.json (the run's own summary)",
    args: (d) => run("--prom", `${d}/out/run.json`)(d),
    expect: /Cannot write --prom ".*out\/run.json": the run.json is written there too/,
  },
  {
    label: "run --hlog OUT/run.csv",
    args: (d) => run("--hlog", `${d}/out/run.csv`)(d),
    expect: /Cannot write --hlog ".*out\/run.csv": the log is written there too/,
  },
  {
    label: "run --junit FOLDER",
    args: (d) => run("--junit", `${d}/a_dir`)(d),
    expect: /Cannot write --junit ".*a_dir": it is a folder/,
  },
  {
    label: "run --prom FOLDER",
    args: (d) => run("--prom", `${d}/a_dir`)(d),
    expect: /Cannot write --prom ".*a_dir": it is a folder/,
  },
  {
    label: "run --hlog FOLDER",
    args: (d) => run("--hlog", `${d}/a_dir`)(d),
    expect: /Cannot write --hlog ".*a_dir": it is a folder/,
  },
  {
    label: "run --junit in a missing folder",
    args: (d) => run("--junit", `${d}/none/j.xml`)(d),
    expect: /Cannot write --junit ".*none\/j.xml": No such file or directory$/,
  },
  {
    label: "run --prom in a missing folder",
    args: (d) => run("--prom", `${d}/none/p.prom`)(d),
    expect: /Cannot write --prom ".*none\/p.prom": No such file or directory$/,
  },
  {
    label: "run --hlog in a missing folder",
    args: (d) => run("--hlog", `${d}/none/h.hlog`)(d),
    expect: /Cannot write --hlog ".*none\/h.hlog": No such file or directory$/,
  },
  {
    label: "run --junit FILE/sub (under a file)",
    args: (d) => run("--junit", `${d}/a_file/j.xml`)(d),
    expect: /Cannot write --junit ".*a_file\/j.xml": Not a directory$/,
  },
  {
    label: "run --junit good.csv (a log: another kind)",
    args: (d) => run("--junit", `${d}/good.csv`)(d),
    expect: /Cannot write --junit ".*good.csv": it holds a loadgate log, not XML/,
  },
  {
    label: "run --prom bad_summary.json (JSON: another kind)",
    args: (d) => run("--prom", `${d}/bad_summary.json`)(d),
    expect: /Cannot write --prom ".*bad_summary.json": it holds JSON, not Prometheus text/,
  },
  {
    label: "run --hlog a binary file",
    args: (d) => run("--hlog", `${d}/binary.bin`)(d),
    expect: /Cannot write --hlog ".*binary.bin": it holds binary data, not an HdrHistogram log/,
  },
  {
    label: "run --junit ''",
    args: run("--junit", ""),
    expect: /Cannot parse --junit: expected a file/,
  },
  {
    label: "run --prom ''",
    args: run("--prom", ""),
    expect: /Cannot parse --prom: expected a file/,
  },
  {
    label: "run --phase of 300 characters (file name too long)",
    args: run("--phase", "p".repeat(300)),
    expect: /Cannot write the log ".*p{20}.*\.csv": File name too long$/,
  },
  {
    label: "run --dataset OUT/run.csv (its input is its log)",
    args: (d) => run("--dataset", `${d}/out/run.csv`)(d),
    expect: /Cannot write the log ".*out\/run.csv": it is an input of this command/,
  },
  {
    label: "run --out where run.json is a folder",
    args: (d) => ["run", "--url", URL_OK, "--out", `${d}/json_dir_out`],
    expect: /Cannot write the run.json ".*json_dir_out\/run.json": it is a folder/,
  },
  {
    label: "run --html --out where report.html holds a log",
    args: (d) => ["run", "--url", URL_OK, "--html", "--out", `${d}/html_log_out`],
    expect: /Cannot write the report.html ".*report.html": it holds a loadgate log, not HTML/,
  },
  {
    label: "compare --junit BEFORE.csv (an input)",
    args: (d) => cmp("good.csv", "good.csv", "--junit", `${d}/good.csv`)(d),
    expect: /Cannot write --junit ".*good.csv": it is an input of this command/,
  },
  {
    label: "compare --prom AFTER.csv (an input)",
    args: (d) => cmp("good.csv", "good2.csv", "--prom", `${d}/good2.csv`)(d),
    expect: /Cannot write --prom ".*good2.csv": it is an input of this command/,
  },
  {
    label: "compare --junit OUT/comparison.json",
    args: (d) => cmp("good.csv", "good.csv", "--junit", `${d}/out/comparison.json`)(d),
    expect: /Cannot write --junit ".*comparison.json": the comparison.json is written there too/,
  },
  {
    label: "compare --junit FOLDER",
    args: (d) => cmp("good.csv", "good.csv", "--junit", `${d}/a_dir`)(d),
    expect: /Cannot write --junit ".*a_dir": it is a folder/,
  },
  {
    label: "compare --prom in a missing folder",
    args: (d) => cmp("good.csv", "good.csv", "--prom", `${d}/none/p.prom`)(d),
    expect: /Cannot write --prom ".*none\/p.prom": No such file or directory$/,
  },
  {
    label: "compare --out INPUT_FOLDER where comparison.csv is an input",
    args: (d) => ["compare", `${d}/cmpdir/comparison.csv`, `${d}/good.csv`, "--out", `${d}/cmpdir`],
    expect: /Cannot write the comparison.csv ".*cmpdir\/comparison.csv": it is an input/,
  },
  {
    label: "sweep --junit FOLDER",
    args: sweep("--rates", "5", "--junit", "."),
    expect: /Cannot write --junit ".": it is a folder/,
  },
  {
    label: "sweep --prom OUT/sweep.json",
    args: (d) => sweep("--rates", "5", "--prom", `${d}/out/sweep.json`)(d),
    expect: /Cannot write --prom ".*out\/sweep.json": the sweep.json is written there too/,
  },
  {
    label: "sweep --junit in a missing folder",
    args: (d) => sweep("--rates", "5", "--junit", `${d}/none/j.xml`)(d),
    expect: /Cannot write --junit ".*none\/j.xml": No such file or directory$/,
  },
  {
    label: "sweep --hlog FOLDER",
    args: (d) => sweep("--rates", "5", "--hlog", `${d}/a_dir`)(d),
    expect: /Cannot write --hlog ".*a_dir": it is a folder/,
  },
  {
    label: "job --junit OUT/baseline.csv",
    args: (d) => ["job", "--out", `${d}/out`, "--junit", `${d}/out/baseline.csv`],
    expect: /Cannot write --junit ".*out\/baseline.csv": the log is written there too/,
  },
  {
    label: "job --junit OUT/tests.xml",
    args: (d) => ["job", "--out", `${d}/out`, "--junit", `${d}/out/tests.xml`],
    expect: /Cannot write --junit ".*out\/tests.xml": the tests.xml is written there too/,
  },
  {
    label: "job --prom FOLDER",
    args: (d) => ["job", "--out", `${d}/out`, "--prom", `${d}/a_dir`],
    expect: /Cannot write --prom ".*a_dir": it is a folder/,
  },
  {
    label: "merge SHARD --out SHARD --phase run (the shard's own log)",
    args: (d) => ["merge", `${d}/shard0`, "--out", `${d}/shard0`, "--phase", "run"],
    expect: /Cannot write the log ".*shard0\/run.csv": it is an input of this command/,
  },
  {
    label: "merge --junit SHARD/run.csv",
    args: (d) => ["merge", `${d}/shard0`, "--out", `${d}/out`, "--junit", `${d}/shard0/run.csv`],
    expect: /Cannot write --junit ".*shard0\/run.csv": it is an input of this command/,
  },
  {
    label: "merge --prom FOLDER",
    args: (d) => ["merge", `${d}/shard0`, "--out", `${d}/out`, "--prom", `${d}/a_dir`],
    expect: /Cannot write --prom ".*a_dir": it is a folder/,
  },
  {
    label: "import DIR/hey.csv --out DIR (the source)",
    args: (d) => ["import", `${d}/hey.csv`, "--out", d],
    expect: /Cannot write the log ".*\/hey.csv": it is an input of this command/,
  },
  {
    label: "import FILE --out FILE/sub",
    args: (d) => ["import", `${d}/hey.csv`, "--out", `${d}/a_file/sub`],
    expect: /Cannot write to output folder ".*a_file\/sub": Not a directory/,
  },
  {
    label: "import --out DIR where PHASE.csv holds JSON",
    args: (d) => ["import", `${d}/hey.csv`, "--out", d, "--phase", "notlog"],
    expect: /Cannot write the log ".*notlog.csv": it holds JSON, not a loadgate log/,
  },
  {
    label: "k8s --out FILE/sub",
    args: (d) => k8s("--out", `${d}/a_file/sub`)(),
    expect: /Cannot write to output folder ".*a_file\/sub": Not a directory/,
  },
  {
    label: "k8s --out where loadgate.yaml is a folder",
    args: (d) => k8s("--out", `${d}/yaml_dir_out`)(),
    expect: /Cannot write the loadgate.yaml ".*loadgate.yaml": it is a folder/,
  },
  // merge: the shards.
  {
    label: "merge (no folder)",
    args: () => ["merge"],
    expect: /Cannot merge: give the shards' folders/,
  },
  {
    label: "merge a missing folder",
    args: (d) => ["merge", `${d}/none`, "--out", `${d}/out`],
    expect: /Cannot read shard folder ".*none": No such file/,
  },
  {
    label: "merge a folder without a shard summary",
    args: (d) => ["merge", `${d}/a_dir`, "--out", `${d}/out`],
    expect: /Cannot read shard folder ".*a_dir": no summary files with a manifest.shard/,
  },
  {
    label: "merge a file, not a folder",
    args: (d) => ["merge", `${d}/good.csv`, "--out", `${d}/out`],
    expect: /Cannot read shard folder ".*good.csv": Not a directory/,
  },
  {
    label: "merge --sla ttft_p95<=5 (a metric a merge lacks)",
    args: (d) => ["merge", `${d}/shard0`, "--sla", "ttft_p95<=5"],
    expect: /unknown metric "ttft_p95"/,
  },
  {
    label: "merge --phase ../x",
    args: (d) => ["merge", `${d}/shard0`, "--phase", "../x"],
    expect: /Cannot parse --phase: "..\/x"/,
  },
  {
    label: "merge --max-error-rate 2",
    args: (d) => ["merge", `${d}/shard0`, "--max-error-rate", "2"],
    expect: /Cannot parse --max-error-rate: "2" is above 1/,
  },
  {
    label: "merge --sla error_rate<=2",
    args: (d) => ["merge", `${d}/shard0`, "--sla", "error_rate<=2"],
    expect: /the value 2 is above 1 \(error_rate is a fraction/,
  },
  {
    label: "merge --bogus",
    args: (d) => ["merge", `${d}/shard0`, "--bogus"],
    expect: /Unknown option '--bogus'/,
  },
  {
    label: "merge a shard whose summary is not JSON",
    args: (d) => ["merge", `${d}/shard_badjson`, "--out", `${d}/out`],
    expect: /Cannot parse ".*shard_badjson\/run.json"/,
  },
  // import: the source.
  {
    label: "import (no file)",
    args: (d) => ["import", "--out", d],
    expect: /Cannot import: give one FILE \(got 0; try import --help\)/,
  },
  {
    label: "import missing.csv",
    args: (d) => ["import", `${d}/missing.csv`, "--out", `${d}/out`],
    expect: /missing.csv.*No such file/,
  },
  {
    label: "import a folder",
    args: (d) => ["import", `${d}/a_dir`, "--out", `${d}/out`],
    expect: /a_dir.*Is a directory/,
  },
  {
    label: "import empty.csv",
    args: (d) => ["import", `${d}/empty.csv`, "--out", `${d}/out`],
    expect: /empty.csv/,
  },
  {
    label: "import wrong_columns.csv (no known format)",
    args: (d) => ["import", `${d}/wrong_columns.csv`, "--out", `${d}/out`],
    expect: /wrong_columns.csv/,
  },
  {
    label: "import --format soap",
    args: (d) => ["import", `${d}/hey.csv`, "--out", `${d}/out`, "--format", "soap"],
    expect: /Cannot parse --format: "soap" is not a known format/,
  },
  {
    label: "import --phase ../x",
    args: (d) => ["import", `${d}/hey.csv`, "--out", `${d}/out`, "--phase", "../x"],
    expect: /Cannot parse --phase: "..\/x" may hold only letters, digits/,
  },
  {
    label: "import --format oha-json hey.csv (the wrong format)",
    args: (d) => ["import", `${d}/hey.csv`, "--out", `${d}/out`, "--format", "oha-json"],
    expect: /hey.csv/,
  },
  {
    label: "import a binary file",
    args: (d) => ["import", `${d}/binary.bin`, "--out", `${d}/out`],
    expect: /binary.bin/,
  },
  // k8s: its own flags and the run after --.
  {
    label: "k8s without --shards",
    args: () => ["k8s", "--image", "x", "--", "run", "--url", URL_OK],
    expect: /Missing --shards N/,
  },
  {
    label: "k8s --shards 0",
    args: k8s("--shards", "0"),
    expect: notPositive("--shards", "0"),
  },
  {
    label: "k8s --shards 100000",
    args: k8s("--shards", "100000"),
    expect: /Cannot parse --shards: "100000" is above/,
  },
  {
    label: "k8s without the run after --",
    args: () => ["k8s", "--shards", "2", "--image", "x"],
    expect: /Cannot write manifests: give the run after --/,
  },
  {
    label: "k8s -- run without --url",
    args: () => ["k8s", "--shards", "2", "--image", "x", "--", "run"],
    expect: /Missing --url/,
  },
  {
    label: "k8s -- run --out x",
    args: k8s("--", "--out", "x"),
    expect: /Cannot use --out after --: k8s sets it for each pod/,
  },
  {
    label: "k8s -- run --shard 1/2",
    args: k8s("--", "--shard", "1/2"),
    expect: /Cannot use --shard after --: k8s sets it for each pod/,
  },
  {
    label: "k8s --name Bad_Name",
    args: k8s("--name", "Bad_Name"),
    expect: /Cannot parse --name: "Bad_Name"/,
  },
  {
    label: "k8s --cpu lots",
    args: k8s("--cpu", "lots"),
    expect: /Cannot parse --cpu: "lots" is not a quantity/,
  },
  {
    label: "k8s --start-in 1.5",
    args: k8s("--start-in", "1.5"),
    expect: /Cannot parse --start-in: "1.5" is not whole seconds/,
  },
  {
    label: "k8s --main-url ftp://x/main.ts",
    args:
      () => ["k8s", "--shards", "2", "--main-url", "ftp://x/main.ts", "--", "run", "--url", URL_OK],
    expect: /Cannot parse --main-url: "ftp:\/\/x\/main.ts" is not an http\(s\) URL of a .ts file/,
  },
  {
    label: "k8s --image 'bad image'",
    args: () => ["k8s", "--shards", "2", "--image", "bad image", "--", "run", "--url", URL_OK],
    expect: /Cannot parse --image: "bad image"/,
  },
  {
    label: "k8s without --image or --main-url",
    args: () => ["k8s", "--shards", "2", "--", "run", "--url", URL_OK],
    expect: /Missing --main-url/,
  },
  {
    label: "k8s -- run --body @FILE",
    args: k8s("--", "--body", "@x.json"),
    expect: /Cannot use --body @FILE with k8s/,
  },
  {
    label: "k8s -- run -n 0 (checked as run checks it)",
    args: k8s("--", "-n", "0"),
    expect: notPositive("--requests", "0"),
  },
  {
    label: "k8s -- run --dataset missing.jsonl",
    args: (d) => k8s("--out", `${d}/k8s_out`, "--", "--dataset", `${d}/missing.jsonl`)(),
    expect: /Cannot read --dataset ".*missing.jsonl"/,
  },
  // More of run: the limits of its inputs.
  {
    label: "run --api ... --synthetic input=1e12,output=5",
    args: run("--api", "openai-chat", "--model", "m", "--synthetic", "input=1e12,output=5"),
    expect: /Cannot parse --synthetic input: "1e12" has a mean above 1000000 tokens/,
  },
  {
    label: "run --api ... --synthetic input=4,output=99999999",
    args: run("--api", "openai-chat", "--model", "m", "--synthetic", "input=4,output=99999999"),
    expect: /has a mean above 1000000 tokens/,
  },
  {
    label: "run --sla 'error_rate<=2'",
    args: run("--sla", "error_rate<=2"),
    expect: /Cannot parse --sla "error_rate<=2": the value 2 is above 1/,
  },
  {
    label: "run --stream --goodput ttft<=9 --sla goodput_ratio>=1.5",
    args: run("--stream", "--goodput", "ttft<=9", "--sla", "goodput_ratio>=1.5"),
    expect: /the value 1.5 is above 1 \(goodput_ratio is a fraction/,
  },
  {
    label: "run --config with a number beyond any finite value",
    args: (d) => run("--config", `${d}/inf_config.json`)(d),
    expect: /key "concurrency" has a number beyond any finite value/,
  },
  {
    label: "run --config not JSON",
    args: (d) => run("--config", `${d}/truncated.json`)(d),
    expect: /Cannot read config ".*truncated.json": not JSON/,
  },
  {
    label: "run --config with an unknown key",
    args: (d) => run("--config", `${d}/unknown_key.json`)(d),
    expect: /unknown key "concurency"/,
  },
  {
    label: "run --dataset a binary file",
    args: (d) => run("--dataset", `${d}/binary.bin`)(d),
    expect: /Cannot read dataset ".*binary.bin": it holds binary data, not text/,
  },
  {
    label: "run --api ... --dataset a binary file",
    args: (d) => run("--api", "openai-chat", "--model", "m", "--dataset", `${d}/binary.bin`)(d),
    expect: /Cannot read prompts ".*binary.bin": it holds binary data, not text/,
  },
  {
    label: "run --api-key-env 'not a name'",
    args: run("--api-key-env", "not a name"),
    expect: /Cannot parse --api-key-env: "not a name" is not a variable name/,
  },
  {
    label: "run --url 'http://user:pass@ bad' (credentials never echoed)",
    args: () => ["run", "--url", "http://user:s3cr3t@ bad/"],
    expect: /Cannot parse --url: "http:\/\/\*\*\*@ bad\/" is not a URL/,
  },
  {
    label: "run --duration 0",
    args: run("--duration", "0"),
    expect: /--duration/,
  },
  {
    label: "run --rate 0",
    args: run("--rate", "0"),
    expect: /--rate/,
  },
  {
    label: "run --arrival gamma --rate 5",
    args: run("--arrival", "gamma", "--rate", "5"),
    expect: /Cannot parse --arrival: "gamma"/,
  },
  {
    label: "run --arrival poisson without --rate",
    args: run("--arrival", "poisson"),
    expect: /Cannot use --arrival without --rate or --stages/,
  },
  {
    label: "run --body '{}' --dataset x.jsonl",
    args: run("--body", "{}", "--dataset", "x.jsonl"),
    expect: /Cannot use --body with --dataset/,
  },
  {
    label: "run --dataset-order random without --dataset",
    args: run("--dataset-order", "random"),
    expect: /Cannot use --dataset-order without --dataset/,
  },
  {
    label: "run --engine curl",
    args: run("--engine", "curl"),
    expect: /Cannot parse --engine: "curl"/,
  },
  {
    label: "run --verdict maybe",
    args: run("--verdict", "maybe"),
    expect: /--verdict/,
  },
  {
    label: "run --confidence 100",
    args: run("--confidence", "100"),
    expect: /Cannot parse --confidence: "100" is not a confidence between 0 and 1/,
  },
  {
    label: "run --engine fetch --stream -c 2000 (fetch's memory a stream)",
    args: run("--engine", "fetch", "--stream", "-c", "2000"),
    expect: /Cannot hold 2000 streams with the fetch engine: at most 256/,
  },
  {
    label: "run --http2 --stream -c 1000 (HTTP/2 goes through fetch)",
    args: (
      d,
    ) => [
      "run",
      "--url",
      "https://127.0.0.1:9/x",
      "--http2",
      "--stream",
      "-c",
      "1000",
      "--out",
      `${d}/out`,
    ],
    expect: /Cannot hold 1000 streams with the fetch engine/,
  },
  // More of compare: logs that contradict themselves, goodput without data.
  {
    label: "compare a log with ok=true and status 500",
    args: cmp("ok_500.csv"),
    expect: /Cannot use log .*ok_500.csv:2: request_id 0 says ok=true with status 500/,
  },
  {
    label: "compare a log with ok=true and error=connect",
    args: cmp("ok_connect.csv"),
    expect: /Cannot use log .*ok_connect.csv:2: request_id 0 says ok=true with error=connect/,
  },
  {
    label: "compare a log with ok=true and no status",
    args: cmp("ok_nostatus.csv"),
    expect: /Cannot use log .*ok_nostatus.csv:2: request_id 0 says ok=true with no status/,
  },
  {
    label: "compare --goodput tpot<=1 on logs not streamed",
    args: cmp("good.csv", "good.csv", "--goodput", "tpot<=1"),
    expect: /Cannot judge --goodput on log ".*good.csv": no request has a value for every SLO/,
  },
  {
    label: "compare three logs",
    args: (d) => ["compare", `${d}/good.csv`, `${d}/good.csv`, `${d}/good.csv`],
    expect: /Cannot compare: give two logs, BEFORE.csv AFTER.csv \(got 3\)/,
  },
  {
    label: "compare --format soap",
    args: cmp("good.csv", "good.csv", "--format", "soap"),
    expect: /Cannot parse --format: "soap"/,
  },
  {
    label: "compare --sla p95<=abc",
    args: cmp("good.csv", "good.csv", "--sla", "p95<=abc"),
    expect: /Cannot parse --sla "p95<=abc": expected METRIC OP VALUE/,
  },
  {
    label: "compare --max-error-rate 5",
    args: cmp("good.csv", "good.csv", "--max-error-rate", "5"),
    expect: /"5" is above 1/,
  },
  {
    label: "compare a binary file",
    args: cmp("binary.bin"),
    expect: /binary.bin/,
  },
  {
    label: "compare a sweep folder with a log",
    args: (d) => ["compare", `${d}/sweep_dir`, `${d}/good.csv`, "--out", `${d}/out`],
    expect: /Cannot compare a sweep folder with a log: give two of a kind/,
  },
  // More of sweep, job and the stub.
  {
    label: "sweep --sweep-concurrency 0",
    args: sweep("--sweep-concurrency", "0"),
    expect: /Cannot parse --sweep-concurrency "0": "0" is not a positive number/,
  },
  {
    label: "sweep --sweep-concurrency 4,2",
    args: sweep("--sweep-concurrency", "4,2"),
    expect: /Cannot use --sweep-concurrency "4,2": levels must ascend \(4 then 2\)/,
  },
  {
    label: "sweep --sweep-concurrency 1.5",
    args: sweep("--sweep-concurrency", "1.5"),
    expect: /Cannot parse --sweep-concurrency "1.5": "1.5" is not an integer 1..10000/,
  },
  { label: "sweep without --url", args: () => ["sweep", "--rates", "5"], expect: /Missing --url/ },
  {
    label: "sweep --rates abc",
    args: sweep("--rates", "abc"),
    expect: /Cannot parse --rates "abc": "abc" is not a positive number/,
  },
  {
    label: "sweep --rates 10,-5",
    args: sweep("--rates", "10,-5"),
    expect: /Cannot parse --rates "10,-5": "-5" is not a positive number/,
  },
  {
    label: "sweep with two step modes",
    args: sweep("--rates", "5", "--sweep-concurrency", "2"),
    expect: /Cannot use --rates with --sweep-concurrency: choose one/,
  },
  {
    label: "sweep without a step mode",
    args: sweep(),
    expect: /Cannot sweep: give --rates, --search or --sweep-concurrency/,
  },
  {
    label: "sweep --rates 5 --sla 'error_rate<=3'",
    args: sweep("--rates", "5", "--sla", "error_rate<=3"),
    expect: /the value 3 is above 1/,
  },
  {
    label: "job --api soap",
    args: job("--api", "soap"),
    expect: /Cannot parse --api: "soap"/,
  },
  {
    label: "job --sla 'goodput_ratio>=0.9' (no goodput in the job)",
    args: job("--sla", "goodput_ratio>=0.9"),
    expect: /goodput_ratio/,
  },
  {
    label: "job --sla 'error_rate<=1.5'",
    args: job("--sla", "error_rate<=1.5"),
    expect: /the value 1.5 is above 1/,
  },
  {
    label: "job --config missing.json",
    args: (d) => ["job", "--config", `${d}/missing.json`],
    expect: /Cannot read config ".*missing.json": No such file/,
  },
  {
    label: "stub --host 8.8.8.8 (an address this machine lacks)",
    args: () => ["stub", "--host", "8.8.8.8", "--port", "0"],
    // In-process: the address is missing; a process allowed only 127.0.0.1 is refused the net.
    expect:
      /^loadgate stub: Cannot listen on 8.8.8.8:0: (Cannot assign requested address|Requires)/,
  },
  {
    label: "stub --port -1",
    args: () => ["stub", "--port=-1"],
    expect: /^loadgate stub: Cannot parse --port/,
  },
  {
    label: "stub --service-ms 50:10",
    args: () => ["stub", "--service-ms", "50:10"],
    expect: /^loadgate stub: Cannot parse --service-ms/,
  },
  { label: "stub --bogus", args: () => ["stub", "--bogus"], expect: /^loadgate stub: .*--bogus/ },
  {
    label: "stub --tls-cert missing.pem --tls-key missing.pem",
    args: (d) => ["stub", "--tls-cert", `${d}/missing.pem`, "--tls-key", `${d}/missing.pem`],
    expect: /^loadgate stub: Cannot read ".*missing.pem"/,
  },
];

/** Writes the files the cases name into `dir`. */
export async function fixtures(dir: string): Promise<void> {
  const header = LOG_COLUMNS.join(",");
  const w = CsvLogWriter.create(`${dir}/good.csv`);
  for (let i = 0; i < 3; i++) w.write(makeSample({ requestId: i }));
  w.close();
  const good = (await Deno.readTextFile(`${dir}/good.csv`)).trimEnd().split("\n");
  const row = good[1]!;
  const files: Record<string, string> = {
    "empty.csv": "",
    "header_only.csv": `${header}\n`,
    "truncated.csv": `${header}\n${row}\n${row.slice(0, 60)}\n`,
    "cut_quote.csv": `${header}\n${row}\n"baseline,1,abc`,
    "wrong_columns.csv": "id;latency\n1;20\n",
    "bad_value.csv": `${header}\n${row.replace(",true,", ",yes,")}\n`,
    "duplicate_ids.csv": `${header}\n${row}\n${row}\n`,
    "bad_summary.csv": `${good.join("\n")}\n`,
    "bad_summary.json": '{"load": {"requests": 3,',
    "truncated.json": '{"inputs": "cut',
    "a_file": "not a folder",
    "empty.jsonl": "",
    "notjson.jsonl": '{"prompt": "fine"}\n{oops\n',
    "nohuman.json": '[{"conversations": [{"from": "gpt", "value": "hi"}]}]',
  };
  const okRow = (status: string, error: string) =>
    row.replace(/,200,true,,/, `,${status},true,${error},`);
  Object.assign(files, {
    "good2.csv": `${good.join("\n")}\n`,
    "ok_500.csv": `${header}\n${okRow("500", "")}\n`,
    "ok_connect.csv": `${header}\n${okRow("200", "connect")}\n`,
    "ok_nostatus.csv": `${header}\n${okRow("", "")}\n`,
    "inf_config.json": '{"concurrency": 1e309}',
    "unknown_key.json": '{"concurency": 4}',
    "notlog.csv": '{"not": "a log"}\n',
    "hey.csv": await Deno.readTextFile(new URL("./fixtures/foreign/hey.csv", import.meta.url)),
    // The earlier results a refused command must leave as they were.
    "out/run.csv": `${good.join("\n")}\n`,
    "out/run.json": '{"phase": "run"}\n',
    "out/comparison.json": '{"verdict": "pass"}\n',
    "html_log_out/report.html": `${good.join("\n")}\n`,
    "cmpdir/comparison.csv": `${good.join("\n")}\n`,
    "shard_badjson/run.json": "{",
    "sweep_dir/sweep.json": '{"steps": []}\n',
  });
  for (const sub of ["out", "html_log_out", "cmpdir", "shard_badjson", "sweep_dir"]) {
    await Deno.mkdir(`${dir}/${sub}`);
  }
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  await Deno.writeFile(
    `${dir}/binary.bin`,
    new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff]),
  );
  for (const sub of ["a_dir", "json_dir_out/run.json", "yaml_dir_out/loadgate.yaml"]) {
    await Deno.mkdir(`${dir}/${sub}`, { recursive: true });
  }
  await writeShard(`${dir}/shard0`, {
    index: 0,
    count: 1,
    samples: [makeSample({ phase: "run" })],
  });
  // Checked from its first bytes, never read whole: sparse, it costs no disk.
  await Deno.writeTextFile(`${dir}/big_foreign.csv`, "id;latency\n1;20\n");
  await Deno.truncate(`${dir}/big_foreign.csv`, 1 << 30);
}
