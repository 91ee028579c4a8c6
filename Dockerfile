# syntax=docker/dockerfile:1
# Offload application image: the workflow worker, the inference workers, the HTTP API and the
# namespace setup all run from it; docker-compose.yml picks the role with `command`.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# onnxruntime-node would download CUDA libraries at install time; the CPU runtime ships in the
# npm package. Build with --build-arg ONNXRUNTIME_NODE_INSTALL_CUDA=v12 for a CUDA image.
ARG ONNXRUNTIME_NODE_INSTALL_CUDA=skip
ENV ONNXRUNTIME_NODE_INSTALL_CUDA=${ONNXRUNTIME_NODE_INSTALL_CUDA}
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts keeps the package's own `prepare` (a build) from running before the sources
# are here; `npm rebuild` then runs the dependencies' install scripts (zeromq, onnxruntime-node).
RUN npm ci --ignore-scripts && npm rebuild
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
RUN mkdir -p /models && chown node:node /models
USER node
VOLUME ["/models"]
EXPOSE 8000
CMD ["node", "dist/src/workers/workflow-worker.js"]
