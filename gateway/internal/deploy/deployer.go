package deploy

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"

	"github.com/gridnode/gridnode/pkg/manifest"
	"github.com/gridnode/gridnode/pkg/market"
)

// Names of the objects the deployer puts in every order namespace.
const (
	QuotaName         = "gridnode-order"
	LimitRangeName    = "gridnode-defaults"
	NetworkPolicyName = "gridnode-ingress"
)

// ErrNamespaceTerminating: the order's namespace is being deleted.
var ErrNamespaceTerminating = errors.New("order namespace is being deleted")

// Deployer deploys orders' manifests into the cluster; safe for
// concurrent use. Run keeps its entrypoint cache current.
type Deployer struct {
	cfg   Config
	set   settings
	log   *zap.Logger
	kube  kubernetes.Interface
	dyn   dynamic.Interface
	fetch *manifest.Fetcher
	m     *metrics

	factory  informers.SharedInformerFactory
	services corelisters.ServiceLister
	synced   cache.InformerSynced

	mu      sync.Mutex
	entries map[string]*url.URL // namespace → entrypoint
	gens    map[string]uint64   // namespace → invalidation count

	// deploying serializes the deploys of one order on this replica (a
	// rollout and its prune are not interleaved with another's).
	deployMu  sync.Mutex
	deploying map[string]*orderLock
}

type orderLock struct {
	sem  chan struct{}
	refs int
}

// lockOrder holds the deploy lock of namespace ns until the returned
// function is called; it gives up when ctx ends.
func (d *Deployer) lockOrder(ctx context.Context, ns string) (func(), error) {
	d.deployMu.Lock()
	l := d.deploying[ns]
	if l == nil {
		l = &orderLock{sem: make(chan struct{}, 1)}
		d.deploying[ns] = l
	}
	l.refs++
	d.deployMu.Unlock()
	release := func() {
		d.deployMu.Lock()
		if l.refs--; l.refs == 0 {
			delete(d.deploying, ns)
		}
		d.deployMu.Unlock()
	}
	select {
	case l.sem <- struct{}{}:
		return func() { <-l.sem; release() }, nil
	case <-ctx.Done():
		release()
		return nil, fmt.Errorf("waiting for another deploy of the order: %w", ctx.Err())
	}
}

// New builds a Deployer on the cluster rc points at. reg, if not nil,
// receives the deployer's metrics.
func New(cfg Config, rc *rest.Config, log *zap.Logger, reg prometheus.Registerer) (*Deployer, error) {
	set, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	rc = rest.CopyConfig(rc)
	if rc.QPS == 0 {
		rc.QPS, rc.Burst = float32(cfg.KubeQPS), cfg.KubeBurst
	}
	kube, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	dyn, err := dynamic.NewForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	fetch, err := manifest.New(set.fetch)
	if err != nil {
		return nil, err
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	d := &Deployer{
		cfg: cfg, set: set, log: log, kube: kube, dyn: dyn, fetch: fetch, m: m,
		entries: map[string]*url.URL{}, gens: map[string]uint64{}, deploying: map[string]*orderLock{},
	}
	d.factory = informers.NewSharedInformerFactoryWithOptions(kube, 10*time.Minute,
		informers.WithTweakListOptions(func(o *metav1.ListOptions) { o.LabelSelector = LabelEntrypoint + "=true" }))
	inf := d.factory.Core().V1().Services()
	d.services, d.synced = inf.Lister(), inf.Informer().HasSynced
	invalidate := func(obj any) {
		if s, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = s.Obj
		}
		if s, ok := obj.(*corev1.Service); ok {
			d.invalidate(s.Namespace)
		}
	}
	if _, err := inf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: invalidate, UpdateFunc: func(_, n any) { invalidate(n) }, DeleteFunc: invalidate,
	}); err != nil {
		return nil, fmt.Errorf("service informer: %w", err)
	}
	return d, nil
}

