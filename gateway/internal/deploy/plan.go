package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation"
	yamlutil "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/gridnode/gridnode/pkg/market"
)

// Policy is what the validator takes from the configuration.
type Policy struct {
	// MaxObjects bounds the objects of one manifest.
	MaxObjects int
	// Defaults are the cpu and memory request and limit of a container
	// that sets neither.
	Defaults corev1.ResourceList
	// GPUResource is the extended resource name of GPUs.
	GPUResource corev1.ResourceName
}

// ObjectRef names an object of a manifest.
type ObjectRef struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

func (r ObjectRef) String() string { return r.Kind + "/" + r.Name }

// EntrypointRef is the Service and port the proxy sends traffic to.
type EntrypointRef struct {
	Service string `json:"service"`
	Port    int32  `json:"port"`
}

func (e EntrypointRef) String() string { return fmt.Sprintf("%s:%d", e.Service, e.Port) }

// Plan is a validated manifest, defaults filled, ready to apply.
type Plan struct {
	// Namespace is the order's namespace.
	Namespace string
	// Objects are the manifest's objects in apply order (ConfigMaps,
	// Secrets, claims, Services, then workloads), each with the order's
	// labels and namespace.
	Objects []*unstructured.Unstructured
	// Entrypoint is nil when the manifest has no Service.
	Entrypoint *EntrypointRef
	// Requests and Limits are what the manifest may hold at once (rolling
	// update surges included), the figures checked against the order.
	Requests, Limits Totals
}

// Refs lists the plan's objects.
func (p *Plan) Refs() []ObjectRef {
	refs := make([]ObjectRef, len(p.Objects))
	for i, o := range p.Objects {
		refs[i] = ObjectRef{Kind: o.GetKind(), Name: o.GetName()}
	}
	return refs
}

// allowed are the kinds a manifest may hold, in apply order.
var allowed = []schema.GroupVersionKind{
	corev1.SchemeGroupVersion.WithKind("ConfigMap"),
	corev1.SchemeGroupVersion.WithKind("Secret"),
	corev1.SchemeGroupVersion.WithKind("PersistentVolumeClaim"),
	corev1.SchemeGroupVersion.WithKind("Service"),
	appsv1.SchemeGroupVersion.WithKind("StatefulSet"),
	appsv1.SchemeGroupVersion.WithKind("Deployment"),
	batchv1.SchemeGroupVersion.WithKind("Job"),
}

// resources maps the allowed kinds to their API resources.
var resources = map[string]schema.GroupVersionResource{
	"ConfigMap":             corev1.SchemeGroupVersion.WithResource("configmaps"),
	"Secret":                corev1.SchemeGroupVersion.WithResource("secrets"),
	"PersistentVolumeClaim": corev1.SchemeGroupVersion.WithResource("persistentvolumeclaims"),
	"Service":               corev1.SchemeGroupVersion.WithResource("services"),
	"StatefulSet":           appsv1.SchemeGroupVersion.WithResource("statefulsets"),
	"Deployment":            appsv1.SchemeGroupVersion.WithResource("deployments"),
	"Job":                   batchv1.SchemeGroupVersion.WithResource("jobs"),
}

// clusterScoped are the cluster-scoped kinds of Kubernetes' scheme (and
// the common ones outside it), by group and kind.
var clusterScoped = map[schema.GroupKind]bool{}

