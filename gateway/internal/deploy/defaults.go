package deploy

import (
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/gridnode/gridnode/pkg/market"
)

// defaultObject fills what the restricted Pod Security Standard and the
// quota need where the manifest leaves it unset.
func defaultObject(ob *object, p Policy) {
	switch o := ob.obj.(type) {
	case *appsv1.Deployment:
		defaultPod(&o.Spec.Template.Spec, p)
	case *appsv1.StatefulSet:
		defaultPod(&o.Spec.Template.Spec, p)
	case *batchv1.Job:
		defaultPod(&o.Spec.Template.Spec, p)
	}
}

// defaultPod sets, where unset: automountServiceAccountToken false;
// runAsNonRoot true and the RuntimeDefault seccomp profile at pod level;
// allowPrivilegeEscalation false and capabilities drop ALL on every
// container; and cpu and memory requests and limits: a request missing
// takes the limit, a limit missing takes the request, and a container
// with neither gets Policy.Defaults for both.
func defaultPod(s *corev1.PodSpec, p Policy) {
	if s.AutomountServiceAccountToken == nil {
		s.AutomountServiceAccountToken = ptr(false)
	}
	if s.SecurityContext == nil {
		s.SecurityContext = &corev1.PodSecurityContext{}
	}
	if s.SecurityContext.RunAsNonRoot == nil {
		s.SecurityContext.RunAsNonRoot = ptr(true)
	}
	if s.SecurityContext.SeccompProfile == nil {
		s.SecurityContext.SeccompProfile = &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}
	}
	for i := range s.InitContainers {
		defaultContainer(&s.InitContainers[i], p)
	}
	for i := range s.Containers {
		defaultContainer(&s.Containers[i], p)
	}
}

func defaultContainer(c *corev1.Container, p Policy) {
	if c.SecurityContext == nil {
		c.SecurityContext = &corev1.SecurityContext{}
	}
	sc := c.SecurityContext
	if sc.AllowPrivilegeEscalation == nil {
		sc.AllowPrivilegeEscalation = ptr(false)
	}
	if sc.Capabilities == nil {
		sc.Capabilities = &corev1.Capabilities{}
	}
	if !slices.Contains(sc.Capabilities.Drop, "ALL") {
		sc.Capabilities.Drop = append(sc.Capabilities.Drop, "ALL")
	}
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, hasReq := c.Resources.Requests[name]
		lim, hasLim := c.Resources.Limits[name]
		switch {
		case hasReq && hasLim:
			continue
		case hasLim:
			req = lim
		case hasReq:
			lim = req
		default:
			req, lim = p.Defaults[name], p.Defaults[name]
		}
		if c.Resources.Requests == nil {
			c.Resources.Requests = corev1.ResourceList{}
		}
		if c.Resources.Limits == nil {
			c.Resources.Limits = corev1.ResourceList{}
		}
		c.Resources.Requests[name], c.Resources.Limits[name] = req.DeepCopy(), lim.DeepCopy()
	}
	// An extended resource's request equals its limit; Kubernetes fills a
	// missing request from the limit.
	if lim, ok := c.Resources.Limits[p.GPUResource]; ok {
		if _, ok := c.Resources.Requests[p.GPUResource]; !ok {
			c.Resources.Requests[p.GPUResource] = lim.DeepCopy()
		}
	}
}

func ptr[T any](v T) *T { return &v }

// Totals are the resources a manifest may hold at once.
type Totals struct {
	// CPUMillis is in millicores; MemoryBytes and StorageBytes in bytes.
	CPUMillis, MemoryBytes, StorageBytes, GPUs *big.Int
	// By lists each workload's and claim's share, for error messages.
	By []Share `json:"-"`
}

// Share is one object's part of the totals.
type Share struct {
	Ref      ObjectRef
	Replicas int64
	Pod      podResources
}

type podResources struct{ cpu, mem, gpu, storage *big.Int }

