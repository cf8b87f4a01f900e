// Package validate checks hirebot's deployment files with the tools that
// read them: Kustomize builds deploy/kubernetes, every object it yields is
// decoded strictly into its Kubernetes API type, and compose-go loads
// deploy/compose.yaml against the Compose specification's schema.
//
// It is a module of its own so that hirebot never links Kubernetes or
// Compose; .ci/run tests it. The agreement of those files with what serve
// reads and answers is tested in cmd/hirebot (deploy_test.go).
package validate