// Run watches the entrypoint Services until ctx ends.
func (d *Deployer) Run(ctx context.Context) error {
	d.factory.Start(ctx.Done())
	<-ctx.Done()
	d.factory.Shutdown()
	return nil
}

// Ready reports whether the entrypoint cache has synced (a readiness
// check); before it has, Entrypoint asks the API server.
func (d *Deployer) Ready() error {
	if !d.synced() {
		return errors.New("entrypoint Services not synced yet")
	}
	return nil
}

// Deploy fetches the manifest at manifestURL, checks it against the order
// (its keccak256 must be o.ManifestHash: pass the order as the chain has
// it now) and applies it into the order's namespace with server-side
// apply. Deploying the same manifest again changes nothing; deploying the
// order's new manifest after Market.updateManifest rolls it out in the
// same namespace and prunes the objects the new manifest no longer has,
// except PersistentVolumeClaims, which are kept with their data. Deploys
// of one order are serialized on this replica. A refusal returns one of the Err* sentinels (pkg/manifest's for the
// fetch); an apply failure an *ApplyError, which says what was applied.
func (d *Deployer) Deploy(ctx context.Context, o market.Order, manifestURL string) (*Deployment, error) {
	start := time.Now()
	log := d.log.With(zap.String("order", orderString(o)), zap.String("namespace", safeNamespace(o)))
	dep, result, err := d.deploy(ctx, o, manifestURL, log)
	d.m.deploys.WithLabelValues(result).Inc()
	d.m.deployDuration.WithLabelValues(result).Observe(time.Since(start).Seconds())
	if err != nil {
		log.Warn("deploy failed", zap.String("result", result), zap.Duration("took", time.Since(start)), zap.Error(err))
		return nil, err
	}
	log.Info("deployed", zap.String("manifest", manifestLabel(o.ManifestHash)), zap.Int("objects", len(dep.Objects)),
		zap.String("phase", string(dep.Phase)), zap.Duration("took", time.Since(start)))
	return dep, nil
}

func orderString(o market.Order) string {
	if ValidateOrder(o) != nil {
		return "(invalid)"
	}
	return o.String()
}

func safeNamespace(o market.Order) string {
	if ValidateOrder(o) != nil {
		return ""
	}
	return Namespace(o)
}

func (d *Deployer) deploy(ctx context.Context, o market.Order, manifestURL string, log *zap.Logger) (*Deployment, string, error) {
	if err := ValidateOrder(o); err != nil {
		return nil, "invalid", err
	}
	m, err := d.fetch.Fetch(ctx, manifestURL)
	if err != nil {
		return nil, "fetch", fmt.Errorf("fetching the manifest: %w", err)
	}
	if m.Hash != o.ManifestHash {
		if d.deployedBefore(ctx, o, m.Hash) {
			return nil, "superseded", fmt.Errorf("%w: %w: %s hashes to 0x%x, a manifest deployed for this order before the buyer set its manifestHash to 0x%x; deploy the new manifest",
				ErrManifestSuperseded, ErrManifestHash, m.FinalURL, m.Hash, o.ManifestHash)
		}
		return nil, "hash", fmt.Errorf("%w: %s hashes to 0x%x (keccak256 of %d bytes), the order's manifestHash is 0x%x",
			ErrManifestHash, m.FinalURL, m.Hash, m.Size, o.ManifestHash)
	}
	plan, err := Validate(m.Body, o, d.set.policy)
	if err != nil {
		return nil, "refused", err
	}
	ctx, cancel := context.WithTimeout(ctx, d.cfg.ApplyTimeout)
	defer cancel()
	unlock, err := d.lockOrder(ctx, plan.Namespace)
	if err != nil {
		return nil, "apply", err
	}
	defer unlock()
	if err := d.apply(ctx, o, plan, log); err != nil {
		return nil, "apply", err
	}
	dep, err := d.Get(ctx, o)
	if err != nil {
		return nil, "apply", fmt.Errorf("applied, then reading the status: %w", err)
	}
	return dep, "ok", nil
}

