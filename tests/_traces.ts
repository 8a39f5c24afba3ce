/** Small traces in the published datasets' layouts (docs/llm.md cites each), for the trace tests. */

/** Lines of kvcache-ai/Mooncake's mooncake_trace.jsonl shape (AIPerf's docs example). */
export const MOONCAKE = [
  '{"timestamp": 0, "input_length": 655, "output_length": 52, "hash_ids": [46, 47]}',
  '{"timestamp": 10535, "input_length": 672, "output_length": 26, "hash_ids": [46, 47]}',
  '{"timestamp": 27482, "input_length": 655, "output_length": 52, "hash_ids": [46, 47]}',
  '{"timestamp": 27482, "input_length": 1100, "output_length": 4, "hash_ids": [46, 48, 49]}',
].join("\n");

/** Azure/AzurePublicDataset AzureLLMInferenceTrace_conv.csv's header and time format. */
export const AZURE = "TIMESTAMP,ContextTokens,GeneratedTokens\n" +
  "2023-11-16 18:15:46.6805900,374,44\n" +
  "2023-11-16 18:15:50.9951690,396,109\n" +
  "2023-11-16 18:15:51.0000000,1200,7\n";

/** HPMLL/BurstGPT BurstGPT_1.csv's columns; the 0-response row is a failed request. */
export const BURSTGPT = "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n" +
  "5,ChatGPT,472,18,490,Conversation log\n" +
  "45,ChatGPT,1087,230,1317,Conversation log\n" +
  "46,GPT-4,300,0,300,API log\n" +
  "118,GPT-4,417,276,693,Conversation log\n";
