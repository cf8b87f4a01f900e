package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v2"
)

// The deployment files are checked against what this binary does: every
// variable they set is one hirebot reads, every secret it reads is in the
// Secret and none in the ConfigMap, the ports are the one serve listens on,
// and every path a probe, the balancer or the healthcheck asks is answered
// by a running serve. deploy/validate checks the same files with the
// Kubernetes and Compose tools themselves.

const deployDir = "../../deploy"

// runtimeVars are read by the Go runtime, not by hirebot.
var runtimeVars = map[string]bool{"GOMEMLIMIT": true, "GOMAXPROCS": true, "GOGC": true, "GODEBUG": true}

// readVars lists every variable hirebot reads, and which of them hold
// secrets (what env.secrets keeps out of the logs).
func readVars(t *testing.T) (all, secret map[string]bool) {
	t.Helper()
	all, secret = map[string]bool{}, map[string]bool{}
	values := map[string]string{}
	e, _ := environment(func(k string) string { // every value is text: the durations do not parse
		all[k] = true
		// A value of its own for each, a URL with a password for those
		// that take one, so that secrets() tells which are secret.
		v := "value-of-" + k
		if k == "HIREBOT_DB" || k == "REDIS_URL" {
			v = "postgres://u:" + v + "@h/db"
			values["value-of-"+k] = k
		} else {
			values[v] = k
		}
		return v
	})
	for _, s := range e.secrets() {
		k, ok := values[s]
		if !ok {
			t.Fatalf("secrets() holds %q, which is no variable's value", s)
		}
		secret[k] = true
	}
	if len(all) < 10 || len(secret) < 5 {
		t.Fatalf("read %d variables, %d secret: environment() was not recorded", len(all), len(secret))
	}
	return all, secret
}

