// Package config reads settings from flags, ORDERS_* environment variables and an optional
// YAML, TOML or JSON file.
package config

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"
)

type Config struct {
	HTTPAddr string `mapstructure:"http_addr" yaml:"http_addr"`
	GRPCAddr string `mapstructure:"grpc_addr" yaml:"grpc_addr"`
	LogLevel string `mapstructure:"log_level" yaml:"log_level"`
}

func Flags(flags *pflag.FlagSet) {
	flags.String("config", "", "configuration file")
	flags.String("http-addr", ":8080", "HTTP listen address")
	flags.String("grpc-addr", ":9090", "gRPC listen address")
	flags.String("log-level", "info", "debug, info, warn or error")
}

func Load(flags *pflag.FlagSet) (Config, error) {
	v := viper.New()
	v.SetEnvPrefix("orders")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	v.AutomaticEnv()
	for _, name := range []string{"http-addr", "grpc-addr", "log-level"} {
		if err := v.BindPFlag(strings.ReplaceAll(name, "-", "_"), flags.Lookup(name)); err != nil {
			return Config{}, err
		}
	}
	if file, _ := flags.GetString("config"); file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("reading %s: %w", file, err)
		}
	}
	var cfg Config
	if err := v.Unmarshal(&cfg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// String renders the effective configuration as YAML for the startup log.
func (c Config) String() string {
	out, _ := yaml.Marshal(c)
	return string(out)
}
