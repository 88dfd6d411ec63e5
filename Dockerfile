# syntax=docker/dockerfile:1
# Multi-stage: build the web app (and argon2's native addon) with the full toolchain, then run
# on a slim Node 20 image as a non-root user.

FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# argon2 is built from source by its install script (the prebuilt binary is not used).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY web ./web
COPY server ./server
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
RUN groupadd --system klankbord && useradd --system --gid klankbord --home /app klankbord \
 && mkdir -p /data && chown klankbord:klankbord /data
COPY --from=build --chown=klankbord:klankbord /app/node_modules ./node_modules
COPY --from=build --chown=klankbord:klankbord /app/dist ./dist
COPY --chown=klankbord:klankbord package.json tsconfig.json ./
COPY --chown=klankbord:klankbord server ./server
COPY --chown=klankbord:klankbord migrations ./migrations
COPY --chown=klankbord:klankbord web ./web
USER klankbord
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--max-semi-space-size=32", "--import", "tsx", "server/start.ts"]