// The parts of the Kubernetes objects the checks read.
type (
	k8sMeta struct {
		Name        string            `yaml:"name"`
		Labels      map[string]string `yaml:"labels"`
		Annotations map[string]string `yaml:"annotations"`
	}
	k8sObject struct {
		APIVersion string            `yaml:"apiVersion"`
		Kind       string            `yaml:"kind"`
		Metadata   k8sMeta           `yaml:"metadata"`
		Data       map[string]string `yaml:"data"`
		StringData map[string]string `yaml:"stringData"`
		Spec       k8sSpec           `yaml:"spec"`
	}
	k8sSpec struct {
		// Deployment, PodDisruptionBudget
		Selector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
		Template struct {
			Metadata k8sMeta `yaml:"metadata"`
			Spec     struct {
				TerminationGracePeriodSeconds int `yaml:"terminationGracePeriodSeconds"`
				SecurityContext               struct {
					RunAsNonRoot bool `yaml:"runAsNonRoot"`
					RunAsUser    int  `yaml:"runAsUser"`
				} `yaml:"securityContext"`
				Containers []k8sContainer `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
		// Service (selector is a plain map there)
		Ports []struct {
			Port       int    `yaml:"port"`
			TargetPort string `yaml:"targetPort"`
		} `yaml:"ports"`
		// HorizontalPodAutoscaler
		ScaleTargetRef struct {
			Kind string `yaml:"kind"`
			Name string `yaml:"name"`
		} `yaml:"scaleTargetRef"`
		MinReplicas int `yaml:"minReplicas"`
		// PodDisruptionBudget
		MinAvailable int `yaml:"minAvailable"`
	}
	k8sProbe struct {
		HTTPGet struct {
			Path string `yaml:"path"`
			Port string `yaml:"port"`
		} `yaml:"httpGet"`
	}
	k8sContainer struct {
		Name  string `yaml:"name"`
		Ports []struct {
			Name          string `yaml:"name"`
			ContainerPort int    `yaml:"containerPort"`
		} `yaml:"ports"`
		EnvFrom []struct {
			ConfigMapRef *struct {
				Name string `yaml:"name"`
			} `yaml:"configMapRef"`
			SecretRef *struct {
				Name string `yaml:"name"`
			} `yaml:"secretRef"`
		} `yaml:"envFrom"`
		Env []struct {
			Name string `yaml:"name"`
		} `yaml:"env"`
		Resources struct {
			Requests map[string]string `yaml:"requests"`
			Limits   map[string]string `yaml:"limits"`
		} `yaml:"resources"`
		StartupProbe   *k8sProbe `yaml:"startupProbe"`
		ReadinessProbe *k8sProbe `yaml:"readinessProbe"`
		LivenessProbe  *k8sProbe `yaml:"livenessProbe"`
		Lifecycle      struct {
			PreStop struct {
				Sleep struct {
					Seconds int `yaml:"seconds"`
				} `yaml:"sleep"`
			} `yaml:"preStop"`
		} `yaml:"lifecycle"`
		SecurityContext struct {
			AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
			ReadOnlyRootFilesystem   bool  `yaml:"readOnlyRootFilesystem"`
			Capabilities             struct {
				Drop []string `yaml:"drop"`
			} `yaml:"capabilities"`
		} `yaml:"securityContext"`
	}
)

// readKubernetes reads the Kustomize base: the objects of its resources by
// kind, after checking that it lists every manifest in the folder.
func readKubernetes(t *testing.T) map[string]k8sObject {
	t.Helper()
	dir := filepath.Join(deployDir, "kubernetes")
	var kust struct {
		Resources []string `yaml:"resources"`
	}
	mustYAML(t, filepath.Join(dir, "kustomization.yaml"), &kust)
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var inDir []string
	for _, f := range files {
		if b := filepath.Base(f); b != "kustomization.yaml" {
			inDir = append(inDir, b)
		}
	}
	listed := slices.Sorted(slices.Values(kust.Resources))
	if !slices.Equal(listed, inDir) {
		t.Errorf("kustomization.yaml lists %v; the folder holds %v", listed, inDir)
	}
	objects := map[string]k8sObject{}
	for _, r := range kust.Resources {
		var o k8sObject
		mustYAML(t, filepath.Join(dir, r), &o)
		if o.Kind == "" || o.APIVersion == "" || o.Metadata.Name == "" {
			t.Errorf("%s: no kind, apiVersion or name", r)
		}
		if _, dup := objects[o.Kind]; dup {
			t.Errorf("%s: a second %s", r, o.Kind)
		}
		objects[o.Kind] = o
	}
	for _, kind := range []string{"ConfigMap", "Secret", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"} {
		if _, ok := objects[kind]; !ok {
			t.Errorf("no %s in deploy/kubernetes", kind)
		}
	}
	return objects
}

func mustYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// portOf is the port of a listen address such as ":8080".
func portOf(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("listen address %q: %v", addr, err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatalf("listen address %q: %v", addr, err)
	}
	return n
}

// liveServe runs serve on a SQLite file with no platform (the web chat
// only) and returns its address.
func liveServe(t *testing.T) string {
	t.Helper()
	base, stop := startServe(t, env{}) // web_test.go
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("serve returned %v", err)
		}
	})
	return strings.TrimPrefix(base, "http://")
}

// answers asks serve at addr for path until it answers 200; the readiness
// check may take a moment after start.
func answers(t *testing.T, addr, path string) {
	t.Helper()
	var last string
	for range 100 {
		resp, err := http.Get("http://" + addr + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("GET %s: %s, want 200", path, last)
}

func TestKubernetesAgreesWithServe(t *testing.T) {
	vars, secret := readVars(t)
	objs := readKubernetes(t)
	cm, sec, dep := objs["ConfigMap"], objs["Secret"], objs["Deployment"]

	for k := range cm.Data {
		if !vars[k] {
			t.Errorf("ConfigMap sets %s, which hirebot does not read", k)
		}
		if secret[k] {
			t.Errorf("ConfigMap holds the secret %s; it belongs in the Secret", k)
		}
	}
	for k := range sec.StringData {
		if !vars[k] {
			t.Errorf("Secret sets %s, which hirebot does not read", k)
		}
	}
	for k := range secret {
		if _, ok := sec.StringData[k]; !ok {
			t.Errorf("the Secret has no %s, which hirebot reads as a secret", k)
		}
	}

	pod := dep.Spec.Template
	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("%d containers in the Deployment, want 1", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	port := portOf(t, cm.Data["HIREBOT_ADDR"])
	var named []string
	for _, p := range c.Ports {
		named = append(named, p.Name)
		if p.ContainerPort != port {
			t.Errorf("container port %s is %d; HIREBOT_ADDR listens on %d", p.Name, p.ContainerPort, port)
		}
	}
	if a := pod.Metadata.Annotations["prometheus.io/port"]; a != strconv.Itoa(port) {
		t.Errorf("prometheus.io/port = %q, want %d", a, port)
	}
	var refs []string
	for _, f := range c.EnvFrom {
		switch {
		case f.ConfigMapRef != nil:
			refs = append(refs, "ConfigMap/"+f.ConfigMapRef.Name)
		case f.SecretRef != nil:
			refs = append(refs, "Secret/"+f.SecretRef.Name)
		}
	}
	if want := []string{"ConfigMap/" + cm.Metadata.Name, "Secret/" + sec.Metadata.Name}; !slices.Equal(refs, want) {
		t.Errorf("envFrom = %v, want %v", refs, want)
	}
	for _, e := range c.Env {
		if !vars[e.Name] && !runtimeVars[e.Name] {
			t.Errorf("the container sets %s, which neither hirebot nor the Go runtime reads", e.Name)
		}
	}

	addr := liveServe(t)
	probes := map[string]*k8sProbe{"startup": c.StartupProbe, "readiness": c.ReadinessProbe, "liveness": c.LivenessProbe}
	wantPath := map[string]string{"startup": "/healthz", "readiness": "/readyz", "liveness": "/healthz"}
	for name, p := range probes {
		if p == nil {
			t.Errorf("no %s probe", name)
			continue
		}
		if p.HTTPGet.Path != wantPath[name] {
			t.Errorf("%s probe asks %s, want %s", name, p.HTTPGet.Path, wantPath[name])
		}
		if !slices.Contains(named, p.HTTPGet.Port) && p.HTTPGet.Port != strconv.Itoa(port) {
			t.Errorf("%s probe asks port %q; the container serves %v (%d)", name, p.HTTPGet.Port, named, port)
		}
		answers(t, addr, p.HTTPGet.Path)
	}
	answers(t, addr, pod.Metadata.Annotations["prometheus.io/path"])

	if stop := c.Lifecycle.PreStop.Sleep.Seconds + int(drainTimeout/time.Second); pod.Spec.TerminationGracePeriodSeconds <= stop {
		t.Errorf("terminationGracePeriodSeconds %d leaves no time after the preStop pause and the %v drain",
			pod.Spec.TerminationGracePeriodSeconds, drainTimeout)
	}
	if sc := pod.Spec.SecurityContext; !sc.RunAsNonRoot || sc.RunAsUser != nonrootUID {
		t.Errorf("pod runs as nonroot %v, user %d; want true, %d (the image's user)", sc.RunAsNonRoot, sc.RunAsUser, nonrootUID)
	}
	if sc := c.SecurityContext; !sc.ReadOnlyRootFilesystem || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || !slices.Contains(sc.Capabilities.Drop, "ALL") {
		t.Errorf("container security context %+v: want a read-only root, no privilege escalation, every capability dropped", sc)
	}
	if c.Resources.Requests["cpu"] == "" || c.Resources.Requests["memory"] == "" || c.Resources.Limits["memory"] == "" {
		t.Errorf("resources %+v: want CPU and memory requests and a memory limit", c.Resources)
	}

	labels := pod.Metadata.Labels
	if !mapsEqual(dep.Spec.Selector.MatchLabels, labels) {
		t.Errorf("the Deployment selects %v; its pods carry %v", dep.Spec.Selector.MatchLabels, labels)
	}
	var svc struct {
		Spec struct {
			Selector map[string]string `yaml:"selector"`
		} `yaml:"spec"`
	}
	mustYAML(t, filepath.Join(deployDir, "kubernetes", "service.yaml"), &svc)
	if !mapsEqual(svc.Spec.Selector, labels) {
		t.Errorf("the Service selects %v; the pods carry %v", svc.Spec.Selector, labels)
	}
	for _, p := range objs["Service"].Spec.Ports {
		if !slices.Contains(named, p.TargetPort) {
			t.Errorf("the Service's port %d targets %q; the container names %v", p.Port, p.TargetPort, named)
		}
	}
	if pdb := objs["PodDisruptionBudget"]; !mapsEqual(pdb.Spec.Selector.MatchLabels, labels) {
		t.Errorf("the PodDisruptionBudget selects %v; the pods carry %v", pdb.Spec.Selector.MatchLabels, labels)
	}
	hpa := objs["HorizontalPodAutoscaler"]
	if ref := hpa.Spec.ScaleTargetRef; ref.Kind != "Deployment" || ref.Name != dep.Metadata.Name {
		t.Errorf("the autoscaler scales %s/%s, want Deployment/%s", ref.Kind, ref.Name, dep.Metadata.Name)
	}
	if min := objs["PodDisruptionBudget"].Spec.MinAvailable; hpa.Spec.MinReplicas <= min {
		t.Errorf("minReplicas %d with minAvailable %d: a node drain could never evict a pod", hpa.Spec.MinReplicas, min)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) == 0 || len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// nonrootUID is the user of the distroless nonroot image.
const nonrootUID = 65532

// TestDockerfileAgreesWithServe reads deploy/Dockerfile: the port it
// exposes is the one its HIREBOT_ADDR listens on, it runs as the nonroot
// user that owns the data directory, and its HEALTHCHECK is a healthcheck
// subcommand that succeeds against a running serve.
func TestDockerfileAgreesWithServe(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(deployDir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	find := func(re string) []string {
		t.Helper()
		m := regexp.MustCompile(`(?m)` + re).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("the Dockerfile has no line matching %s", re)
		}
		return m
	}
	addr := find(`^ENV .*HIREBOT_ADDR=(\S+)`)[1]
	if expose := find(`^EXPOSE (\d+)`)[1]; expose != strconv.Itoa(portOf(t, addr)) {
		t.Errorf("EXPOSE %s, but HIREBOT_ADDR=%s", expose, addr)
	}
	uid := strconv.Itoa(nonrootUID)
	if user := find(`^USER (\S+)`)[1]; user != uid+":"+uid {
		t.Errorf("USER %s, want %s:%s", user, uid, uid)
	}
	data := find(`^ENV .*HIREBOT_DB=(\S+)`)[1]
	if owned := find(`^COPY .*--chown=(\S+) \S+ (\S+)`); owned[1] != uid+":"+uid || owned[2] != filepath.Dir(data) {
		t.Errorf("COPY --chown=%s to %s; want the directory of HIREBOT_DB=%s owned by %s", owned[1], owned[2], data, uid)
	}
	if vol := find(`^VOLUME (\S+)`)[1]; vol != filepath.Dir(data) {
		t.Errorf("VOLUME %s, but HIREBOT_DB=%s", vol, data)
	}
	hc := find(`^HEALTHCHECK .*CMD (\[.*\])`)[1]
	var argv []string
	if err := yaml.Unmarshal([]byte(hc), &argv); err != nil || len(argv) < 2 || argv[0] != "/hirebot" {
		t.Fatalf("HEALTHCHECK CMD %s: want the exec form running /hirebot (%v)", hc, err)
	}
	live := liveServe(t)
	answers(t, live, "/healthz")
	args := append(argv[1:], "--addr", live) // the image's own HIREBOT_ADDR is :8080
	var stderr strings.Builder
	if code := run(context.Background(), args, strings.NewReader(""), io.Discard, &stderr, func(string) string { return "" }); code != 0 {
		t.Errorf("hirebot %v against a running serve: exit %d, %s", args, code, stderr.String())
	}
}

// TestComposeAgreesWithServe reads deploy/compose.yaml and its Caddyfile:
// every variable set is one hirebot reads, each replica's health check is
// the healthcheck subcommand, the balancer sends to the port the replicas
// listen on and asks a path serve answers, and a stop waits for the drain.
func TestComposeAgreesWithServe(t *testing.T) {
	vars, _ := readVars(t)
	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Environment map[string]string `yaml:"environment"`
			Healthcheck struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
			StopGracePeriod string `yaml:"stop_grace_period"`
		} `yaml:"services"`
	}
	mustYAML(t, filepath.Join(deployDir, "compose.yaml"), &compose)
	caddy, err := os.ReadFile(filepath.Join(deployDir, "Caddyfile"))
	if err != nil {
		t.Fatal(err)
	}
	upstreams := regexp.MustCompile(`(hirebot-\d+):(\d+)`).FindAllStringSubmatch(string(caddy), -1)
	if len(upstreams) < 2 {
		t.Fatalf("the Caddyfile balances %d replicas, want 2 or more", len(upstreams))
	}
	replicas := 0
	for name, s := range compose.Services {
		if !strings.HasPrefix(name, "hirebot") {
			continue
		}
		replicas++
		for k := range s.Environment {
			if !vars[k] {
				t.Errorf("%s sets %s, which hirebot does not read", name, k)
			}
		}
		if test := s.Healthcheck.Test; len(test) < 3 || test[0] != "CMD" || test[1] != "/hirebot" || test[2] != "healthcheck" {
			t.Errorf("%s health check %v: want [CMD /hirebot healthcheck]", name, test)
		}
		if d, err := time.ParseDuration(s.StopGracePeriod); err != nil || d <= drainTimeout {
			t.Errorf("%s stop_grace_period %q: want longer than the %v drain", name, s.StopGracePeriod, drainTimeout)
		}
		for _, u := range upstreams {
			if u[1] == name && u[2] != strconv.Itoa(portOf(t, s.Environment["HIREBOT_ADDR"])) {
				t.Errorf("the Caddyfile sends to %s:%s; it listens on %s", u[1], u[2], s.Environment["HIREBOT_ADDR"])
			}
		}
	}
	for _, u := range upstreams {
		if _, ok := compose.Services[u[1]]; !ok {
			t.Errorf("the Caddyfile sends to %s, which compose.yaml does not run", u[1])
		}
	}
	if replicas < 3 {
		t.Errorf("%d hirebot services, want two replicas and the single-file one", replicas)
	}
	m := regexp.MustCompile(`health_uri (\S+)`).FindStringSubmatch(string(caddy))
	if m == nil {
		t.Fatal("the Caddyfile has no active health check")
	}
	answers(t, liveServe(t), m[1])
}

// TestEnvExampleNamesWhatHirebotReads: every variable in
// deploy/hirebot.env.example, set or commented out, is one hirebot reads.
func TestEnvExampleNamesWhatHirebotReads(t *testing.T) {
	vars, _ := readVars(t)
	f, err := os.Open(filepath.Join(deployDir, "hirebot.env.example"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	assignment := regexp.MustCompile(`^#? ?([A-Z][A-Z0-9_]+)=`)
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if m := assignment.FindStringSubmatch(sc.Text()); m != nil {
			n++
			if !vars[m[1]] {
				t.Errorf("hirebot.env.example names %s, which hirebot does not read", m[1])
			}
		}
	}
	if n < 10 {
		t.Errorf("read %d variables from hirebot.env.example", n)
	}
}