func init() {
	for _, gk := range []string{
		"Namespace", "Node", "PersistentVolume", "ComponentStatus",
		"ClusterRole.rbac.authorization.k8s.io", "ClusterRoleBinding.rbac.authorization.k8s.io",
		"StorageClass.storage.k8s.io", "CSIDriver.storage.k8s.io", "CSINode.storage.k8s.io",
		"VolumeAttachment.storage.k8s.io", "VolumeAttributesClass.storage.k8s.io",
		"PriorityClass.scheduling.k8s.io", "RuntimeClass.node.k8s.io",
		"MutatingWebhookConfiguration.admissionregistration.k8s.io",
		"ValidatingWebhookConfiguration.admissionregistration.k8s.io",
		"ValidatingAdmissionPolicy.admissionregistration.k8s.io",
		"ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io",
		"MutatingAdmissionPolicy.admissionregistration.k8s.io",
		"MutatingAdmissionPolicyBinding.admissionregistration.k8s.io",
		"CustomResourceDefinition.apiextensions.k8s.io", "APIService.apiregistration.k8s.io",
		"CertificateSigningRequest.certificates.k8s.io", "ClusterTrustBundle.certificates.k8s.io",
		"IngressClass.networking.k8s.io", "IPAddress.networking.k8s.io", "ServiceCIDR.networking.k8s.io",
		"FlowSchema.flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io",
		"DeviceClass.resource.k8s.io", "ResourceSlice.resource.k8s.io", "DeviceTaintRule.resource.k8s.io",
		"StorageVersion.internal.apiserver.k8s.io", "StorageVersionMigration.storagemigration.k8s.io",
		"TokenReview.authentication.k8s.io", "SelfSubjectReview.authentication.k8s.io",
		"SubjectAccessReview.authorization.k8s.io", "SelfSubjectAccessReview.authorization.k8s.io",
		"SelfSubjectRulesReview.authorization.k8s.io",
	} {
		clusterScoped[schema.ParseGroupKind(gk)] = true
	}
}

// strict decodes with Kubernetes' scheme and refuses unknown and
// duplicated fields.
var strict = serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()

// maxProblems bounds the refusals reported for one manifest.
const maxProblems = 20

// object is one decoded manifest object.
type object struct {
	ref  ObjectRef
	gvk  schema.GroupVersionKind
	obj  runtime.Object
	meta *metav1.ObjectMeta
	// raw is the document as written; pre the decoded object rendered
	// back before defaults were filled. Together they tell the fields the
	// manifest set from the converter's zero values.
	raw, pre map[string]any
}

// problems collects refusals.
type problems []error

func (p *problems) add(sentinel error, ref ObjectRef, format string, args ...any) {
	if len(*p) < maxProblems {
		*p = append(*p, fmt.Errorf("%w: %s: %s", sentinel, ref, fmt.Sprintf(format, args...)))
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	if len(p) == 1 {
		return p[0]
	}
	return errors.Join(p...)
}

// Validate decodes a manifest (multi-document YAML, or JSON objects or
// Lists), refuses what the rules refuse, fills restricted Pod Security and
// resource defaults, checks that the whole fits the order's resources and
// resolves the entrypoint. It talks to nothing.
func Validate(data []byte, o market.Order, p Policy) (*Plan, error) {
	if err := ValidateOrder(o); err != nil {
		return nil, err
	}
	ns := Namespace(o)
	objs, err := decode(data, p.MaxObjects)
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 {
		return nil, fmt.Errorf("%w: no objects", ErrInvalidManifest)
	}
	var probs problems
	seen := map[ObjectRef]bool{}
	for _, ob := range objs {
		if seen[ob.ref] {
			probs.add(ErrDuplicateObject, ob.ref, "appears twice")
		}
		seen[ob.ref] = true
		checkMeta(&probs, ob.ref, ob.meta, ns, "metadata")
		checkObject(&probs, ob, p)
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	for _, ob := range objs {
		defaultObject(ob, p)
	}
	plan := &Plan{Namespace: ns}
	if plan.Requests, plan.Limits, err = totals(objs, p); err != nil {
		return nil, err
	}
	if err := fits(plan.Requests, plan.Limits, o.Resources); err != nil {
		return nil, err
	}
	if plan.Entrypoint, err = entrypoint(objs); err != nil {
		return nil, err
	}
	labels := orderLabels(o)
	labels[LabelManifest] = manifestLabel(o.ManifestHash)
	for _, kind := range allowed {
		for _, ob := range objs {
			if ob.gvk != kind {
				continue
			}
			u, err := toUnstructured(ob, ns, labels, plan.Entrypoint)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %v", ErrInvalidManifest, ob.ref, err)
			}
			plan.Objects = append(plan.Objects, u)
		}
	}
	return plan, nil
}

// header is what is read of a document before it is decoded for real.
type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Items []json.RawMessage `json:"items"`
}

