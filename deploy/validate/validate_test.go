package validate

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// strictDecoder decodes YAML into the API types of the kinds hirebot
// deploys, refusing unknown and duplicate fields and values of the wrong
// type (a quantity that does not parse, a string for a number).
func strictDecoder(t *testing.T) runtime.Decoder {
	t.Helper()
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, appsv1.AddToScheme, autoscalingv2.AddToScheme, policyv1.AddToScheme} {
		if err := add(scheme); err != nil {
			t.Fatal(err)
		}
	}
	return kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme, scheme, kjson.SerializerOptions{Yaml: true, Strict: true})
}

// TestKubernetes builds the Kustomize base as `kubectl apply -k` would and
// decodes every object it yields strictly into its API type; names, labels
// and port names follow the API's rules.
func TestKubernetes(t *testing.T) {
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resources, err := k.Run(filesys.MakeFsOnDisk(), filepath.Join("..", "kubernetes"))
	if err != nil {
		t.Fatalf("kustomize build: %v", err)
	}
	dec := strictDecoder(t)
	kinds := map[string]runtime.Object{}
	for _, r := range resources.Resources() {
		doc, err := r.AsYAML()
		if err != nil {
			t.Fatal(err)
		}
		obj, gvk, err := dec.Decode(doc, nil, nil)
		if err != nil {
			t.Errorf("%s %s: %v", r.GetKind(), r.GetName(), err)
			continue
		}
		kinds[gvk.Kind] = obj
		for _, msg := range validation.IsDNS1123Subdomain(r.GetName()) {
			t.Errorf("%s name %q: %s", gvk.Kind, r.GetName(), msg)
		}
		labels := r.GetLabels()
		for k, v := range labels {
			for _, msg := range append(validation.IsQualifiedName(k), validation.IsValidLabelValue(v)...) {
				t.Errorf("%s label %s=%s: %s", gvk.Kind, k, v, msg)
			}
		}
	}
	want := []string{"ConfigMap", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Secret", "Service"}
	var got []string
	for k := range kinds {
		got = append(got, k)
	}
	if slices.Sort(got); !slices.Equal(got, want) {
		t.Fatalf("kustomize yields %v, want %v", got, want)
	}

	dep := kinds["Deployment"].(*appsv1.Deployment)
	c := dep.Spec.Template.Spec.Containers[0]
	if !strings.Contains(c.Image, "/hirebot:") {
		t.Errorf("image %q: the kustomization's images entry was not applied", c.Image)
	}
	for _, p := range c.Ports {
		for _, msg := range validation.IsValidPortName(p.Name) {
			t.Errorf("port name %q: %s", p.Name, msg)
		}
	}
	if limit, req := c.Resources.Limits[corev1.ResourceMemory], c.Resources.Requests[corev1.ResourceMemory]; limit.Cmp(req) < 0 {
		t.Errorf("memory limit %s below the request %s", limit.String(), req.String())
	}
	for _, e := range c.Env {
		if f := e.ValueFrom; f != nil && f.ResourceFieldRef != nil {
			if _, ok := c.Resources.Limits[corev1.ResourceName(strings.TrimPrefix(f.ResourceFieldRef.Resource, "limits."))]; !ok {
				t.Errorf("%s reads %s, which the container does not set", e.Name, f.ResourceFieldRef.Resource)
			}
		}
	}
	hpa := kinds["HorizontalPodAutoscaler"].(*autoscalingv2.HorizontalPodAutoscaler)
	for _, m := range hpa.Spec.Metrics {
		if m.Resource != nil {
			if _, ok := c.Resources.Requests[m.Resource.Name]; !ok {
				t.Errorf("the autoscaler scales on %s utilization, which needs a %s request", m.Resource.Name, m.Resource.Name)
			}
		}
	}
}

// loadCompose loads deploy/compose.yaml with the Compose specification's
// loader (schema validation, interpolation, merge keys) for profiles.
func loadCompose(t *testing.T, profiles ...string) *types.Project {
	t.Helper()
	opts, err := cli.NewProjectOptions([]string{filepath.Join("..", "compose.yaml")},
		cli.WithWorkingDirectory(".."), cli.WithProfiles(profiles), cli.WithEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(t.Context())
	if err != nil {
		t.Fatalf("compose.yaml (profiles %v): %v", profiles, err)
	}
	return p
}

// TestCompose: the file is valid Compose; by default it runs two replicas,
// the balancer, PostgreSQL and Redis, and with the single profile the
// SQLite variant on a volume; the files it names exist.
func TestCompose(t *testing.T) {
	for _, c := range []struct {
		profiles []string
		want     []string
	}{
		{nil, []string{"hirebot-1", "hirebot-2", "lb", "postgres", "redis"}},
		{[]string{"single"}, []string{"hirebot-1", "hirebot-2", "hirebot-single", "lb", "postgres", "redis"}},
	} {
		p := loadCompose(t, c.profiles...)
		if got := p.ServiceNames(); !slices.Equal(slices.Sorted(slices.Values(got)), c.want) {
			t.Errorf("profiles %v run %v, want %v", c.profiles, got, c.want)
		}
		for _, s := range p.Services {
			if s.HealthCheck == nil && s.Name != "lb" {
				t.Errorf("%s has no health check", s.Name)
			}
			if s.Build != nil {
				if _, err := os.Stat(filepath.Join(s.Build.Context, s.Build.Dockerfile)); err != nil {
					t.Errorf("%s builds from %v", s.Name, err)
				}
			}
			for _, v := range s.Volumes {
				if v.Type == types.VolumeTypeBind {
					if _, err := os.Stat(v.Source); err != nil {
						t.Errorf("%s mounts %v", s.Name, err)
					}
				}
			}
		}
	}
	single := loadCompose(t, "single").Services["hirebot-single"]
	if len(single.DependsOn) != 0 || single.Environment["REDIS_URL"] != nil {
		t.Errorf("the single-file variant depends on %v and has REDIS_URL %v; want neither", single.DependsOn, single.Environment["REDIS_URL"])
	}
	if db := single.Environment["HIREBOT_DB"]; db == nil || !strings.HasPrefix(*db, "/data/") || len(single.Volumes) != 1 || single.Volumes[0].Target != "/data" {
		t.Errorf("the single-file variant keeps HIREBOT_DB=%v on volumes %v; want a file under the /data volume", db, single.Volumes)
	}
}