func newPodResources() podResources {
	return podResources{new(big.Int), new(big.Int), new(big.Int), new(big.Int)}
}

func newTotals() Totals {
	return Totals{CPUMillis: new(big.Int), MemoryBytes: new(big.Int), StorageBytes: new(big.Int), GPUs: new(big.Int)}
}

func (t *Totals) add(ref ObjectRef, replicas int64, pod podResources) {
	n := big.NewInt(replicas)
	t.CPUMillis.Add(t.CPUMillis, new(big.Int).Mul(n, pod.cpu))
	t.MemoryBytes.Add(t.MemoryBytes, new(big.Int).Mul(n, pod.mem))
	t.GPUs.Add(t.GPUs, new(big.Int).Mul(n, pod.gpu))
	t.StorageBytes.Add(t.StorageBytes, new(big.Int).Mul(n, pod.storage))
	t.By = append(t.By, Share{Ref: ref, Replicas: replicas, Pod: pod})
}

// totals sums what the workloads may run at once (replicas plus the
// rolling update surge of a Deployment, a Job's parallelism) and what the
// claims request (a StatefulSet's claim templates once per replica).
func totals(objs []*object, p Policy) (req, lim Totals, err error) {
	req, lim = newTotals(), newTotals()
	for _, ob := range objs {
		var (
			spec     *corev1.PodSpec
			replicas int64
			claims   []corev1.PersistentVolumeClaimSpec
		)
		switch o := ob.obj.(type) {
		case *appsv1.Deployment:
			spec, replicas = &o.Spec.Template.Spec, int64(deref(o.Spec.Replicas, 1))
			if replicas < 0 {
				return req, lim, fmt.Errorf("%w: %s: spec.replicas is negative", ErrInvalidManifest, ob.ref)
			}
			surge, err := deploymentSurge(o, replicas)
			if err != nil {
				return req, lim, fmt.Errorf("%w: %s: %v", ErrInvalidManifest, ob.ref, err)
			}
			replicas += surge
		case *appsv1.StatefulSet:
			spec, replicas = &o.Spec.Template.Spec, int64(deref(o.Spec.Replicas, 1))
			if replicas < 0 {
				return req, lim, fmt.Errorf("%w: %s: spec.replicas is negative", ErrInvalidManifest, ob.ref)
			}
			for _, c := range o.Spec.VolumeClaimTemplates {
				claims = append(claims, c.Spec)
			}
		case *batchv1.Job:
			spec, replicas = &o.Spec.Template.Spec, int64(deref(o.Spec.Parallelism, 1))
			if o.Spec.Completions != nil && int64(*o.Spec.Completions) < replicas {
				replicas = int64(*o.Spec.Completions)
			}
			if replicas < 0 {
				return req, lim, fmt.Errorf("%w: %s: spec.parallelism is negative", ErrInvalidManifest, ob.ref)
			}
		case *corev1.PersistentVolumeClaim:
			pod := newPodResources()
			pod.storage = storageOf(o.Spec)
			req.add(ob.ref, 1, pod)
			lim.add(ob.ref, 1, pod)
			continue
		default:
			continue
		}
		rq, lm := podRequests(spec, p, false), podRequests(spec, p, true)
		for _, c := range claims {
			rq.storage.Add(rq.storage, storageOf(c))
		}
		lm.storage.Set(rq.storage)
		req.add(ob.ref, replicas, rq)
		lim.add(ob.ref, replicas, lm)
	}
	return req, lim, nil
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// deploymentSurge is how many pods above replicas a rolling update may
// create: maxSurge (default 25%, rounded up), none for Recreate.
func deploymentSurge(d *appsv1.Deployment, replicas int64) (int64, error) {
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType || replicas == 0 {
		return 0, nil
	}
	surge := intstr.FromString("25%")
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil && ru.MaxSurge != nil {
		surge = *ru.MaxSurge
	}
	if replicas > 1<<31 {
		return 0, fmt.Errorf("spec.replicas %d is too large", replicas)
	}
	n, err := intstr.GetScaledValueFromIntOrPercent(&surge, int(replicas), true)
	if err != nil {
		return 0, fmt.Errorf("spec.strategy.rollingUpdate.maxSurge: %v", err)
	}
	if n < 0 {
		return 0, fmt.Errorf("spec.strategy.rollingUpdate.maxSurge is negative")
	}
	return int64(n), nil
}

func storageOf(s corev1.PersistentVolumeClaimSpec) *big.Int {
	q, ok := s.Resources.Requests[corev1.ResourceStorage]
	if !ok {
		return new(big.Int)
	}
	return ceilInt(q.AsDec().String())
}

// ceilInt rounds a decimal string up to an integer.
func ceilInt(s string) *big.Int {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return new(big.Int)
	}
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if m.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// podRequests is the pod's effective request (or limit) as Kubernetes
// computes it: the larger of the app containers plus the restartable init
// (sidecar) containers, and of each init container plus the sidecars
// started before it. Pod-level resources, when set, replace it.
func podRequests(s *corev1.PodSpec, p Policy, limits bool) podResources {
	pick := func(r corev1.ResourceRequirements) corev1.ResourceList {
		if limits {
			return r.Limits
		}
		return r.Requests
	}
	get := func(l corev1.ResourceList) (cpu, mem, gpu *big.Int) {
		cpu, mem, gpu = new(big.Int), new(big.Int), new(big.Int)
		if q, ok := l[corev1.ResourceCPU]; ok {
			cpu = ceilInt(q.AsDec().String() + "e3")
		}
		if q, ok := l[corev1.ResourceMemory]; ok {
			mem = ceilInt(q.AsDec().String())
		}
		if q, ok := l[p.GPUResource]; ok {
			gpu = ceilInt(q.AsDec().String())
		}
		return
	}
	out := newPodResources()
	add := func(dst podResources, l corev1.ResourceList) {
		c, m, g := get(l)
		dst.cpu.Add(dst.cpu, c)
		dst.mem.Add(dst.mem, m)
		dst.gpu.Add(dst.gpu, g)
	}
	maxOf := func(dst, v podResources) {
		for _, pair := range [][2]*big.Int{{dst.cpu, v.cpu}, {dst.mem, v.mem}, {dst.gpu, v.gpu}} {
			if pair[1].Cmp(pair[0]) > 0 {
				pair[0].Set(pair[1])
			}
		}
	}
	for _, c := range s.Containers {
		add(out, pick(c.Resources))
	}
	sidecars, initMax := newPodResources(), newPodResources()
	for _, c := range s.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			add(sidecars, pick(c.Resources))
			maxOf(initMax, sidecars)
			continue
		}
		one := newPodResources()
		add(one, pick(c.Resources))
		one.cpu.Add(one.cpu, sidecars.cpu)
		one.mem.Add(one.mem, sidecars.mem)
		one.gpu.Add(one.gpu, sidecars.gpu)
		maxOf(initMax, one)
	}
	out.cpu.Add(out.cpu, sidecars.cpu)
	out.mem.Add(out.mem, sidecars.mem)
	out.gpu.Add(out.gpu, sidecars.gpu)
	maxOf(out, initMax)
	if s.Resources != nil {
		c, m, _ := get(pick(*s.Resources))
		if _, ok := pick(*s.Resources)[corev1.ResourceCPU]; ok {
			out.cpu = c
		}
		if _, ok := pick(*s.Resources)[corev1.ResourceMemory]; ok {
			out.mem = m
		}
	}
	return out
}