// decode splits data into documents and decodes each allowed object with
// the strict universal decoder. A refusal of a kind stops the decoding.
func decode(data []byte, maxObjects int) ([]*object, error) {
	dec := yamlutil.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var out []*object
	var probs problems
	for doc := 1; ; doc++ {
		var raw runtime.RawExtension
		if err := dec.Decode(&raw); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("%w: document %d: %v", ErrInvalidManifest, doc, err)
		}
		raw.Raw = bytes.TrimSpace(raw.Raw)
		if len(raw.Raw) == 0 || string(raw.Raw) == "null" {
			continue
		}
		var h header
		if err := json.Unmarshal(raw.Raw, &h); err != nil {
			return nil, fmt.Errorf("%w: document %d: not an object: %v", ErrInvalidManifest, doc, err)
		}
		docs := []json.RawMessage{raw.Raw}
		if h.Kind == "List" && (h.APIVersion == "v1" || h.APIVersion == "") {
			docs = h.Items
		}
		for i, d := range docs {
			where := fmt.Sprintf("document %d", doc)
			if len(docs) > 1 || h.Kind == "List" {
				where = fmt.Sprintf("document %d item %d", doc, i+1)
			}
			if len(out) >= maxObjects {
				return nil, fmt.Errorf("%w: more than %d objects", ErrInvalidManifest, maxObjects)
			}
			ob, err := decodeOne(d, where)
			if err != nil {
				if len(probs) < maxProblems {
					probs = append(probs, err)
				}
				continue
			}
			out = append(out, ob)
		}
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return out, nil
}

func decodeOne(data []byte, where string) (*object, error) {
	var h header
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, fmt.Errorf("%w: %s: not an object: %v", ErrInvalidManifest, where, err)
	}
	if h.Kind == "" || h.APIVersion == "" {
		return nil, fmt.Errorf("%w: %s: apiVersion and kind are required", ErrInvalidManifest, where)
	}
	gv, err := schema.ParseGroupVersion(h.APIVersion)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: apiVersion %q: %v", ErrInvalidManifest, where, h.APIVersion, err)
	}
	gvk := gv.WithKind(h.Kind)
	ref := ObjectRef{Kind: h.Kind, Name: h.Metadata.Name}
	if ref.Name == "" {
		ref.Name = "(" + where + ")"
	}
	ok, sameKind := false, false
	for _, a := range allowed {
		ok = ok || a == gvk
		sameKind = sameKind || a.GroupKind() == gvk.GroupKind()
	}
	switch {
	case ok:
	case sameKind:
		return nil, fmt.Errorf("%w: %s: apiVersion %s; use %s", ErrKindNotAllowed, ref, h.APIVersion, allowedVersion(gvk.GroupKind()))
	case clusterScoped[gvk.GroupKind()]:
		return nil, fmt.Errorf("%w: %s (%s) is cluster-scoped", ErrClusterScoped, ref, h.APIVersion)
	case scheme.Scheme.Recognizes(gvk):
		return nil, fmt.Errorf("%w: %s (%s): allowed are Deployment, StatefulSet, Job, Service, ConfigMap, Secret and PersistentVolumeClaim",
			ErrKindNotAllowed, ref, h.APIVersion)
	default:
		return nil, fmt.Errorf("%w: %s (%s) is not a Kubernetes kind this gateway knows", ErrUnknownKind, ref, h.APIVersion)
	}
	if err := checkQuantities(data); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalidManifest, ref, err)
	}
	obj, _, err := strict.Decode(data, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalidManifest, ref, err)
	}
	acc, err := metaOf(obj)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalidManifest, ref, err)
	}
	ob := &object{ref: ref, gvk: gvk, obj: obj, meta: acc}
	if err := json.Unmarshal(data, &ob.raw); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalidManifest, ref, err)
	}
	if ob.pre, err = runtime.DefaultUnstructuredConverter.ToUnstructured(obj); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalidManifest, ref, err)
	}
	return ob, nil
}

// quantityMaps and quantityValues hold Kubernetes quantities: maps under
// requests, limits, hard and overhead; single values under sizeLimit and
// divisor.
var quantityMaps = map[string]bool{"requests": true, "limits": true, "hard": true, "overhead": true}
var quantityValues = map[string]bool{"sizeLimit": true, "divisor": true}

