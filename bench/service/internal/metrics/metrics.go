// Package metrics owns the Prometheus registry and the service's request metrics.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

type Registry struct {
	*prometheus.Registry
	Requests *prometheus.CounterVec
	Latency  *prometheus.HistogramVec
}

func NewRegistry() *Registry {
	r := &Registry{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "orders_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "status"}),
		Latency:  prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "orders_http_request_seconds", Help: "HTTP request latency.", Buckets: prometheus.DefBuckets}, []string{"route"}),
	}
	r.MustRegister(r.Requests, r.Latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}