// fits checks the totals against the order.
func fits(req, lim Totals, r market.Resources) error {
	var over []string
	check := func(what string, have *big.Int, want uint64, unit func(*big.Int) string, t Totals, get func(podResources) *big.Int) {
		if have.Cmp(new(big.Int).SetUint64(want)) <= 0 {
			return
		}
		var parts []string
		for _, s := range t.By {
			if v := get(s.Pod); v.Sign() > 0 && s.Replicas > 0 {
				parts = append(parts, fmt.Sprintf("%s %d×%s", s.Ref, s.Replicas, unit(v)))
			}
		}
		over = append(over, fmt.Sprintf("%s %s (%s) but the order has %s", what, unit(have), strings.Join(parts, ", "),
			unit(new(big.Int).SetUint64(want))))
	}
	milli := func(v *big.Int) string { return v.String() + "m" }
	bytes := func(v *big.Int) string { return v.String() + " bytes" }
	count := func(v *big.Int) string { return v.String() }
	check("cpu requests", req.CPUMillis, r.CPUMillis, milli, req, func(p podResources) *big.Int { return p.cpu })
	check("cpu limits", lim.CPUMillis, r.CPUMillis, milli, lim, func(p podResources) *big.Int { return p.cpu })
	check("memory requests", req.MemoryBytes, r.MemoryBytes, bytes, req, func(p podResources) *big.Int { return p.mem })
	check("memory limits", lim.MemoryBytes, r.MemoryBytes, bytes, lim, func(p podResources) *big.Int { return p.mem })
	check("GPUs", req.GPUs, uint64(r.GPUs), count, req, func(p podResources) *big.Int { return p.gpu })
	check("storage", req.StorageBytes, r.StorageBytes, bytes, req, func(p podResources) *big.Int { return p.storage })
	if len(over) > 0 {
		return fmt.Errorf("%w: %s (rolling-update surge counts; set maxSurge: 0 or strategy Recreate to avoid it)", ErrOverQuota, strings.Join(over, "; "))
	}
	return nil
}

