# loadgate in an image of its own, for `loadgate k8s --image IMAGE` (the default needs no image:
# Deno's official image runs a pinned URL of main.ts). NOT BUILT OR RUN where loadgate is
# developed: those machines have no container runtime. See docs/distributed.md.
#
#   docker build -t REGISTRY/loadgate:0.1.0 . && docker push REGISTRY/loadgate:0.1.0
#   deno run -A main.ts k8s --shards 4 --image REGISTRY/loadgate:0.1.0 -- run --url ... --sla ...
FROM denoland/deno:2.9.6

WORKDIR /app
COPY deno.json deno.lock main.ts stub_server.ts ./
COPY lib ./lib
# Fetch the npm packages now, as the lock file pins them, so a pod needs no registry.
RUN deno cache --frozen main.ts

# The manifests run /app/main.ts through `sh -c` (see lib/commands/k8s/manifests.ts); by hand:
#   docker run --rm REGISTRY/loadgate:0.1.0 run --url http://HOST:PORT/v1/infer -n 100
ENTRYPOINT ["deno", "run", "--allow-net", "--allow-read=/config,/results,/proc/self/stat", "--allow-write=/results", "--allow-env=JOB_COMPLETION_INDEX", "/app/main.ts"]
