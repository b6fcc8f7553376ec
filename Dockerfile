# Scratchroom server image: multi-stage, production dependencies only, runs as a non-root user.

# --- build: compile native modules (better-sqlite3), TypeScript and the client bundle
FROM node:20-bookworm AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# `npm ci` runs the `prepare` script (the build) only once the sources are in place, so skip it here.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3 esbuild
COPY . .
RUN npm run build && npm prune --omit=dev

# --- runtime
FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node /app/sessions ./sessions
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# A young generation of 2 × 8 MB instead of V8's 2 × 16 MB: scavenges twice as often, each half as
# long (the live Yjs items they copy), so a keystroke waits ~2 ms for one instead of ~4–11 ms
# (docs/benchmarks.md, "Scavenges and the update path's tail"). No memory reducer: V8's took a
# server relaying a class for idle and paused it 10–18 ms two or three times after every full
# collection; the server gives memory back itself once no doc update has come for IDLE_RECLAIM_MS,
# with the gc() that --expose-gc gives it (server/idle-memory.ts). `npm start` passes the same flags.
CMD ["node", "--max-semi-space-size=8", "--no-memory-reducer", "--expose-gc", "bin/scratchroom.js", "serve"]
