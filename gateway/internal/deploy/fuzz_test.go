package deploy

import (
	"bytes"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// FuzzValidate feeds the validator arbitrary manifests. It must not panic,
// and whatever it accepts must hold the rules: only allowed kinds in the
// order's namespace, every pod restricted (no privilege, no host
// namespaces or paths or ports, no added capabilities, no service account
// token, non-root, seccomp, requests within the order), and validating the
// output again must accept it unchanged. `go test` runs the seed corpus;
// `go test -fuzz FuzzValidate` explores.
func FuzzValidate(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/plan/*.yaml")
	more, _ := filepath.Glob("testdata/plan/*.json")
	for _, s := range append(seeds, more...) {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, r := range refusals {
		f.Add([]byte(r.manifest))
	}
	p := testPolicy(f)
	o := testOrder()
	f.Fuzz(func(t *testing.T, data []byte) {
		plan, err := Validate(data, o, p)
		if err != nil {
			if plan != nil {
				t.Fatal("a refusal returned a plan")
			}
			return
		}
		var out bytes.Buffer
		for _, u := range plan.Objects {
			if u.GetNamespace() != plan.Namespace {
				t.Fatalf("%s/%s in namespace %q", u.GetKind(), u.GetName(), u.GetNamespace())
			}
			if _, ok := resources[u.GetKind()]; !ok {
				t.Fatalf("kind %s accepted", u.GetKind())
			}
			if u.GetLabels()[LabelManagedBy] != ManagedByValue {
				t.Fatalf("%s/%s without the managed-by label", u.GetKind(), u.GetName())
			}
			checkAccepted(t, u.Object)
			b, err := json.Marshal(u.Object)
			if err != nil {
				t.Fatal(err)
			}
			out.Write(b)
			out.WriteByte('\n')
		}
		if plan.Requests.CPUMillis.Cmp(bigU(o.Resources.CPUMillis)) > 0 || plan.Limits.MemoryBytes.Cmp(bigU(o.Resources.MemoryBytes)) > 0 ||
			plan.Requests.StorageBytes.Cmp(bigU(o.Resources.StorageBytes)) > 0 || plan.Requests.GPUs.Cmp(bigU(uint64(o.Resources.GPUs))) > 0 {
			t.Fatalf("accepted over the order: %+v", plan.Requests)
		}
		again, err := Validate(out.Bytes(), o, p)
		if err != nil {
			t.Fatalf("the accepted output is refused: %v\n%s", err, out.Bytes())
		}
		if len(again.Objects) != len(plan.Objects) {
			t.Fatalf("%d objects, then %d", len(plan.Objects), len(again.Objects))
		}
		for i := range again.Objects {
			if !reflect.DeepEqual(normalize(t, again.Objects[i].Object), normalize(t, plan.Objects[i].Object)) {
				t.Fatalf("validating the output again changed %s/%s", plan.Objects[i].GetKind(), plan.Objects[i].GetName())
			}
		}
	})
}

// normalize round-trips through JSON so that numbers compare alike.
func normalize(t *testing.T, m map[string]any) any {
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// checkAccepted re-checks an accepted object's pods from its rendered
// form, independently of the validator's code paths.
func checkAccepted(t *testing.T, m map[string]any) {
	t.Helper()
	var spec *corev1.PodSpec
	switch m["kind"] {
	case "Deployment":
		var d appsv1.Deployment
		fromMap(t, m, &d)
		spec = &d.Spec.Template.Spec
	case "StatefulSet":
		var s appsv1.StatefulSet
		fromMap(t, m, &s)
		spec = &s.Spec.Template.Spec
	case "Job":
		var j batchv1.Job
		fromMap(t, m, &j)
		spec = &j.Spec.Template.Spec
	case "Service":
		var s corev1.Service
		fromMap(t, m, &s)
		if s.Spec.Type != "" && s.Spec.Type != corev1.ServiceTypeClusterIP || len(s.Spec.ExternalIPs) > 0 {
			t.Fatalf("Service %s accepted with type %q", s.Name, s.Spec.Type)
		}
		return
	default:
		return
	}
	if spec.HostNetwork || spec.HostPID || spec.HostIPC {
		t.Fatal("host namespace accepted")
	}
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		t.Fatal("service account token not disabled")
	}
	psc := spec.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.SeccompProfile == nil ||
		psc.SeccompProfile.Type == corev1.SeccompProfileTypeUnconfined || (psc.RunAsUser != nil && *psc.RunAsUser == 0) {
		t.Fatalf("pod security context %+v", psc)
	}
	for _, v := range spec.Volumes {
		if v.HostPath != nil {
			t.Fatal("hostPath accepted")
		}
	}
	for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
		sc := c.SecurityContext
		if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || (sc.Privileged != nil && *sc.Privileged) ||
			sc.Capabilities == nil || len(sc.Capabilities.Add) > 0 || !contains(sc.Capabilities.Drop, "ALL") ||
			(sc.RunAsNonRoot != nil && !*sc.RunAsNonRoot) || (sc.RunAsUser != nil && *sc.RunAsUser == 0) {
			t.Fatalf("container %s security context %+v", c.Name, sc)
		}
		for _, p := range c.Ports {
			if p.HostPort != 0 {
				t.Fatal("hostPort accepted")
			}
		}
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			if _, ok := c.Resources.Requests[r]; !ok {
				t.Fatalf("container %s without a %s request", c.Name, r)
			}
			if _, ok := c.Resources.Limits[r]; !ok {
				t.Fatalf("container %s without a %s limit", c.Name, r)
			}
		}
	}
}

func fromMap(t *testing.T, m map[string]any, into any) {
	t.Helper()
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(m, into); err != nil {
		t.Fatalf("rendered object does not convert back: %v", err)
	}
}

func bigU(v uint64) *big.Int { return new(big.Int).SetUint64(v) }

func contains(list []corev1.Capability, c corev1.Capability) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}