// checkQuantities refuses quantities that Kubernetes' own parser would
// take seconds or hang on, before the decoder parses them: longer than 64
// characters, or with a decimal exponent beyond ±100 (1e2147683647
// overflows the parser's exponent and rounding it never ends). A
// ConfigMap's or Secret's data is not looked at.
func checkQuantities(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	top, _ := v.(map[string]any)
	for _, k := range []string{"data", "stringData", "binaryData"} {
		delete(top, k)
	}
	return walkQuantities(v, "")
}

func walkQuantities(v any, key string) error {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if quantityMaps[k] {
				if m, ok := e.(map[string]any); ok {
					for name, q := range m {
						if err := quantityText(q); err != nil {
							return fmt.Errorf("%s.%s: %w", k, name, err)
						}
					}
				}
			}
			if quantityValues[k] {
				if err := quantityText(e); err != nil {
					return fmt.Errorf("%s: %w", k, err)
				}
			}
			if err := walkQuantities(e, k); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range t {
			if err := walkQuantities(e, key); err != nil {
				return err
			}
		}
	}
	return nil
}

func quantityText(v any) error {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case json.Number:
		s = t.String()
	default:
		return nil
	}
	if len(s) > 64 {
		return fmt.Errorf("quantity %.20q… is longer than 64 characters", s)
	}
	if i := strings.LastIndexAny(s, "eE"); i >= 0 {
		exp := strings.TrimLeft(s[i+1:], "+-")
		if len(exp) > 3 || (len(exp) == 3 && exp > "100") {
			return fmt.Errorf("quantity %q: exponent out of range", s)
		}
	}
	return nil
}

func allowedVersion(gk schema.GroupKind) string {
	for _, a := range allowed {
		if a.GroupKind() == gk {
			return a.GroupVersion().String()
		}
	}
	return ""
}

func metaOf(obj runtime.Object) (*metav1.ObjectMeta, error) {
	switch o := obj.(type) {
	case *corev1.ConfigMap:
		return &o.ObjectMeta, nil
	case *corev1.Secret:
		return &o.ObjectMeta, nil
	case *corev1.PersistentVolumeClaim:
		return &o.ObjectMeta, nil
	case *corev1.Service:
		return &o.ObjectMeta, nil
	case *appsv1.StatefulSet:
		return &o.ObjectMeta, nil
	case *appsv1.Deployment:
		return &o.ObjectMeta, nil
	case *batchv1.Job:
		return &o.ObjectMeta, nil
	}
	return nil, fmt.Errorf("decoded into %T", obj)
}

// checkMeta checks an object's (or a pod template's) metadata.
func checkMeta(probs *problems, ref ObjectRef, m *metav1.ObjectMeta, ns, field string) {
	if field == "metadata" {
		switch {
		case m.Name == "" && m.GenerateName != "":
			probs.add(ErrInvalidManifest, ref, "metadata.generateName is not supported; set metadata.name")
		case m.Name == "":
			probs.add(ErrInvalidManifest, ref, "metadata.name is required")
		default:
			for _, msg := range validation.IsDNS1123Subdomain(m.Name) {
				probs.add(ErrInvalidManifest, ref, "metadata.name %q: %s", m.Name, msg)
			}
		}
		if m.Namespace != "" && m.Namespace != ns {
			probs.add(ErrForeignNamespace, ref, "metadata.namespace is %q; leave it empty (the order's namespace is %s)", m.Namespace, ns)
		}
	}
	if len(m.Finalizers) > 0 {
		probs.add(ErrInvalidManifest, ref, "%s.finalizers are not accepted (they could block teardown)", field)
	}
	if len(m.OwnerReferences) > 0 {
		probs.add(ErrInvalidManifest, ref, "%s.ownerReferences are not accepted", field)
	}
}

