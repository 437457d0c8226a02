# PlexSync worker image: the program built with Native AOT (no JIT warm-up: a fresh worker's first sync in about
# 0.15 s and a third of the JIT build's memory, README "Performance"), run on the runtime-deps image as its non-root
# user. Tags are pinned to the toolchain the project is built and tested with (global.json rolls forward to it).
# The -aot SDK image adds the native toolchain (clang, llvm, zlib1g-dev); Native AOT builds for the platform it runs on.
FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble-aot AS build
WORKDIR /src
# .dockerignore keeps local config, secrets, tests and build output out of the context.
COPY . .
RUN dotnet publish src/PlexSync/PlexSync.csproj -c Release --use-current-runtime -p:PublishAot=true -p:DebugType=none -o /out

# runtime-deps holds what the native program loads: glibc, libgcc, libstdc++, OpenSSL and ICU (matching compares
# Unicode text). DockerImageTests check the published program's libraries against it.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0.12-noble
# The program and the Temporal core library it loads; not the debug symbols (plexsync.dbg).
COPY --from=build /out/plexsync /out/libtemporalio_sdk_core_c_bridge.so /app/
# The spool lives in /data (a volume); the image's non-root user (APP_UID, "app") must own it.
RUN mkdir /data && chown "$APP_UID" /data
# The worker writes this file while it is ready: Temporal answers and lists it polling both task queues
# (src/PlexSync/Hosting/WorkerHeartbeat.cs); docker-compose.yml's health check reads its age (no curl here).
ENV PLEXSYNC_HEARTBEAT_FILE=/tmp/plexsync-heartbeat
USER $APP_UID
ENTRYPOINT ["/app/plexsync"]
CMD ["worker"]
