// Package validate checks hirebot's deployment files with the tools that
// read them: Kustomize builds deploy/kubernetes, every object it yields is
// decoded strictly into its Kubernetes API type, compose-go loads
// deploy/compose.yaml against the Compose specification's schema, and
// Prometheus's PromQL parser reads every query of the Grafana dashboard.
//
// It is a module of its own so that hirebot never links Kubernetes,
// Compose or Prometheus; .ci/run tests it. The agreement of those files
// with what serve reads, answers and exposes is tested in cmd/hirebot
// (deploy_test.go) and package metrics (dashboard_test.go).
package validate
