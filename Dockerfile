# One image for the API and the workers: `node dist/api/main.js` or `node dist/worker/main.js`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 (the embedded store) compiles from source.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
COPY asl-examples ./asl-examples
COPY tsconfig.json nest-cli.json ./
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