// ApplyError reports a failed apply: the step that failed, what had been
// applied before, and whether a namespace created for this deploy was
// removed again.
type ApplyError struct {
	Namespace string
	// Step is "namespace", "policy", "dry-run", "apply" or "prune".
	Step string
	// Object is the object the cluster refused, if any.
	Object *ObjectRef
	// Applied are the manifest's objects applied before the failure.
	Applied []ObjectRef
	// NamespaceRemoved: the namespace was created by this deploy and,
	// nothing of the manifest applied, deleted again.
	NamespaceRemoved bool
	Err              error
}

func (e *ApplyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: namespace %s: %s", ErrApply, e.Namespace, e.Step)
	if e.Object != nil {
		fmt.Fprintf(&b, " %s", e.Object)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	switch {
	case e.Step == "prune":
		fmt.Fprintf(&b, "; every object of the manifest was applied (%s), removing the previous manifest's objects failed", joinRefs(e.Applied))
	case len(e.Applied) > 0:
		fmt.Fprintf(&b, "; applied before the failure: %s (deploying again applies the rest)", joinRefs(e.Applied))
	default:
		b.WriteString("; nothing of the manifest was applied")
	}
	if e.NamespaceRemoved {
		b.WriteString("; the namespace created for it was removed")
	}
	return b.String()
}

// Unwrap makes errors.Is find ErrApply and the cluster's error.
func (e *ApplyError) Unwrap() []error { return []error{ErrApply, e.Err} }

func joinRefs(refs []ObjectRef) string {
	s := make([]string, len(refs))
	for i, r := range refs {
		s[i] = r.String()
	}
	return strings.Join(s, ", ")
}

func (d *Deployer) applyOptions(dryRun bool) metav1.ApplyOptions {
	o := metav1.ApplyOptions{FieldManager: d.cfg.FieldManager, Force: true}
	if dryRun {
		o.DryRun = []string{metav1.DryRunAll}
	}
	return o
}

// apply puts the plan into the cluster: the namespace and its quota,
// limit range and network policy; a server-side dry run of every object;
// the objects; then it prunes the previous manifest's objects.
func (d *Deployer) apply(ctx context.Context, o market.Order, plan *Plan, log *zap.Logger) error {
	ns := plan.Namespace
	fail := func(step string, obj *ObjectRef, applied []ObjectRef, err error) error {
		return &ApplyError{Namespace: ns, Step: step, Object: obj, Applied: applied, Err: err}
	}
	existing, err := d.kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	created := apierrors.IsNotFound(err)
	switch {
	case err != nil && !created:
		return fail("namespace", nil, nil, err)
	case err == nil && existing.DeletionTimestamp != nil:
		return fail("namespace", nil, nil, fmt.Errorf("%w since %s", ErrNamespaceTerminating, existing.DeletionTimestamp.UTC().Format(time.RFC3339)))
	}
	var prior *corev1.Namespace
	if !created {
		prior = existing
	}
	if err := d.applyTyped(ctx, d.namespaceObject(o, plan, manifestHistory(prior, o.ManifestHash)), false); err != nil {
		return fail("namespace", nil, nil, err)
	}
	// From here on, a failure before any manifest object is applied
	// removes a namespace this deploy created.
	undo := func(e *ApplyError) error {
		if created && len(e.Applied) == 0 {
			if err := d.kube.CoreV1().Namespaces().Delete(context.WithoutCancel(ctx), ns, metav1.DeleteOptions{}); err == nil {
				e.NamespaceRemoved = true
			} else {
				log.Warn("removing the namespace of a failed deploy", zap.Error(err))
			}
		}
		return e
	}
	policy := d.policyObjects(o, ns)
	if i, err := parallel(ctx, len(policy), func(ctx context.Context, i int) error {
		return d.applyTyped(ctx, policy[i], false)
	}); err != nil {
		ref := refOf(policy[i])
		return undo(fail("policy", &ref, nil, err).(*ApplyError))
	}
	if i, err := parallel(ctx, len(plan.Objects), func(ctx context.Context, i int) error {
		return d.applyObject(ctx, plan.Objects[i], true)
	}); err != nil {
		u := plan.Objects[i]
		ref := ObjectRef{Kind: u.GetKind(), Name: u.GetName()}
		return undo(fail("dry-run", &ref, nil, err).(*ApplyError))
	}
	var applied []ObjectRef
	for _, u := range plan.Objects {
		ref := ObjectRef{Kind: u.GetKind(), Name: u.GetName()}
		if err := d.applyObject(ctx, u, false); err != nil {
			return fail("apply", &ref, applied, err)
		}
		applied = append(applied, ref)
	}
	if err := d.prune(ctx, ns, manifestLabel(o.ManifestHash), log); err != nil {
		return fail("prune", nil, applied, err)
	}
	return nil
}

func (d *Deployer) applyObject(ctx context.Context, u *unstructured.Unstructured, dryRun bool) error {
	gvr, ok := resources[u.GetKind()]
	if !ok {
		return fmt.Errorf("no resource for kind %s", u.GetKind())
	}
	var c dynamic.ResourceInterface = d.dyn.Resource(gvr)
	if u.GetNamespace() != "" {
		c = d.dyn.Resource(gvr).Namespace(u.GetNamespace())
	}
	_, err := c.Apply(ctx, u.GetName(), u, d.applyOptions(dryRun))
	return err
}

// scaffold are the typed objects the deployer owns in a namespace.
var scaffold = map[string]struct {
	gvr        schema.GroupVersionResource
	namespaced bool
}{
	"Namespace":     {corev1.SchemeGroupVersion.WithResource("namespaces"), false},
	"ResourceQuota": {corev1.SchemeGroupVersion.WithResource("resourcequotas"), true},
	"LimitRange":    {corev1.SchemeGroupVersion.WithResource("limitranges"), true},
	"NetworkPolicy": {networkingv1.SchemeGroupVersion.WithResource("networkpolicies"), true},
}

func (d *Deployer) applyTyped(ctx context.Context, obj runtime.Object, dryRun bool) error {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return err
	}
	delete(m, "status")
	pruneNulls(m)
	u := &unstructured.Unstructured{Object: m}
	unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
	s, ok := scaffold[u.GetKind()]
	if !ok {
		return fmt.Errorf("no resource for kind %s", u.GetKind())
	}
	var c dynamic.ResourceInterface = d.dyn.Resource(s.gvr)
	if s.namespaced {
		c = d.dyn.Resource(s.gvr).Namespace(u.GetNamespace())
	}
	_, err = c.Apply(ctx, u.GetName(), u, d.applyOptions(dryRun))
	return err
}

