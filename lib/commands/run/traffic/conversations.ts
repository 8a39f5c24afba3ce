/**
 * `run` with multi-turn sessions: the sessions (a file or synthetic), their
 * bodies written as answers arrive, the session plan, and the hook that reads
 * each answer's tokens and, for `actual` history, its text.
 *
 * @module
 */

import { UsageError } from "../../../base/errors.ts";
import type { SessionsPlan } from "../../../load/load_plan.ts";
import type { Sample } from "../../../stats/sample.ts";
import { discoverModel } from "../../../workload/openai_request.ts";
import { answerContent, answerReader } from "../../../workload/response_tokens.ts";
import { SessionBodies } from "../../../workload/sessions/bodies.ts";
import type { ConversationSet } from "../../../workload/sessions/conversation.ts";
import { readConversations } from "../../../workload/sessions/read.ts";
import { syntheticSessions } from "../../../workload/sessions/synthetic.ts";
import { tokenizer } from "../../../workload/tokens.ts";
import type { LlmWorkload } from "../llm/workload.ts";
import type { RunCommandOptions } from "../options.ts";
import type { ConversationOptions } from "./options.ts";

/** A conversation run's plan and workload. */
export interface ConversationRun {
  plan: SessionsPlan;
  llm: LlmWorkload;
}

/** The sessions: the file's (its first `count`), or synthetic ones of the `--synthetic` lengths. */
async function sessionsOf(options: RunCommandOptions, c: ConversationOptions) {
  let set: ConversationSet;
  if (c.path !== null) {
    set = await readConversations(c.path, c.thinkMs);
    if (c.count !== null) set = { ...set, sessions: set.sessions.slice(0, c.count) };
  } else {
    const spec = options.llm!.synthetic!;
    set = await syntheticSessions({
      count: c.count ?? 16,
      turns: c.turns,
      input: spec.input,
      output: spec.output,
      thinkMs: c.thinkMs,
      seed: options.seed,
    });
  }
  if (c.history === "recorded") {
    const missing = set.sessions.findIndex((s) =>
      s.turns.some((t, k) => k < s.turns.length - 1 && t.answer === undefined)
    );
    if (missing >= 0) {
      throw new UsageError(
        `Cannot use --session-history recorded: session ${
          missing + 1
        } has a turn without a recorded answer`,
      );
    }
  }
  return set;
}

/** Builds the sessions, their bodies and plan (the model discovered when not given). */
export async function conversationRun(
  options: RunCommandOptions,
  c: ConversationOptions,
): Promise<ConversationRun> {
  const llm = options.llm!;
  const t = await tokenizer();
  const set = await sessionsOf(options, c);
  const fetchFn = (u: string, init?: RequestInit) =>
    fetch(u, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
  const model = llm.model ?? await discoverModel(options.url, fetchFn);
  const params = {
    api: llm.api,
    model,
    ...(llm.maxTokens === undefined ? {} : { maxTokens: llm.maxTokens }),
    ...(llm.temperature === undefined ? {} : { temperature: llm.temperature }),
    ...(llm.ignoreEos ? { ignoreEos: true } : {}),
    ...(options.stream ? { stream: true } : {}),
  };
  const bodies = new SessionBodies(set, params, c.history);
  // Output tokens from usage, else one a content chunk (the run's default estimate).
  const read = answerReader(new Map(), { method: "chunks" });
  const onBody = (sample: Sample, body: Uint8Array): void => {
    if (c.history === "actual") bodies.answer(sample.requestId, answerContent(body).text);
    read(sample, body);
  };
  const plan: SessionsPlan = {
    kind: "sessions",
    requests: 0,
    durationMs: null,
    warmup: 0,
    sessions: bodies.specs,
    concurrency: c.concurrency,
    rate: c.rate,
    arrival: options.arrival,
    seed: options.seed,
    beforeSend: (id) => bodies.prepare(id),
  };
  plan.requests = plan.sessions.reduce((n, s) => n + s.turns, 0);
  const manifest = {
    api: llm.api,
    model,
    prompt_source: `conversations:${set.source}`,
    prompt_digest: set.digest,
    sessions: set.sessions.length,
    history: c.history,
    think_ms: c.thinkMs,
    tokenizer: t.name,
  };
  return { plan, llm: { workload: bodies.workload, model, onBody, manifest } };
}
