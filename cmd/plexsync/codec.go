package main

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/plexsync/plexsync/internal/temporalx"
)

func newCodecServerCmd(a *app) *cobra.Command {
	var listen, tokenFile string
	var origins []string
	cmd := &cobra.Command{
		Use:   "codec-server",
		Short: "Serve the payload codec so that the Temporal Web UI can show encrypted payloads",
		Long: `With encryption on (encryption.keys or keys_file), Temporal stores every
payload encrypted and the Web UI shows ciphertext. This serves the codec
(POST /encode, /decode) for the UI: in the UI's settings, set the codec
endpoint to this server's URL. Only the given UI origins may call it; with
--token-file, requests must also carry "Authorization: Bearer <token>".
Keep it on a trusted network: it decrypts for whoever may call it.`,
		Example: "  plexsync codec-server --listen 127.0.0.1:8081 --origin http://localhost:8233",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(false); err != nil {
				return err
			}
			if a.codec == nil {
				return errors.New("encryption is off: set encryption.keys, encryption.keys_file or PLEXSYNC_ENCRYPTION_KEYS")
			}
			token := ""
			if tokenFile != "" {
				b, err := os.ReadFile(tokenFile)
				if err != nil {
					return err
				}
				token = strings.TrimSpace(string(b))
			}
			srv := &http.Server{Addr: listen, Handler: temporalx.CodecServer(a.codec, origins, token),
				ReadHeaderTimeout: 10 * time.Second}
			go func() {
				<-cmd.Context().Done()
				_ = srv.Close()
			}()
			a.log.Info("Codec server listening", "address", listen, "origins", origins, "bearerToken", token != "")
			if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8081", "address to listen on")
	cmd.Flags().StringSliceVar(&origins, "origin", []string{"http://localhost:8233", "http://127.0.0.1:8233", "http://localhost:8080"},
		"Web UI origins allowed to call it (repeatable)")
	cmd.Flags().StringVar(&tokenFile, "token-file", "", "file holding a bearer token that callers must send")
	return cmd
}
