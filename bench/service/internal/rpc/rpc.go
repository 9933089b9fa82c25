// Package rpc serves the standard gRPC health service and server reflection.
package rpc

import (
	"context"
	"net"

	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
)

func Serve(ctx context.Context, addr string, log *zap.Logger) error {
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	server := grpc.NewServer()
	status := health.NewServer()
	status.SetServingStatus("orders", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(server, status)
	reflection.Register(server)
	go func() {
		<-ctx.Done()
		status.Shutdown()
		server.GracefulStop()
	}()
	log.Info("gRPC listening", zap.String("addr", addr))
	return server.Serve(listener)
}
