package deploy

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"sigs.k8s.io/yaml"

	"github.com/gridnode/gridnode/pkg/market"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testOrder is an order with room for the test manifests.
func testOrder() market.Order {
	return market.Order{
		ChainID:   big.NewInt(1337),
		Market:    common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
		ID:        big.NewInt(7),
		Buyer:     common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
		Provider:  common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
		Resources: market.Resources{CPUMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 10 << 30},
	}
}

func testPolicy(t testing.TB) Policy {
	t.Helper()
	s, err := Defaults().settings()
	if err != nil {
		t.Fatal(err)
	}
	return s.policy
}

// render is a plan as the golden files hold it.
func render(t *testing.T, p *Plan) []byte {
	t.Helper()
	var b bytes.Buffer
	fmt.Fprintf(&b, "# namespace: %s\n# entrypoint: %v\n# requests: cpu %sm memory %s storage %s gpus %s\n# limits: cpu %sm memory %s\n",
		p.Namespace, p.Entrypoint, p.Requests.CPUMillis, p.Requests.MemoryBytes, p.Requests.StorageBytes, p.Requests.GPUs,
		p.Limits.CPUMillis, p.Limits.MemoryBytes)
	for _, o := range p.Objects {
		y, err := yaml.Marshal(o.Object)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("---\n")
		b.Write(y)
	}
	return b.Bytes()
}

