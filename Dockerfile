# syntax=docker/dockerfile:1
# Offload application image: the workflow worker, the inference workers, the robot bridge, the HTTP
# API and the namespace setup all run from it; docker-compose.yml picks the role with `command`.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The CPU runtime ships in the onnxruntime-node package; its install script, which downloads the
# CUDA libraries, is denied in package.json (allowScripts). Build with
# --build-arg ONNXRUNTIME_NODE_INSTALL=cuda12 for a CUDA image.
ARG ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
# --ignore-scripts keeps the package's own `prepare` (a build) from running before the sources
# are here; `npm rebuild` then runs the install scripts package.json allows (zeromq, ...).
RUN npm ci --ignore-scripts && npm rebuild \
    && if [ "$ONNXRUNTIME_NODE_INSTALL" != skip ]; then \
         node node_modules/onnxruntime-node/script/install.js --onnxruntime-node-install="$ONNXRUNTIME_NODE_INSTALL"; fi
COPY tsconfig.json ./
COPY src ./src
COPY temporal ./temporal
COPY bin ./bin
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    OFFLOAD_MODEL_DIR=/models
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The intents of text.nlu (OFFLOAD_INTENTS_FILE defaults to config/intents.json).
COPY config ./config
RUN mkdir -p /models /app/data/bridge && chown node:node /models /app/data /app/data/bridge
USER node
VOLUME ["/models"]
EXPOSE 8000
CMD ["node", "dist/src/main/workflow-worker.js"]
