# PlexSync worker image: built with the .NET SDK, run on the .NET runtime image as its non-root user.
# Tags are pinned to the toolchain the project is built and tested with (global.json rolls forward to it).
FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
WORKDIR /src
# .dockerignore keeps local config, secrets, tests and build output out of the context.
COPY . .
RUN dotnet publish src/PlexSync/PlexSync.csproj -c Release -o /out

FROM mcr.microsoft.com/dotnet/runtime:10.0.12-noble
COPY --from=build /out /app
# The spool lives in /data (a volume); the image's non-root user (APP_UID, "app") must own it.
RUN mkdir /data && chown "$APP_UID" /data
# The worker writes this file while it is ready: Temporal answers and lists it polling both task queues
# (src/PlexSync/Hosting/WorkerHeartbeat.cs); docker-compose.yml's health check reads its age (no curl here).
ENV PLEXSYNC_HEARTBEAT_FILE=/tmp/plexsync-heartbeat
USER $APP_UID
ENTRYPOINT ["/app/plexsync"]
CMD ["worker"]