func refOf(obj runtime.Object) ObjectRef {
	r := ObjectRef{Kind: obj.GetObjectKind().GroupVersionKind().Kind}
	if o, ok := obj.(metav1.Object); ok {
		r.Name = o.GetName()
	}
	return r
}

// namespaceObject is the order's namespace: the order's labels, the
// restricted Pod Security level, and the order in annotations (with the
// hashes of the manifests deployed before, history).
func (d *Deployer) namespaceObject(o market.Order, plan *Plan, history string) *corev1.Namespace {
	l := orderLabels(o)
	for _, mode := range []string{"enforce", "audit", "warn"} {
		l["pod-security.kubernetes.io/"+mode] = "restricted"
		l["pod-security.kubernetes.io/"+mode+"-version"] = "latest"
	}
	res, _ := json.Marshal(o.Resources)
	a := map[string]string{
		AnnotationChainID:  o.ChainID.String(),
		AnnotationOrderID:  o.ID.String(),
		AnnotationManifest: fmt.Sprintf("0x%x", o.ManifestHash),
		AnnotationResource: string(res),
	}
	if history != "" {
		a[AnnotationPreviousManifests] = history
	}
	if !o.Start.IsZero() {
		a[AnnotationStart] = o.Start.UTC().Format(time.RFC3339)
	}
	if !o.End.IsZero() {
		a[AnnotationEnd] = o.End.UTC().Format(time.RFC3339)
	}
	if plan.Entrypoint != nil {
		a[AnnotationEntrypoint] = plan.Entrypoint.String()
	} else {
		a[AnnotationEntrypoint] = ""
	}
	return &corev1.Namespace{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: metav1.ObjectMeta{Name: plan.Namespace, Labels: l, Annotations: a},
	}
}

