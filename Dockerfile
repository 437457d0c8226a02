# PlexSync worker image: the framework-dependent build on the official .NET runtime image.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/PlexSync/PlexSync.csproj -c Release -o /out

FROM mcr.microsoft.com/dotnet/runtime:10.0
COPY --from=build /out /app
# The spool lives in /data (a volume); the image's non-root user must own it.
RUN mkdir /data && chown app /data
USER app
ENTRYPOINT ["/app/plexsync"]
CMD ["worker"]
