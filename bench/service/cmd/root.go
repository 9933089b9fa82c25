package cmd

import (
	"context"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"example.com/orders/internal/api"
	"example.com/orders/internal/config"
	"example.com/orders/internal/logging"
	"example.com/orders/internal/metrics"
	"example.com/orders/internal/rpc"
	"golang.org/x/sync/errgroup"
)

// Root is the orders command: `orders serve` runs the HTTP and gRPC servers.
func Root() *cobra.Command {
	root := &cobra.Command{Use: "orders", Short: "Order service"}
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve the HTTP API, metrics and gRPC health",
		RunE: func(c *cobra.Command, _ []string) error {
			cfg, err := config.Load(c.Flags())
			if err != nil {
				return err
			}
			log := logging.New(cfg.LogLevel)
			defer func() { _ = log.Sync() }()
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			registry := metrics.NewRegistry()
			group, ctx := errgroup.WithContext(ctx)
			group.Go(func() error { return api.Serve(ctx, cfg.HTTPAddr, registry, log) })
			group.Go(func() error { return rpc.Serve(ctx, cfg.GRPCAddr, log) })
			return group.Wait()
		},
	}
	config.Flags(serve.Flags())
	root.AddCommand(serve)
	return root
}