// TestValidateGolden: the restricted defaults, labels and totals filled in
// for the manifests in testdata/plan, compared with their .golden files
// (go test -run TestValidateGolden -update rewrites them).
func TestValidateGolden(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/plan/*.yaml")
	more, _ := filepath.Glob("testdata/plan/*.json")
	inputs = append(inputs, more...)
	if len(inputs) < 3 {
		t.Fatalf("testdata/plan has %d manifests", len(inputs))
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Validate(data, testOrder(), testPolicy(t))
			if err != nil {
				t.Fatal(err)
			}
			got := render(t, p)
			golden := strings.TrimSuffix(in, filepath.Ext(in)) + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the rendered plan (run with -update after checking):\n%s", golden, got)
			}
			// The output is a fixed point: validating it again changes nothing.
			again, err := Validate(bytes.ReplaceAll(got, []byte("\n---\n"), []byte("\n---\n")), testOrder(), testPolicy(t))
			if err != nil {
				t.Fatalf("the plan's own output is refused: %v", err)
			}
			if r := render(t, again); !bytes.Equal(r, got) {
				t.Errorf("validating the output again changed it:\n%s", r)
			}
		})
	}
}

// deployment is a Deployment manifest with pod spec lines inserted.
func deployment(podSpec string) string {
	return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
` + indent(podSpec, "      ")
}

// container is a Deployment whose one container has the given lines.
func container(lines string) string {
	return deployment("containers:\n- name: app\n  image: registry.example/web:1\n" + indent(lines, "  "))
}

func indent(s, by string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString(by + l + "\n")
	}
	return b.String()
}

func svcManifest(spec string) string {
	return "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n" + indent(spec, "  ")
}

// refusals is every refusal with a manifest that triggers it alone.
var refusals = []struct {
	name     string
	manifest string
	want     error
	// mentions is a piece of the message that names the object and field.
	mentions string
}{
	{"privileged", container("securityContext: {privileged: true}"), ErrPrivileged, "Deployment/web: spec.template.spec.containers[0] (app).securityContext.privileged"},
	{"privileged init container", deployment("initContainers:\n- {name: init, image: x, securityContext: {privileged: true}}\ncontainers:\n- {name: app, image: x}"), ErrPrivileged, "initContainers[0] (init)"},
	{"hostNetwork", deployment("hostNetwork: true\ncontainers: [{name: app, image: x}]"), ErrHostNetwork, "spec.template.spec.hostNetwork"},
	{"hostPID", deployment("hostPID: true\ncontainers: [{name: app, image: x}]"), ErrHostPID, "hostPID"},
	{"hostIPC", deployment("hostIPC: true\ncontainers: [{name: app, image: x}]"), ErrHostIPC, "hostIPC"},
	{"hostPath", deployment("containers: [{name: app, image: x}]\nvolumes: [{name: root, hostPath: {path: /}}]"), ErrHostPath, "volumes[0] (root) is a hostPath volume (/)"},
	{"hostPort", container("ports: [{containerPort: 80, hostPort: 80}]"), ErrHostPort, "ports[0].hostPort is 80"},
	{"capabilities", container("securityContext: {capabilities: {add: [NET_ADMIN]}}"), ErrCapabilities, "capabilities.add is [NET_ADMIN]"},
	{"privilege escalation", container("securityContext: {allowPrivilegeEscalation: true}"), ErrPrivilegeEscalation, "allowPrivilegeEscalation is true"},
	{"runAsNonRoot false", deployment("securityContext: {runAsNonRoot: false}\ncontainers: [{name: app, image: x}]"), ErrRunAsRoot, "securityContext.runAsNonRoot is false"},
	{"runAsUser 0", container("securityContext: {runAsUser: 0}"), ErrRunAsRoot, "runAsUser is 0"},
	{"seccomp unconfined", container("securityContext: {seccompProfile: {type: Unconfined}}"), ErrSeccomp, "seccompProfile.type is Unconfined"},
	{"procMount", container("securityContext: {procMount: Unmasked}"), ErrPodSecurity, "procMount is Unmasked"},
	{"unsafe sysctl", deployment("securityContext: {sysctls: [{name: kernel.msgmax, value: '1'}]}\ncontainers: [{name: app, image: x}]"), ErrPodSecurity, "kernel.msgmax is not a safe sysctl"},
	{"nfs volume", deployment("containers: [{name: app, image: x}]\nvolumes: [{name: share, nfs: {server: 10.0.0.1, path: /}}]"), ErrVolumeType, "volumes[0] (share)"},
	{"automount token", deployment("automountServiceAccountToken: true\ncontainers: [{name: app, image: x}]"), ErrServiceAccountToken, "automountServiceAccountToken is true"},
	{"service account", deployment("serviceAccountName: admin\ncontainers: [{name: app, image: x}]"), ErrServiceAccountToken, `serviceAccountName is "admin"`},
	{"projected token", deployment("containers: [{name: app, image: x}]\nvolumes: [{name: t, projected: {sources: [{serviceAccountToken: {path: token}}]}}]"), ErrServiceAccountToken, "projects a service account token"},
	{"token secret", "apiVersion: v1\nkind: Secret\nmetadata: {name: tok, annotations: {kubernetes.io/service-account.name: default}}\ntype: kubernetes.io/service-account-token\n", ErrServiceAccountToken, "Secret/tok"},
	{"priority class", deployment("priorityClassName: system-node-critical\ncontainers: [{name: app, image: x}]"), ErrPriorityClass, "system-node-critical"},
	{"NodePort", svcManifest("type: NodePort"), ErrNodePort, "Service/web: spec.type is NodePort"},
	{"LoadBalancer", svcManifest("type: LoadBalancer"), ErrLoadBalancer, "Service/web: spec.type is LoadBalancer"},
	{"ExternalName", "apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: metadata.google.internal}\n", ErrExternalName, "Service/ext"},
	{"externalIPs", svcManifest("externalIPs: [203.0.113.9]"), ErrExternalIPs, "spec.externalIPs"},
	{"ClusterRole", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: everything}\nrules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]\n", ErrClusterScoped, "ClusterRole/everything"},
	{"Namespace", "apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n", ErrClusterScoped, "Namespace/kube-system"},
	{"unknown kind", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n", ErrUnknownKind, "Widget/w (example.com/v1)"},
	{"Role", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\n", ErrKindNotAllowed, "Role/r"},
	{"Pod", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: x}]}\n", ErrKindNotAllowed, "Pod/p"},
	{"old apiVersion", "apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: old}\n", ErrKindNotAllowed, "use apps/v1"},
	{"foreign namespace", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: kube-system}\n", ErrForeignNamespace, `ConfigMap/c: metadata.namespace is "kube-system"`},
	{"duplicate", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", ErrDuplicateObject, "ConfigMap/c"},
	{"unknown field", container("imagePullPolicee: Never"), ErrInvalidManifest, "imagePullPolicee"},
	{"no name", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n", ErrInvalidManifest, "metadata.name is required"},
	{"no kind", "apiVersion: v1\nmetadata: {name: x}\n", ErrInvalidManifest, "apiVersion and kind are required"},
	{"finalizers", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, finalizers: [example.com/never]}\n", ErrInvalidManifest, "finalizers"},
	{"not yaml", "{{{", ErrInvalidManifest, "document 1"},
	{"empty", "---\n---\n", ErrInvalidManifest, "no objects"},
	{"volumeName", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {volumeName: someone-elses, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n", ErrPVCBinding, `volumeName is "someone-elses"`},
	{"huge quantity", container("resources: {requests: {cpu: 1e50}}"), ErrInvalidManifest, "requests.cpu is too large"},
	{"huge claim", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1e60}}}\n", ErrInvalidManifest, "requests.storage is too large"},
	{"exponent overflow", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1e2147683647}}}\n", ErrInvalidManifest, "exponent out of range"},
	{"tiny exponent", container("resources: {limits: {cpu: '1e-99999999'}}"), ErrInvalidManifest, "limits.cpu: quantity \"1e-99999999\": exponent out of range"},
	{"long quantity", container("resources: {requests: {memory: '" + strings.Repeat("9", 100) + "'}}"), ErrInvalidManifest, "longer than 64"},
	{"negative quantity", container("resources: {requests: {memory: -1Gi}}"), ErrInvalidManifest, "requests.memory is negative"},
	{"hugepages", container("resources: {limits: {hugepages-2Mi: 1Gi, memory: 1Gi}}"), ErrUnsupportedResource, "hugepages-2Mi"},
	{"over quota cpu", container("resources: {requests: {cpu: '9'}}"), ErrOverQuota, "cpu requests 18000m (Deployment/web 2×9000m) but the order has 8000m"},
	{"over quota replicas", strings.Replace(container("resources: {requests: {memory: 1Gi}}"), "spec:\n  selector", "spec:\n  replicas: 16\n  selector", 1), ErrOverQuota, "memory requests"},
	{"over quota storage", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 11Gi}}}\n", ErrOverQuota, "storage 11811160064 bytes (PersistentVolumeClaim/c 1×11811160064 bytes)"},
	{"over quota gpu", container("resources: {limits: {nvidia.com/gpu: 1}}"), ErrOverQuota, "GPUs 2 (Deployment/web 2×1) but the order has 0"},
	{"two entrypoints", svcManifest("") + "---\n" + strings.Replace(svcManifest(""), "name: web", "name: api", 1), ErrEntrypoint, "2 Services (web, api)"},
	{"entrypoint names nothing", strings.Replace(svcManifest(""), "name: web}", "name: web, annotations: {gridnode.io/entrypoint: 'api:80'}}", 1), ErrEntrypoint, `names Service "api"`},
	{"entrypoint bad port", strings.Replace(svcManifest(""), "name: web}", "name: web, annotations: {gridnode.io/entrypoint: 'web:81'}}", 1), ErrEntrypoint, `names port "81"`},
	{"headless entrypoint", svcManifest("clusterIP: None"), ErrEntrypoint, "headless"},
}

// TestRefusals: each rule refuses with its own error, whose message names
// the object and the field, and with no other refusal's error.
func TestRefusals(t *testing.T) {
	all := map[error]bool{}
	for _, tc := range refusals {
		all[tc.want] = true
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Validate([]byte(tc.manifest), testOrder(), testPolicy(t))
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.mentions) {
				t.Errorf("error %q does not mention %q", err, tc.mentions)
			}
			for other := range all {
				if other != tc.want && errors.Is(err, other) {
					t.Errorf("error %q also matches %v", err, other)
				}
			}
		})
	}
}

// TestSeveralProblems: every problem of a manifest is reported.
func TestSeveralProblems(t *testing.T) {
	m := deployment("hostNetwork: true\ncontainers:\n- {name: app, image: x, securityContext: {privileged: true}, ports: [{containerPort: 1, hostPort: 1}]}") +
		"---\n" + svcManifest("type: NodePort")
	_, err := Validate([]byte(m), testOrder(), testPolicy(t))
	for _, want := range []error{ErrHostNetwork, ErrPrivileged, ErrHostPort, ErrNodePort} {
		if !errors.Is(err, want) {
			t.Errorf("%v is missing from %v", want, err)
		}
	}
}

// TestTotals checks the resource math: effective pod requests with init
// and sidecar containers, replicas, surge, Job parallelism, claims.
func TestTotals(t *testing.T) {
	p := testPolicy(t)
	for _, tc := range []struct {
		name                    string
		manifest                string
		cpu, mem, limCPU, store int64
	}{
		{"defaults", container(""), 2 * 100, 2 * 128 << 20, 2 * 100, 0},
		{"request only: limit follows", container("resources: {requests: {cpu: 300m}}"), 600, 2 * 128 << 20, 600, 0},
		{"limit only: request follows", container("resources: {limits: {cpu: '1'}}"), 2000, 2 * 128 << 20, 2000, 0},
		{"surge 25% of 4 is 1", strings.Replace(container("resources: {requests: {cpu: 100m}}"), "spec:\n  selector", "spec:\n  replicas: 4\n  selector", 1), 500, 5 * 128 << 20, 500, 0},
		{"no surge with Recreate", strings.Replace(container("resources: {requests: {cpu: 100m}}"), "spec:\n  selector", "spec:\n  replicas: 4\n  strategy: {type: Recreate}\n  selector", 1), 400, 4 * 128 << 20, 400, 0},
		{"maxSurge 0", strings.Replace(container("resources: {requests: {cpu: 100m}}"), "spec:\n  selector", "spec:\n  replicas: 3\n  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}\n  selector", 1), 300, 3 * 128 << 20, 300, 0},
		{"zero replicas", strings.Replace(container(""), "spec:\n  selector", "spec:\n  replicas: 0\n  selector", 1), 0, 0, 0, 0},
		// init 1 cpu alone > app 200m + sidecar 100m
		{"init container dominates", deployment(`initContainers:
- {name: init, image: x, resources: {requests: {cpu: '1', memory: 10Mi}}}
- {name: side, image: x, restartPolicy: Always, resources: {requests: {cpu: 100m, memory: 10Mi}}}
- {name: late, image: x, resources: {requests: {cpu: 50m, memory: 100Mi}}}
containers:
- {name: app, image: x, resources: {requests: {cpu: 200m, memory: 20Mi}}}`), 2 * 1000, 2 * 110 << 20, 2 * 1000, 0},
		{"Job parallelism capped by completions", `apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  parallelism: 5
  completions: 3
  template:
    spec:
      restartPolicy: Never
      containers: [{name: a, image: x, resources: {requests: {cpu: 100m, memory: 1Mi}}}]
`, 300, 3 << 20, 300, 0},
		{"StatefulSet claims per replica", `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s}
spec:
  replicas: 3
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec:
      containers: [{name: a, image: x, resources: {requests: {cpu: 10m, memory: 1Mi}}}]
  volumeClaimTemplates:
  - metadata: {name: d}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`, 30, 3 << 20, 30, 3 << 30},
		{"fractional quantities round up", container("resources: {requests: {cpu: 0.0001, memory: 1.5}}"), 2, 4, 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := Validate([]byte(tc.manifest), testOrder(), p)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				what string
				got  *big.Int
				want int64
			}{{"cpu", plan.Requests.CPUMillis, tc.cpu}, {"memory", plan.Requests.MemoryBytes, tc.mem},
				{"cpu limit", plan.Limits.CPUMillis, tc.limCPU}, {"storage", plan.Requests.StorageBytes, tc.store}} {
				if c.got.Int64() != c.want {
					t.Errorf("%s = %s, want %d", c.what, c.got, c.want)
				}
			}
		})
	}
}

// TestFitsExactly: a manifest that uses exactly the order fits; one
// millicore more does not.
func TestFitsExactly(t *testing.T) {
	o := testOrder()
	o.Resources = market.Resources{CPUMillis: 1000, MemoryBytes: 256 << 20}
	m := strings.Replace(container("resources: {requests: {cpu: 500m, memory: 128Mi}}"), "spec:\n  selector", "spec:\n  replicas: 2\n  strategy: {type: Recreate}\n  selector", 1)
	if _, err := Validate([]byte(m), o, testPolicy(t)); err != nil {
		t.Fatalf("exact fit refused: %v", err)
	}
	o.Resources.CPUMillis--
	if _, err := Validate([]byte(m), o, testPolicy(t)); !errors.Is(err, ErrOverQuota) {
		t.Fatalf("got %v, want ErrOverQuota", err)
	}
}

func TestNamespaceName(t *testing.T) {
	o := testOrder()
	a := Namespace(o)
	if len(a) != 43 || !strings.HasPrefix(a, NamespacePrefix) {
		t.Fatalf("namespace %q", a)
	}
	if a != NamespaceName(big.NewInt(1337), o.Market, big.NewInt(7)) {
		t.Error("not deterministic")
	}
	seen := map[string]string{a: "base"}
	for what, mod := range map[string]func(*market.Order){
		"chain":  func(o *market.Order) { o.ChainID = big.NewInt(1) },
		"market": func(o *market.Order) { o.Market = common.HexToAddress("0x01") },
		"id":     func(o *market.Order) { o.ID = big.NewInt(8) },
		"huge":   func(o *market.Order) { o.ID = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)) },
	} {
		o := testOrder()
		mod(&o)
		n := Namespace(o)
		if prev, dup := seen[n]; dup {
			t.Errorf("%s and %s share namespace %s", what, prev, n)
		}
		seen[n] = what
		for _, r := range n {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Errorf("%q is not a DNS-1123 label", n)
			}
		}
	}
	// Other fields do not change it.
	o2 := testOrder()
	o2.Buyer, o2.Resources = common.Address{}, market.Resources{}
	if Namespace(o2) != a {
		t.Error("namespace depends on more than chain, market and id")
	}
}
