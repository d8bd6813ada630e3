FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# esbuild (a dependency) builds dist/ below, so the dev tools (typescript, vitest) stay out.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY src ./src
COPY db ./db
COPY conversations ./conversations
COPY templates ./templates
COPY tsconfig.json ./
RUN node src/cli/build.mjs
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The same flags as `npm start` (see the README, «The bot's memory»).
CMD ["node", "--max-old-space-size=512", "dist/main.mjs"]