// policyObjects are the quota equal to the order's resources, the limit
// range with the container defaults, and the network policy that admits
// the gateway and the namespace's own pods only.
func (d *Deployer) policyObjects(o market.Order, ns string) []runtime.Object {
	l := orderLabels(o)
	r := o.Resources
	cpu := resource.NewMilliQuantity(int64(min(r.CPUMillis, 1<<62)), resource.DecimalSI)
	mem := resource.NewQuantity(int64(min(r.MemoryBytes, 1<<62)), resource.BinarySI)
	hard := corev1.ResourceList{
		corev1.ResourceRequestsCPU:                                          *cpu,
		corev1.ResourceLimitsCPU:                                            *cpu,
		corev1.ResourceRequestsMemory:                                       *mem,
		corev1.ResourceLimitsMemory:                                         *mem,
		corev1.ResourceRequestsStorage:                                      *resource.NewQuantity(int64(min(r.StorageBytes, 1<<62)), resource.BinarySI),
		corev1.ResourceName("requests." + string(d.set.policy.GPUResource)): *resource.NewQuantity(int64(r.GPUs), resource.DecimalSI),
	}
	quota := &corev1.ResourceQuota{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ResourceQuota"},
		ObjectMeta: metav1.ObjectMeta{Name: QuotaName, Namespace: ns, Labels: l},
		Spec:       corev1.ResourceQuotaSpec{Hard: hard},
	}
	limits := &corev1.LimitRange{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "LimitRange"},
		ObjectMeta: metav1.ObjectMeta{Name: LimitRangeName, Namespace: ns, Labels: l},
		Spec: corev1.LimitRangeSpec{Limits: []corev1.LimitRangeItem{{
			Type:           corev1.LimitTypeContainer,
			Default:        d.set.policy.Defaults.DeepCopy(),
			DefaultRequest: d.set.policy.Defaults.DeepCopy(),
		}}},
	}
	var from []networkingv1.NetworkPolicyPeer
	in := d.set.ingress
	if in.namespaces != nil || in.pods != nil {
		peer := networkingv1.NetworkPolicyPeer{NamespaceSelector: in.namespaces, PodSelector: in.pods}
		if peer.NamespaceSelector == nil {
			peer.NamespaceSelector = &metav1.LabelSelector{} // the gateway's pods in any namespace
		}
		from = append(from, peer)
	}
	for _, c := range in.cidrs {
		from = append(from, networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: c}})
	}
	from = append(from, networkingv1.NetworkPolicyPeer{PodSelector: &metav1.LabelSelector{}}) // the order's own pods
	netpol := &networkingv1.NetworkPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"},
		ObjectMeta: metav1.ObjectMeta{Name: NetworkPolicyName, Namespace: ns, Labels: l},
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{},
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
			Ingress:     []networkingv1.NetworkPolicyIngressRule{{From: from}},
		},
	}
	return []runtime.Object{quota, limits, netpol}
}