// checkObject applies the per-kind rules.
func checkObject(probs *problems, ob *object, p Policy) {
	ref := ob.ref
	switch o := ob.obj.(type) {
	case *corev1.Service:
		switch o.Spec.Type {
		case "", corev1.ServiceTypeClusterIP:
		case corev1.ServiceTypeNodePort:
			probs.add(ErrNodePort, ref, "spec.type is NodePort; only ClusterIP Services are allowed")
		case corev1.ServiceTypeLoadBalancer:
			probs.add(ErrLoadBalancer, ref, "spec.type is LoadBalancer; only ClusterIP Services are allowed")
		case corev1.ServiceTypeExternalName:
			probs.add(ErrExternalName, ref, "spec.type is ExternalName; only ClusterIP Services are allowed")
		default:
			probs.add(ErrInvalidManifest, ref, "spec.type %q is not a Service type", o.Spec.Type)
		}
		if len(o.Spec.ExternalIPs) > 0 {
			probs.add(ErrExternalIPs, ref, "spec.externalIPs is set")
		}
		for i, port := range o.Spec.Ports {
			if port.NodePort != 0 {
				probs.add(ErrNodePort, ref, "spec.ports[%d].nodePort is set", i)
			}
		}
	case *corev1.Secret:
		if o.Type == corev1.SecretTypeServiceAccountToken {
			probs.add(ErrServiceAccountToken, ref, "type is %s", o.Type)
		}
	case *corev1.PersistentVolumeClaim:
		checkClaim(probs, ref, &o.Spec, "spec")
	case *appsv1.Deployment:
		checkPod(probs, ref, &o.Spec.Template, p)
	case *appsv1.StatefulSet:
		checkPod(probs, ref, &o.Spec.Template, p)
		for i := range o.Spec.VolumeClaimTemplates {
			checkClaim(probs, ref, &o.Spec.VolumeClaimTemplates[i].Spec, fmt.Sprintf("spec.volumeClaimTemplates[%d].spec", i))
		}
	case *batchv1.Job:
		checkPod(probs, ref, &o.Spec.Template, p)
	}
}

func checkClaim(probs *problems, ref ObjectRef, s *corev1.PersistentVolumeClaimSpec, field string) {
	if s.VolumeName != "" {
		probs.add(ErrPVCBinding, ref, "%s.volumeName is %q", field, s.VolumeName)
	}
	for _, l := range []struct {
		name string
		list corev1.ResourceList
	}{{"requests", s.Resources.Requests}, {"limits", s.Resources.Limits}} {
		for name, q := range l.list {
			if err := checkQuantity(q); err != nil {
				probs.add(ErrInvalidManifest, ref, "%s.resources.%s.%s %s", field, l.name, name, err)
			}
		}
	}
}

// checkQuantity refuses negative quantities and those at or above 10^19
// or below 10^-9 (a nano), checked on the decimal's digits and scale
// without arithmetic: comparing or rounding 1e9999999 takes seconds.
func checkQuantity(q resource.Quantity) error {
	if q.Sign() < 0 {
		return errors.New("is negative")
	}
	d := q.AsDec()
	u := d.UnscaledBig()
	if u.Sign() == 0 {
		return nil
	}
	// Decimal digits of the unscaled value, within one.
	digits := int64(float64(u.BitLen())*0.30103) + 1
	switch exp := digits - int64(d.Scale()); {
	case exp > 19:
		return errors.New("is too large")
	case exp < -9:
		return errors.New("is below 1n")
	}
	return nil
}

// safeSysctls are the sysctls the baseline (and so restricted) standard
// allows.
var safeSysctls = map[string]bool{
	"kernel.shm_rmid_forced": true, "net.ipv4.ip_local_port_range": true, "net.ipv4.ip_unprivileged_port_start": true,
	"net.ipv4.tcp_syncookies": true, "net.ipv4.ping_group_range": true, "net.ipv4.ip_local_reserved_ports": true,
	"net.ipv4.tcp_keepalive_time": true, "net.ipv4.tcp_fin_timeout": true, "net.ipv4.tcp_keepalive_intvl": true,
	"net.ipv4.tcp_keepalive_probes": true, "net.ipv4.tcp_rmem": true, "net.ipv4.tcp_wmem": true,
}

// seLinuxTypes are the SELinux types the standard allows.
var seLinuxTypes = map[string]bool{"": true, "container_t": true, "container_init_t": true, "container_kvm_t": true, "container_engine_t": true}

