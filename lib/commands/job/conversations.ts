/**
 * The main job with multi-turn traffic (`job --api openai-chat --workload
 * conversations`): the same sessions, on the same closed loop of sessions,
 * against the batched stub without its prefix cache (baseline) and with it
 * (optimized), both over pooled connections, so the one factor that differs
 * is the cache. Each session resends its whole history (the model's actual
 * answers, which the stub makes a pure function of the input, so both phases
 * send the same bytes); later turns are where a cache spares the prefill.
 *
 * The shape (16 sessions of 4 turns, 4 at once, 128-token user turns asking
 * 12 tokens, 0.2 ms a prompt token of prefill) makes turn 3 resend about 550
 * tokens: about 110 ms of prefill without the cache, about 30 ms with it.
 *
 * @module
 */

import type { SessionsPlan } from "../../load/load_plan.ts";
import type { Sample } from "../../stats/sample.ts";
import { API_PATHS, requestBody } from "../../workload/openai_request.ts";
import { answerContent, answerReader } from "../../workload/response_tokens.ts";
import { SessionBodies } from "../../workload/sessions/bodies.ts";
import { syntheticSessions } from "../../workload/sessions/synthetic.ts";
import type { ConversationSet } from "../../workload/sessions/conversation.ts";
import { tokenizer } from "../../workload/tokens.ts";
import { wordsText } from "../../workload/vocabulary.ts";
import { mulberry32 } from "../../stats/random.ts";
import { type JobLlm, LLM_JOB } from "./llm.ts";

/** The conversation job's fixed shape. */
export const CONVERSATION_JOB = {
  sessions: 16,
  turns: 4,
  /** Sessions at once (the job's `-c` wins). */
  concurrency: 4,
  userTokens: 128,
  outputTokens: 12,
  prefillMs: 0.2,
  decodeMs: 5,
  maxBatch: 16,
  /**
   * The TTFT threshold of its default SLA: turn 3 resends about 550 tokens, whose
   * uncached prefill alone is 110 ms and waits behind the others' in a batch step;
   * the cache brings every turn near turn 0's (docs/llm.md has measured figures).
   */
  ttftP95Ms: 600,
} as const;

/** Requests of the conversation job: every turn of every session. */
export const CONVERSATION_REQUESTS = CONVERSATION_JOB.sessions * CONVERSATION_JOB.turns;

const PARAMS = { api: "openai-chat", model: LLM_JOB.model, ignoreEos: true, stream: true } as const;

/** One cell's sessions: its own bodies (filled as its answers arrive), plan and answer hook. */
function cellWork(set: ConversationSet, concurrency: number, seed: number) {
  const bodies = new SessionBodies(set, PARAMS, "actual");
  const plan: SessionsPlan = {
    kind: "sessions",
    requests: CONVERSATION_REQUESTS,
    durationMs: null,
    warmup: 0,
    sessions: bodies.specs,
    concurrency,
    rate: null,
    arrival: "constant",
    seed,
    beforeSend: (id) => bodies.prepare(id),
  };
  return { bodies, plan };
}

/** Builds the conversation job's sessions, stub arguments and per-cell work. */
export async function jobConversations(
  options: { seed: number; concurrency: number },
): Promise<JobLlm> {
  const t = await tokenizer();
  const c = CONVERSATION_JOB;
  const set = await syntheticSessions({
    count: c.sessions,
    turns: c.turns,
    input: { mean: c.userTokens },
    output: { mean: c.outputTokens },
    thinkMs: 0,
    seed: options.seed,
  });
  const stub = [
    ...["--mode", "batched", "--prefill-ms", String(c.prefillMs)],
    ...["--decode-ms", String(c.decodeMs), "--max-batch", String(c.maxBatch)],
    ...["--model", LLM_JOB.model],
  ];
  const first = cellWork(set, options.concurrency, options.seed);
  return {
    cellLabel: (name) => `batched stub, prefix cache ${name === "optimized" ? "on" : "off"}`,
    api: "openai-chat",
    workload: first.bodies.workload,
    stubArgs: () => [...stub, "--no-prefix-cache"],
    stubArgsFor: (name) => (name === "optimized" ? stub : [...stub, "--no-prefix-cache"]),
    policy: "pooled",
    cell: () => {
      const { bodies, plan } = cellWork(set, options.concurrency, options.seed);
      const read = answerReader(new Map(), { method: "chunks" });
      const onBody = (sample: Sample, body: Uint8Array): void => {
        bodies.answer(sample.requestId, answerContent(body).text);
        read(sample, body); // tokens, and text_sha256: the outputs are compared as text
      };
      return { workload: bodies.workload, plan, onBody };
    },
    path: API_PATHS["openai-chat"],
    onBody: () => {},
    groups: { openLoop: true, streaming: true, llm: true, goodput: null },
    warm: async (url) => {
      // Prompts of their own (no session's text), so no cell's cache starts with its sessions.
      const rand = mulberry32(0x5eed);
      for (let k = 0; k < 4; k++) {
        const body = requestBody({ text: wordsText(64, rand), maxTokens: 2 }, PARAMS);
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        }).catch(() => null);
        await res?.arrayBuffer().catch(() => {});
      }
    },
    manifest: {
      api: "openai-chat",
      model: LLM_JOB.model,
      workload: "conversations",
      prompt_source: "conversations:synthetic",
      prompt_digest: set.digest,
      sessions: { count: c.sessions, turns: c.turns, concurrency: options.concurrency },
      history: "actual",
      stub_llm: { prefill_ms: c.prefillMs, decode_ms: c.decodeMs, max_batch: c.maxBatch },
      prefix_cache: { baseline: false, optimized: true },
      tokenizer: t.name,
    },
  };
}