// deployedBefore reports whether the order's namespace was deployed with
// the manifest hash h (last, or before: its manifest history); false if
// there is no namespace or it cannot be read.
func (d *Deployer) deployedBefore(ctx context.Context, o market.Order, h [32]byte) bool {
	n, err := d.kube.CoreV1().Namespaces().Get(ctx, Namespace(o), metav1.GetOptions{})
	if err != nil {
		return false
	}
	want := fmt.Sprintf("0x%x", h)
	if n.Annotations[AnnotationManifest] == want {
		return true
	}
	for _, p := range strings.Split(n.Annotations[AnnotationPreviousManifests], ",") {
		if p == want {
			return true
		}
	}
	return false
}

// maxManifestHistory bounds the previous manifest hashes a namespace
// remembers.
const maxManifestHistory = 16

// manifestHistory is the previous-manifests annotation for a deploy of
// current into ns (nil when the namespace is new): the hash ns was last
// deployed with first, then its earlier history, without current, at most
// maxManifestHistory.
func manifestHistory(ns *corev1.Namespace, current [32]byte) string {
	if ns == nil {
		return ""
	}
	cur := fmt.Sprintf("0x%x", current)
	var out []string
	seen := map[string]bool{cur: true}
	add := func(h string) {
		if len(h) == 66 && strings.HasPrefix(h, "0x") && !seen[h] && len(out) < maxManifestHistory {
			if _, err := hex.DecodeString(h[2:]); err == nil {
				seen[h] = true
				out = append(out, h)
			}
		}
	}
	add(ns.Annotations[AnnotationManifest])
	for _, h := range strings.Split(ns.Annotations[AnnotationPreviousManifests], ",") {
		add(h)
	}
	return strings.Join(out, ",")
}

// keptKinds are never pruned: a PersistentVolumeClaim holds the app's data,
// which a new manifest that drops (or renames) the claim must not destroy.
// Deleting the order's deployment (or its end) removes them with the
// namespace.
var keptKinds = map[string]bool{"PersistentVolumeClaim": true}

// prune deletes the objects of earlier manifests: those of the allowed
// kinds that carry the deployer's label but another manifest label,
// except the kept kinds (PersistentVolumeClaims).
func (d *Deployer) prune(ctx context.Context, ns, current string, log *zap.Logger) error {
	sel := fmt.Sprintf("%s=%s,%s!=%s", LabelManagedBy, ManagedByValue, LabelManifest, current)
	bg := metav1.DeletePropagationBackground
	errs := make([]error, len(allowed))
	_, _ = parallel(ctx, len(allowed), func(ctx context.Context, i int) error {
		kind := allowed[i]
		if keptKinds[kind.Kind] {
			return nil
		}
		gvr := resources[kind.Kind]
		list, err := d.dyn.Resource(gvr).Namespace(ns).List(ctx, metav1.ListOptions{LabelSelector: sel})
		if err != nil {
			errs[i] = fmt.Errorf("listing %s: %w", gvr.Resource, err)
			return nil
		}
		var kindErrs []error
		for _, item := range list.Items {
			err := d.dyn.Resource(gvr).Namespace(ns).Delete(ctx, item.GetName(), metav1.DeleteOptions{PropagationPolicy: &bg})
			if err != nil && !apierrors.IsNotFound(err) {
				kindErrs = append(kindErrs, fmt.Errorf("deleting %s/%s: %w", kind.Kind, item.GetName(), err))
				continue
			}
			log.Info("pruned an object of an earlier manifest", zap.String("object", kind.Kind+"/"+item.GetName()),
				zap.String("manifest", item.GetLabels()[LabelManifest]))
		}
		errs[i] = errors.Join(kindErrs...)
		return nil
	})
	return errors.Join(errs...)
}

// maxParallel bounds the concurrent API requests of one deploy.
const maxParallel = 8

// parallel runs f for 0..n-1, at most maxParallel at once, and returns the
// lowest index that failed with its error (so reports do not depend on
// timing), or -1 and nil.
func parallel(ctx context.Context, n int, f func(ctx context.Context, i int) error) (int, error) {
	errs := make([]error, n)
	sem := make(chan struct{}, maxParallel)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = f(ctx, i)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return i, err
		}
	}
	return -1, nil
}