// checkPod applies the pod rules to a workload's template.
func checkPod(probs *problems, ref ObjectRef, t *corev1.PodTemplateSpec, p Policy) {
	const f = "spec.template.spec"
	checkMeta(probs, ref, &t.ObjectMeta, "", "spec.template.metadata")
	s := &t.Spec
	if s.HostNetwork {
		probs.add(ErrHostNetwork, ref, "%s.hostNetwork is true", f)
	}
	if s.HostPID {
		probs.add(ErrHostPID, ref, "%s.hostPID is true", f)
	}
	if s.HostIPC {
		probs.add(ErrHostIPC, ref, "%s.hostIPC is true", f)
	}
	if s.AutomountServiceAccountToken != nil && *s.AutomountServiceAccountToken {
		probs.add(ErrServiceAccountToken, ref, "%s.automountServiceAccountToken is true", f)
	}
	for _, sa := range []struct{ field, v string }{{"serviceAccountName", s.ServiceAccountName}, {"serviceAccount", s.DeprecatedServiceAccount}} {
		if sa.v != "" && sa.v != "default" {
			probs.add(ErrServiceAccountToken, ref, "%s.%s is %q; apps run without a service account", f, sa.field, sa.v)
		}
	}
	if s.PriorityClassName != "" || s.Priority != nil {
		probs.add(ErrPriorityClass, ref, "%s.priorityClassName %q / priority is set", f, s.PriorityClassName)
	}
	if sc := s.SecurityContext; sc != nil {
		if sc.RunAsNonRoot != nil && !*sc.RunAsNonRoot {
			probs.add(ErrRunAsRoot, ref, "%s.securityContext.runAsNonRoot is false", f)
		}
		if sc.RunAsUser != nil && *sc.RunAsUser == 0 {
			probs.add(ErrRunAsRoot, ref, "%s.securityContext.runAsUser is 0", f)
		}
		if sc.SeccompProfile != nil && sc.SeccompProfile.Type == corev1.SeccompProfileTypeUnconfined {
			probs.add(ErrSeccomp, ref, "%s.securityContext.seccompProfile.type is Unconfined", f)
		}
		checkSELinux(probs, ref, sc.SELinuxOptions, f+".securityContext")
		if sc.AppArmorProfile != nil && sc.AppArmorProfile.Type == corev1.AppArmorProfileTypeUnconfined {
			probs.add(ErrPodSecurity, ref, "%s.securityContext.appArmorProfile.type is Unconfined", f)
		}
		if sc.WindowsOptions != nil && sc.WindowsOptions.HostProcess != nil && *sc.WindowsOptions.HostProcess {
			probs.add(ErrPodSecurity, ref, "%s.securityContext.windowsOptions.hostProcess is true", f)
		}
		for _, sy := range sc.Sysctls {
			if !safeSysctls[sy.Name] {
				probs.add(ErrPodSecurity, ref, "%s.securityContext.sysctls: %s is not a safe sysctl", f, sy.Name)
			}
		}
	}
	for k, v := range t.Annotations {
		if strings.HasPrefix(k, corev1.DeprecatedAppArmorBetaContainerAnnotationKeyPrefix) && v == corev1.DeprecatedAppArmorBetaProfileNameUnconfined {
			probs.add(ErrPodSecurity, ref, "spec.template.metadata.annotations[%s] is unconfined", k)
		}
	}
	for i, v := range s.Volumes {
		field := fmt.Sprintf("%s.volumes[%d] (%s)", f, i, v.Name)
		switch {
		case v.HostPath != nil:
			probs.add(ErrHostPath, ref, "%s is a hostPath volume (%s)", field, v.HostPath.Path)
		case v.Projected != nil:
			for _, src := range v.Projected.Sources {
				if src.ServiceAccountToken != nil {
					probs.add(ErrServiceAccountToken, ref, "%s projects a service account token", field)
				}
			}
		case v.ConfigMap != nil, v.CSI != nil, v.DownwardAPI != nil, v.EmptyDir != nil, v.Ephemeral != nil,
			v.PersistentVolumeClaim != nil, v.Secret != nil:
		default:
			probs.add(ErrVolumeType, ref, "%s: allowed are configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret", field)
		}
	}
	if s.Resources != nil {
		checkResources(probs, ref, *s.Resources, f+".resources", p)
	}
	each := func(kind string, cs []corev1.Container) {
		for i := range cs {
			checkContainer(probs, ref, &cs[i], fmt.Sprintf("%s.%s[%d] (%s)", f, kind, i, cs[i].Name), p)
		}
	}
	each("initContainers", s.InitContainers)
	each("containers", s.Containers)
	for i := range s.EphemeralContainers {
		c := corev1.Container(s.EphemeralContainers[i].EphemeralContainerCommon)
		checkContainer(probs, ref, &c, fmt.Sprintf("%s.ephemeralContainers[%d] (%s)", f, i, c.Name), p)
	}
}

