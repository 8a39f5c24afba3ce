/**
 * The `inference.GRPCInferenceService` of the Open Inference Protocol (KServe
 * v2 over gRPC), as a protobuf.js JSON descriptor that `@grpc/proto-loader`'s
 * `fromJSON` reads: the protocol's health, metadata and infer RPCs (KServe's
 * `grpc_predict_v2.proto`) and the two that Triton adds to the same service,
 * `ModelStreamInfer` and `ModelStatistics` (Triton's `grpc_service.proto`).
 * Only the messages loadgate uses are here, with the protocol's package,
 * names and field numbers, so that it speaks to any server of the protocol;
 * a descriptor in TypeScript rather than a `.proto` file because a compiled
 * loadgate reads no file beside its entry point. NOTICE.md beside this file
 * names the upstream definitions and their licences.
 *
 * @module
 */

type Fields = Record<string, { type: string; id: number; rule?: "repeated"; keyType?: string }>;

const s = (id: number) => ({ type: "string", id });
const list = (type: string, id: number) => ({ type, id, rule: "repeated" as const });
const params = (id: number) => ({ keyType: "string", type: "InferParameter", id });
const message = (fields: Fields, nested?: Record<string, unknown>) => ({
  fields,
  ...(nested ? { nested } : {}),
});

const TENSOR_CONTENTS: Fields = {
  bool_contents: list("bool", 1),
  int_contents: list("int32", 2),
  int64_contents: list("int64", 3),
  uint_contents: list("uint32", 4),
  uint64_contents: list("uint64", 5),
  fp32_contents: list("float", 6),
  fp64_contents: list("double", 7),
  bytes_contents: list("bytes", 8),
};

const DURATION = () => message({ count: { type: "uint64", id: 1 }, ns: { type: "uint64", id: 2 } });

const rpc = (requestType: string, responseType: string, stream = false) => ({
  requestType,
  responseType,
  ...(stream ? { requestStream: true, responseStream: true } : {}),
});

/** The descriptor (protobuf.js JSON), package `inference`. */
export const INFERENCE_SCHEMA = {
  nested: {
    inference: {
      nested: {
        GRPCInferenceService: {
          methods: {
            ServerLive: rpc("ServerLiveRequest", "ServerLiveResponse"),
            ServerReady: rpc("ServerReadyRequest", "ServerReadyResponse"),
            ModelReady: rpc("ModelReadyRequest", "ModelReadyResponse"),
            ServerMetadata: rpc("ServerMetadataRequest", "ServerMetadataResponse"),
            ModelMetadata: rpc("ModelMetadataRequest", "ModelMetadataResponse"),
            ModelInfer: rpc("ModelInferRequest", "ModelInferResponse"),
            ModelStreamInfer: rpc("ModelInferRequest", "ModelStreamInferResponse", true),
            ModelStatistics: rpc("ModelStatisticsRequest", "ModelStatisticsResponse"),
          },
        },
        ServerLiveRequest: message({}),
        ServerLiveResponse: message({ live: { type: "bool", id: 1 } }),
        ServerReadyRequest: message({}),
        ServerReadyResponse: message({ ready: { type: "bool", id: 1 } }),
        ModelReadyRequest: message({ name: s(1), version: s(2) }),
        ModelReadyResponse: message({ ready: { type: "bool", id: 1 } }),
        ServerMetadataRequest: message({}),
        ServerMetadataResponse: message({
          name: s(1),
          version: s(2),
          extensions: list("string", 3),
        }),
        ModelMetadataRequest: message({ name: s(1), version: s(2) }),
        ModelMetadataResponse: message(
          {
            name: s(1),
            versions: list("string", 2),
            platform: s(3),
            inputs: list("TensorMetadata", 4),
            outputs: list("TensorMetadata", 5),
          },
          {
            TensorMetadata: message({ name: s(1), datatype: s(2), shape: list("int64", 3) }),
          },
        ),
        InferParameter: {
          oneofs: { parameter_choice: { oneof: ["bool_param", "int64_param", "string_param"] } },
          fields: {
            bool_param: { type: "bool", id: 1 },
            int64_param: { type: "int64", id: 2 },
            string_param: s(3),
          },
        },
        InferTensorContents: message(TENSOR_CONTENTS),
        ModelInferRequest: message(
          {
            model_name: s(1),
            model_version: s(2),
            id: s(3),
            parameters: params(4),
            inputs: list("InferInputTensor", 5),
            outputs: list("InferRequestedOutputTensor", 6),
            raw_input_contents: list("bytes", 7),
          },
          {
            InferInputTensor: message({
              name: s(1),
              datatype: s(2),
              shape: list("int64", 3),
              parameters: params(4),
              contents: { type: "InferTensorContents", id: 5 },
            }),
            InferRequestedOutputTensor: message({ name: s(1), parameters: params(2) }),
          },
        ),
        ModelInferResponse: message(
          {
            model_name: s(1),
            model_version: s(2),
            id: s(3),
            parameters: params(4),
            outputs: list("InferOutputTensor", 5),
            raw_output_contents: list("bytes", 6),
          },
          {
            InferOutputTensor: message({
              name: s(1),
              datatype: s(2),
              shape: list("int64", 3),
              parameters: params(4),
              contents: { type: "InferTensorContents", id: 5 },
            }),
          },
        ),
        ModelStreamInferResponse: message({
          error_message: s(1),
          infer_response: { type: "ModelInferResponse", id: 2 },
        }),
        ModelStatisticsRequest: message({ name: s(1), version: s(2) }),
        StatisticDuration: DURATION(),
        InferStatistics: message({
          success: { type: "StatisticDuration", id: 1 },
          fail: { type: "StatisticDuration", id: 2 },
          queue: { type: "StatisticDuration", id: 3 },
          compute_input: { type: "StatisticDuration", id: 4 },
          compute_infer: { type: "StatisticDuration", id: 5 },
          compute_output: { type: "StatisticDuration", id: 6 },
        }),
        InferBatchStatistics: message({
          batch_size: { type: "uint64", id: 1 },
          compute_input: { type: "StatisticDuration", id: 2 },
          compute_infer: { type: "StatisticDuration", id: 3 },
          compute_output: { type: "StatisticDuration", id: 4 },
        }),
        ModelStatistics: message({
          name: s(1),
          version: s(2),
          last_inference: { type: "uint64", id: 3 },
          inference_count: { type: "uint64", id: 4 },
          execution_count: { type: "uint64", id: 5 },
          inference_stats: { type: "InferStatistics", id: 6 },
          batch_stats: list("InferBatchStatistics", 7),
        }),
        ModelStatisticsResponse: message({ model_stats: list("ModelStatistics", 1) }),
      },
    },
  },
};

/** The service's full name, the prefix of its methods' paths (`/inference.GRPCInferenceService/ModelInfer`). */
export const INFERENCE_SERVICE = "inference.GRPCInferenceService";