// entrypoint resolves the app's entrypoint: the gridnode.io/entrypoint
// annotation ("<service>:<port>", the port by number or name) on any
// object, or else the only Service if its only port.
func entrypoint(objs []*object) (*EntrypointRef, error) {
	var named string
	var from ObjectRef
	services := map[string]*corev1.Service{}
	var order []string
	for _, ob := range objs {
		if v, ok := ob.meta.Annotations[AnnotationEntrypoint]; ok {
			if named != "" && v != named {
				return nil, fmt.Errorf("%w: %s names %q and %s names %q", ErrEntrypoint, from, named, ob.ref, v)
			}
			named, from = v, ob.ref
		}
		if s, ok := ob.obj.(*corev1.Service); ok {
			services[s.Name] = s
			order = append(order, s.Name)
		}
	}
	if named == "" {
		switch len(order) {
		case 0:
			return nil, nil
		case 1:
		default:
			return nil, fmt.Errorf("%w: %d Services (%s) and no %s annotation naming one as <service>:<port>",
				ErrEntrypoint, len(order), strings.Join(order, ", "), AnnotationEntrypoint)
		}
		s := services[order[0]]
		if len(s.Spec.Ports) != 1 {
			return nil, fmt.Errorf("%w: Service/%s has %d ports; name one with the %s annotation (<service>:<port>)",
				ErrEntrypoint, s.Name, len(s.Spec.Ports), AnnotationEntrypoint)
		}
		if s.Spec.ClusterIP == corev1.ClusterIPNone {
			return nil, fmt.Errorf("%w: Service/%s is headless (clusterIP: None); the entrypoint needs a cluster IP", ErrEntrypoint, s.Name)
		}
		return &EntrypointRef{Service: s.Name, Port: s.Spec.Ports[0].Port}, nil
	}
	name, port, ok := strings.Cut(named, ":")
	if !ok || name == "" || port == "" {
		return nil, fmt.Errorf("%w: %s: annotation %s is %q; want <service>:<port>", ErrEntrypoint, from, AnnotationEntrypoint, named)
	}
	s := services[name]
	if s == nil {
		return nil, fmt.Errorf("%w: %s: annotation %s names Service %q, which the manifest does not have", ErrEntrypoint, from, AnnotationEntrypoint, name)
	}
	if s.Spec.ClusterIP == corev1.ClusterIPNone {
		return nil, fmt.Errorf("%w: Service/%s is headless (clusterIP: None); the entrypoint needs a cluster IP", ErrEntrypoint, s.Name)
	}
	n, numErr := strconv.ParseInt(port, 10, 32)
	for _, sp := range s.Spec.Ports {
		if (numErr == nil && int64(sp.Port) == n) || (sp.Name != "" && sp.Name == port) {
			return &EntrypointRef{Service: name, Port: sp.Port}, nil
		}
	}
	return nil, fmt.Errorf("%w: %s: annotation %s names port %q, which Service/%s does not have", ErrEntrypoint, from, AnnotationEntrypoint, port, name)
}