func checkSELinux(probs *problems, ref ObjectRef, o *corev1.SELinuxOptions, field string) {
	if o == nil {
		return
	}
	if !seLinuxTypes[o.Type] {
		probs.add(ErrPodSecurity, ref, "%s.seLinuxOptions.type %q is not allowed", field, o.Type)
	}
	if o.User != "" || o.Role != "" {
		probs.add(ErrPodSecurity, ref, "%s.seLinuxOptions.user and role must be empty", field)
	}
}

func checkContainer(probs *problems, ref ObjectRef, c *corev1.Container, field string, p Policy) {
	for i, port := range c.Ports {
		if port.HostPort != 0 {
			probs.add(ErrHostPort, ref, "%s.ports[%d].hostPort is %d", field, i, port.HostPort)
		} else if port.HostIP != "" {
			probs.add(ErrHostPort, ref, "%s.ports[%d].hostIP is set", field, i)
		}
	}
	checkResources(probs, ref, c.Resources, field+".resources", p)
	sc := c.SecurityContext
	if sc == nil {
		return
	}
	field += ".securityContext"
	if sc.Privileged != nil && *sc.Privileged {
		probs.add(ErrPrivileged, ref, "%s.privileged is true", field)
	}
	if sc.Capabilities != nil && len(sc.Capabilities.Add) > 0 {
		probs.add(ErrCapabilities, ref, "%s.capabilities.add is %v", field, sc.Capabilities.Add)
	}
	if sc.AllowPrivilegeEscalation != nil && *sc.AllowPrivilegeEscalation {
		probs.add(ErrPrivilegeEscalation, ref, "%s.allowPrivilegeEscalation is true", field)
	}
	if sc.RunAsNonRoot != nil && !*sc.RunAsNonRoot {
		probs.add(ErrRunAsRoot, ref, "%s.runAsNonRoot is false", field)
	}
	if sc.RunAsUser != nil && *sc.RunAsUser == 0 {
		probs.add(ErrRunAsRoot, ref, "%s.runAsUser is 0", field)
	}
	if sc.SeccompProfile != nil && sc.SeccompProfile.Type == corev1.SeccompProfileTypeUnconfined {
		probs.add(ErrSeccomp, ref, "%s.seccompProfile.type is Unconfined", field)
	}
	if sc.ProcMount != nil && *sc.ProcMount != corev1.DefaultProcMount {
		probs.add(ErrPodSecurity, ref, "%s.procMount is %s", field, *sc.ProcMount)
	}
	checkSELinux(probs, ref, sc.SELinuxOptions, field)
	if sc.AppArmorProfile != nil && sc.AppArmorProfile.Type == corev1.AppArmorProfileTypeUnconfined {
		probs.add(ErrPodSecurity, ref, "%s.appArmorProfile.type is Unconfined", field)
	}
	if sc.WindowsOptions != nil && sc.WindowsOptions.HostProcess != nil && *sc.WindowsOptions.HostProcess {
		probs.add(ErrPodSecurity, ref, "%s.windowsOptions.hostProcess is true", field)
	}
}

// checkResources refuses resources the order cannot account for.
func checkResources(probs *problems, ref ObjectRef, r corev1.ResourceRequirements, field string, p Policy) {
	for _, l := range []struct {
		name string
		list corev1.ResourceList
	}{{"requests", r.Requests}, {"limits", r.Limits}} {
		for name, q := range l.list {
			switch name {
			case corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage, p.GPUResource:
				if err := checkQuantity(q); err != nil {
					probs.add(ErrInvalidManifest, ref, "%s.%s.%s %s", field, l.name, name, err)
				}
			default:
				probs.add(ErrUnsupportedResource, ref, "%s.%s.%s: allowed are cpu, memory, ephemeral-storage and %s", field, l.name, name, p.GPUResource)
			}
		}
	}
	if len(r.Claims) > 0 {
		probs.add(ErrUnsupportedResource, ref, "%s.claims (dynamic resource allocation) is not supported", field)
	}
}
