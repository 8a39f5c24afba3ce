/**
 * A Hugging Face `tokenizer.json` (`run --tokenizer FILE`), the served
 * model's own tokenizer, for the token counts a server does not send.
 *
 * Read with `@huggingface/tokenizers` (pure JavaScript, no dependency, loaded
 * on use): `@huggingface/transformers` loads the same file through the same
 * code (`PreTrainedTokenizer`), but pulls in ONNX runtimes (about 350 MB) and
 * takes 200 ms and 100 MB to import against 36 ms and 40 MB (measured under
 * Deno 2, docs/llm.md).
 *
 * @example
 * ```ts
 * const t = await readTokenizerFile("tokenizer.json");
 * t.count("hello world"); // 2 with a word-level vocabulary
 * ```
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";
import type { Tokenizer } from "./tokens.ts";

/** The library and version that reads `tokenizer.json`, as manifests name it. */
export const HF_TOKENIZERS = "@huggingface/tokenizers@0.2.0";

/** Loads `path` as a `tokenizer.json`; throws {@linkcode UsageError} when it is not one. */
export async function readTokenizerFile(path: string): Promise<Tokenizer> {
  let json: unknown;
  try {
    json = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    const why = e instanceof SyntaxError ? "it is not JSON" : (e as Error).message;
    throw new UsageError(`Cannot read --tokenizer "${path}": ${why}`);
  }
  const model = (json as { model?: { type?: unknown } } | null)?.model;
  if (typeof model !== "object" || model === null) {
    throw new UsageError(`Cannot read --tokenizer "${path}": no "model" (not a tokenizer.json)`);
  }
  const { Tokenizer } = await import("../base/deps.ts").then((d) => d.loadHfTokenizers());
  let t: InstanceType<typeof Tokenizer>;
  try {
    t = new Tokenizer(json as object, {});
    t.encode("a");
  } catch (e) {
    throw new UsageError(`Cannot read --tokenizer "${path}": ${(e as Error).message}`);
  }
  const ids = (text: string): number[] =>
    t.encode(text, { add_special_tokens: false }).ids as number[];
  return {
    name: `${path} (${HF_TOKENIZERS})`,
    count: (text) => (text === "" ? 0 : ids(text).length),
    encode: ids,
    decode: (tokens) => t.decode(tokens),
  };
}
