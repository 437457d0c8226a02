// Package temporalx connects PlexSync to Temporal: client dialing and the
// search attributes our workflows need.
package temporalx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/plexsync/plexsync/internal/config"
)

// SearchAttributes are the custom search attributes PlexSync sets, all
// Keyword. temporal/search-attributes lists the same names for the scripts.
var SearchAttributes = []string{"StashSceneId", "PlexSyncOutcome", "PlexRatingKey"}

// Dial connects to Temporal and checks that it answers. With a codec, every
// payload and failure message is encrypted.
func Dial(ctx context.Context, cfg config.Temporal, logger *slog.Logger, codec *Codec) (client.Client, error) {
	c, err := client.DialContext(ctx, client.Options{
		HostPort:         cfg.Address,
		Namespace:        cfg.Namespace,
		Logger:           tlog.NewStructuredLogger(logger),
		DataConverter:    DataConverter(codec),
		FailureConverter: FailureConverter(codec),
	})
	if err != nil {
		return nil, fmt.Errorf("cannot reach Temporal at %s (namespace %q): %w; start it with `plexsync dev` or `make dev-server`, or set temporal.address",
			cfg.Address, cfg.Namespace, err)
	}
	return c, nil
}

// EnsureSearchAttributes registers our search attributes in the namespace
// when they are missing. Clusters where the worker may not do that have them
// registered by temporal/setup-search-attributes.sh instead.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("listing search attributes: %w", err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for _, name := range SearchAttributes {
		if _, ok := resp.GetCustomAttributes()[name]; !ok {
			missing[name] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
		}
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: namespace, SearchAttributes: missing,
	})
	var exists *serviceerror.AlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("registering search attributes %v: %w", SearchAttributes, err)
	}
	return nil
}