// Delete deletes the order's namespace and everything in it. It returns
// ErrNotDeployed if there is none; a namespace already being deleted is
// not an error.
func (d *Deployer) Delete(ctx context.Context, o market.Order) error {
	if err := ValidateOrder(o); err != nil {
		return err
	}
	ns := Namespace(o)
	bg := metav1.DeletePropagationBackground
	err := d.kube.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{PropagationPolicy: &bg})
	result := "ok"
	switch {
	case apierrors.IsNotFound(err):
		result, err = "not_found", fmt.Errorf("%w: no namespace %s", ErrNotDeployed, ns)
	case apierrors.IsConflict(err):
		result, err = "ok", nil // already terminating
	case err != nil:
		result, err = "error", fmt.Errorf("deleting namespace %s: %w", ns, err)
	}
	d.m.deletes.WithLabelValues(result).Inc()
	log := d.log.With(zap.String("order", o.String()), zap.String("namespace", ns))
	if err != nil && result == "error" {
		log.Warn("delete failed", zap.Error(err))
	} else if result == "ok" {
		log.Info("deleted")
	}
	d.invalidate(ns)
	return err
}

// Entrypoint returns the URL of the order's entrypoint Service
// (http://<cluster IP>:<port>). It answers from a cache that the Service
// informer invalidates; before Run has synced it asks the API server.
func (d *Deployer) Entrypoint(ctx context.Context, o market.Order) (*url.URL, error) {
	if err := ValidateOrder(o); err != nil {
		return nil, err
	}
	ns := Namespace(o)
	d.mu.Lock()
	u, ok := d.entries[ns]
	gen := d.gens[ns]
	d.mu.Unlock()
	if ok {
		c := *u
		return &c, nil
	}
	var svcs []*corev1.Service
	if d.synced() {
		var err error
		if svcs, err = d.services.Services(ns).List(labels.Everything()); err != nil {
			return nil, err
		}
	} else {
		d.m.entrypointUncached.Inc()
		list, err := d.kube.CoreV1().Services(ns).List(ctx, metav1.ListOptions{LabelSelector: LabelEntrypoint + "=true"})
		if err != nil {
			return nil, fmt.Errorf("listing the entrypoint Service: %w", err)
		}
		for i := range list.Items {
			svcs = append(svcs, &list.Items[i])
		}
	}
	if len(svcs) != 1 {
		return nil, fmt.Errorf("%w: %d entrypoint Services in %s", ErrNoEntrypoint, len(svcs), ns)
	}
	s := svcs[0]
	port, err := strconv.Atoi(s.Annotations[AnnotationEntrypointPort])
	if err != nil || port <= 0 || port > 65535 {
		return nil, fmt.Errorf("%w: Service/%s has no valid %s annotation", ErrNoEntrypoint, s.Name, AnnotationEntrypointPort)
	}
	if s.Spec.ClusterIP == "" || s.Spec.ClusterIP == corev1.ClusterIPNone {
		return nil, fmt.Errorf("%w: Service/%s has no cluster IP", ErrNoEntrypoint, s.Name)
	}
	u = &url.URL{Scheme: "http", Host: net.JoinHostPort(s.Spec.ClusterIP, strconv.Itoa(port))}
	if d.synced() {
		d.mu.Lock()
		if d.gens[ns] == gen {
			d.entries[ns] = u
		}
		d.mu.Unlock()
	}
	c := *u
	return &c, nil
}

func (d *Deployer) invalidate(ns string) {
	d.mu.Lock()
	d.gens[ns]++
	delete(d.entries, ns)
	d.mu.Unlock()
}

// cached is the cached entrypoint of namespace ns, if any (for tests).
func (d *Deployer) cached(ns string) *url.URL {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.entries[ns]
}
