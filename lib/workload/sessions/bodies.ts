/**
 * The request bodies of a conversation run: turn k of a session sends the
 * whole history (every earlier user turn and its answer) and its own user
 * turn as chat `messages`. With `recorded` history the answers are the
 * dataset's, so every body is known before the run; with `actual` history
 * they are the model's, so turn k+1's body is written when turn k's answer
 * has arrived ({@linkcode SessionBodies.prepare}), into the workload's slot of
 * its request id. Request ids: session s's turn k is `firstId[s] + k`.
 *
 * @example
 * ```ts
 * const b = new SessionBodies(set, { api: "openai-chat", model: "m" }, "actual");
 * b.answer(0, "hello");   // turn 0's answer arrived
 * b.prepare(1);           // turn 1's body now holds both turns
 * ```
 *
 * @module
 */

import { sha256HexSync } from "../../base/hash.ts";
import { encodeRequestBody, type RequestParams } from "../openai_request.ts";
import type { ChatMessage } from "../prompt.ts";
import { messagesText } from "../prompt.ts";
import type { Workload } from "../workload.ts";
import type { ConversationSet, HistoryMode } from "./conversation.ts";

/** What the session pacer needs of a session: its ids and think times. */
export interface SessionSpec {
  firstId: number;
  turns: number;
  /** Think time after each turn's answer, ms. */
  thinkMs: number[];
}

/** The bodies of a conversation run, filled as answers arrive. */
export class SessionBodies {
  readonly workload: Workload;
  readonly specs: SessionSpec[];
  #set: ConversationSet;
  #params: RequestParams;
  #mode: HistoryMode;
  #answers: (string | undefined)[];
  /** Session and turn of each request id. */
  #where: { s: number; k: number }[] = [];

  constructor(set: ConversationSet, params: RequestParams, mode: HistoryMode) {
    this.#set = set;
    this.#params = params;
    this.#mode = mode;
    let next = 0;
    this.specs = set.sessions.map((c, s) => {
      const spec = { firstId: next, turns: c.turns.length, thinkMs: c.turns.map((t) => t.thinkMs) };
      c.turns.forEach((_, k) => this.#where.push({ s, k }));
      next += c.turns.length;
      return spec;
    });
    this.#answers = new Array(next);
    const digest = sha256HexSync(
      `conversations ${set.source} ${set.digest} history ${mode}\n${JSON.stringify(params)}`,
    );
    this.workload = {
      seed: null,
      bodies: new Array(next).fill(new Uint8Array(0)),
      inputSha256: new Array(next).fill(""),
      digest,
    };
    for (let id = 0; id < next; id++) {
      if (mode === "recorded" || this.#where[id]!.k === 0) this.prepare(id);
    }
  }

  /** Session and turn of request `id`. */
  where(id: number): { session: number; turn: number } {
    const w = this.#where[id]!;
    return { session: w.s, turn: w.k };
  }

  /** Records the model's answer to request `id` (used by `actual` history). */
  answer(id: number, text: string): void {
    this.#answers[id] = text;
  }

  /** Writes request `id`'s body (its history up to now) into the workload. */
  prepare(id: number): void {
    const { s, k } = this.#where[id]!;
    const turns = this.#set.sessions[s]!.turns;
    const first = this.specs[s]!.firstId;
    const messages: ChatMessage[] = [];
    for (let j = 0; j < k; j++) {
      const answer = this.#mode === "recorded" ? turns[j]!.answer : this.#answers[first + j];
      messages.push({ role: "user", content: turns[j]!.user });
      messages.push({ role: "assistant", content: answer ?? "" });
    }
    messages.push({ role: "user", content: turns[k]!.user });
    const maxTokens = turns[k]!.maxTokens;
    const body = encodeRequestBody({
      text: messagesText(messages),
      messages,
      ...(maxTokens === undefined ? {} : { maxTokens }),
    }, this.#params);
    this.workload.bodies[id] = body;
    this.workload.inputSha256[id] = sha256HexSync(body);
  }
}
