namespace PlexSync.Tests.Configuration;

/// <summary>plexsync.example.yaml as first published (fc1d9d8, without the schedule and metrics keys), verbatim: files written from it must keep loading.</summary>
internal static class ExampleConfig
{
    public const string Yaml = """
        # PlexSync configuration. Copy to plexsync.yaml (read from the working
        # directory) or point --config / PLEXSYNC_CONFIG at it. Every key has a
        # default; environment variables override the file (see README).

        stash:
          url: http://localhost:9999          # Stash's address, as the worker reaches it
          api_key: ""                         # Settings > Security > API Key; or api_key_file, or PLEXSYNC_STASH_API_KEY
          # api_key_file: /run/secrets/stash_api_key
          timeout: 30s                        # read timeout of one request

        plex:
          url: http://localhost:32400
          token: ""                           # your X-Plex-Token; or token_file, or PLEXSYNC_PLEX_TOKEN
          # token_file: /run/secrets/plex_token
          sections: [Movies]                  # library sections (by name) that hold your Stash files
          timeout: 30s
          activities_per_second: 50           # Plex-bound activities, all workers together (server-enforced)
          requests_per_second: 50             # each worker's own Plex requests
          breaker_failures: 5                 # transient failures in a row that open the circuit breaker
          breaker_cooldown: 30s               # how long an open breaker sends nothing

        # Stash path prefix -> the prefix Plex sees for the same files. Tried in
        # order; the first whose "from" is a whole-folder prefix wins.
        path_mappings:
          - from: /data/videos
            to: /media/videos
          # - from: 'D:\Videos'
          #   to: /mnt/videos

        # Which fields PlexSync manages. A field switched off is never written.
        fields:
          title: true          # empty titles fall back to the file name
          summary: true        # from Stash "details"
          studio: true
          date: true           # originallyAvailableAt
          performers: true     # Plex actors
          tags: true           # Plex genres
          collections: true    # see collection_sources
          rating: true         # rating100 / 10
          poster: true         # the Stash screenshot

        collection_sources: [studio]   # studio and/or groups

        temporal:
          address: 127.0.0.1:7233
          namespace: default
          task_queue: plexsync

        retry:
          transient_initial: 1s        # Plex/Stash unavailable: first backoff step (jittered)
          transient_max: 5m            # ... longest step
          transient_for: 24h           # ... give up after
          not_in_plex_initial: 30s     # file not scanned by Plex yet: first wait
          not_in_plex_max: 10m         # ... longest wait
          not_in_plex_for: 6h          # ... give up after
          activity_timeout: 2m         # one attempt's limit; a crashed worker's work is retried after this

        reconcile:
          page_size: 100               # scenes read from Stash per page
          concurrency: 64              # scene syncs a reconciliation runs at once (Plex's load is set by the plex caps)

        # Where `plexsync hook` keeps events while Temporal cannot be reached; they
        # are sent by the next hook, by `plexsync worker` at start-up and by
        # `plexsync reconcile`. Default: ~/.local/state/plexsync/spool.jsonl
        # spool_path: /root/.stash/plugins/plexsync/spool.jsonl

        # Payload encryption (AES-256-GCM). "ID=BASE64KEY" entries, one per line or
        # comma separated; the first encrypts, all decrypt (rotation). Make a key with
        # `openssl rand -base64 32`. Every plexsync process needs the same keys.
        # encryption:
        #   keys_file: /run/secrets/plexsync_keys

        log:
          format: text                 # or json
          level: info                  # debug, info, warn, error
        """;
}