// AnnotationEntrypointPort on the applied entrypoint Service holds the
// resolved port.
const AnnotationEntrypointPort = "gridnode.io/entrypoint-port"

// toUnstructured renders an object for server-side apply: the order's
// namespace and labels, server-owned metadata and status dropped, nulls
// removed.
func toUnstructured(ob *object, ns string, labels map[string]string, ep *EntrypointRef) (*unstructured.Unstructured, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(ob.obj)
	if err != nil {
		return nil, err
	}
	delete(m, "status")
	dropArtifacts(ob.raw, ob.pre, m)
	pruneNulls(m)
	u := &unstructured.Unstructured{Object: m}
	u.SetAPIVersion(ob.gvk.GroupVersion().String())
	u.SetKind(ob.gvk.Kind)
	u.SetNamespace(ns)
	for _, f := range []string{"creationTimestamp", "resourceVersion", "uid", "generation", "managedFields", "selfLink",
		"deletionTimestamp", "deletionGracePeriodSeconds"} {
		unstructured.RemoveNestedField(u.Object, "metadata", f)
	}
	l := u.GetLabels()
	if l == nil {
		l = map[string]string{}
	}
	for k, v := range labels {
		l[k] = v
	}
	if ep != nil && ob.gvk.Kind == "Service" && ob.ref.Name == ep.Service {
		l[LabelEntrypoint] = "true"
		a := u.GetAnnotations()
		if a == nil {
			a = map[string]string{}
		}
		a[AnnotationEntrypointPort] = strconv.Itoa(int(ep.Port))
		u.SetAnnotations(a)
	} else {
		delete(l, LabelEntrypoint)
	}
	u.SetLabels(l)
	return u, nil
}

// dropArtifacts removes from post what the manifest (raw) did not set and
// the defaults did not change: zero values the converter renders for
// fields without omitempty (targetPort: 0, strategy: {}), which apply
// would otherwise claim.
func dropArtifacts(raw any, pre any, post map[string]any) {
	r, _ := raw.(map[string]any)
	p, _ := pre.(map[string]any)
	for k, v := range post {
		rv, inRaw := r[k]
		pv := p[k]
		if !inRaw && reflect.DeepEqual(pv, v) {
			delete(post, k)
			continue
		}
		switch v := v.(type) {
		case map[string]any:
			dropArtifacts(rv, pv, v)
		case []any:
			rl, _ := rv.([]any)
			pl, _ := pv.([]any)
			for i, e := range v {
				if m, ok := e.(map[string]any); ok {
					var re, pe any
					if i < len(rl) {
						re = rl[i]
					}
					if i < len(pl) {
						pe = pl[i]
					}
					dropArtifacts(re, pe, m)
				}
			}
		}
	}
}

// pruneNulls removes null values (and maps left empty by it inside
// metadata) so that apply does not claim fields the manifest never set.
func pruneNulls(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if e == nil {
				delete(t, k)
				continue
			}
			pruneNulls(e)
		}
	case []any:
		for _, e := range t {
			pruneNulls(e)
		}
	}
}
