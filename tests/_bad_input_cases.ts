/**
 * The bad input cases: arguments, and what the one-line error must say.
 * Shared by bad_input_test.ts and docs/bad-input.md. Not a test file itself.
 */
import { CsvLogWriter } from "../lib/log/csv_log.ts";
import { LOG_COLUMNS } from "../lib/stats/sample.ts";
import { makeSample } from "./_helpers.ts";

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
  // LLM flags of run and job.
  {
    label: "run --api soap",
    args: run("--api", "soap"),
    expect: /Cannot parse --api: "soap" is not one of openai-chat, openai-completions, raw/,
  },
  {
    label: "run --api openai-chat, no prompt source",
    args: run("--api", "openai-chat", "--model", "m"),
    expect: /Cannot use --api openai-chat without prompts: give --dataset, --synthetic or --trace/,
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
    label: "stub --host=not..a..host",
    args: () => ["stub", "--host=not..a..host"],
    expect: /^loadgate stub: Cannot parse --host: "not..a..host" is not a host name or address/,
  },
  {
    label: "stub --mode fast",
    args: () => ["stub", "--mode", "fast"],
    expect: /Cannot parse --mode: "fast" is not one of serialized, concurrent/,
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
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  await Deno.mkdir(`${dir}/a_dir`);
  // Checked from its first bytes, never read whole: sparse, it costs no disk.
  await Deno.writeTextFile(`${dir}/big_foreign.csv`, "id;latency\n1;20\n");
  await Deno.truncate(`${dir}/big_foreign.csv`, 1 << 30);
}
