package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gridnode/gridnode/pkg/market"
)

// Phase is a deployment's overall state.
type Phase string

// Phases: Pending (no workload has a ready pod yet), Progressing (some
// have), Ready (every object is ready), Failed (an object failed; the
// message says which), Deleting (the namespace is being deleted).
const (
	PhasePending     Phase = "Pending"
	PhaseProgressing Phase = "Progressing"
	PhaseReady       Phase = "Ready"
	PhaseFailed      Phase = "Failed"
	PhaseDeleting    Phase = "Deleting"
)

// Deployment is an order's deployment as the cluster sees it.
type Deployment struct {
	Order     string `json:"order"`
	Namespace string `json:"namespace"`
	// Manifest is the manifest hash last deployed (0x…).
	Manifest string `json:"manifest"`
	Phase    Phase  `json:"phase"`
	Message  string `json:"message,omitempty"`
	// Entrypoint is "<service>:<port>", empty without one.
	Entrypoint string         `json:"entrypoint,omitempty"`
	Objects    []ObjectStatus `json:"objects"`
	Created    time.Time      `json:"created"`
}

// ObjectStatus is one object of the manifest.
type ObjectStatus struct {
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Ready   bool   `json:"ready"`
	Failed  bool   `json:"failed,omitempty"`
	Message string `json:"message,omitempty"`
	// workload is set for Deployments, StatefulSets and Jobs; started
	// when at least one of their pods is ready.
	workload, started bool
}

// Get reads the order's deployment: each object of the manifest with its
// readiness and the overall phase. ErrNotDeployed if there is none.
func (d *Deployer) Get(ctx context.Context, o market.Order) (*Deployment, error) {
	if err := ValidateOrder(o); err != nil {
		return nil, err
	}
	ns := Namespace(o)
	n, err := d.kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, fmt.Errorf("%w: no namespace %s", ErrNotDeployed, ns)
	}
	if err != nil {
		return nil, fmt.Errorf("reading namespace %s: %w", ns, err)
	}
	dep := &Deployment{
		Order: o.String(), Namespace: ns, Manifest: n.Annotations[AnnotationManifest],
		Entrypoint: n.Annotations[AnnotationEntrypoint], Created: n.CreationTimestamp.Time,
	}
	objs, err := d.objectStatus(ctx, ns)
	if err != nil {
		return nil, err
	}
	dep.Objects = objs
	dep.Phase, dep.Message = phase(objs)
	if n.DeletionTimestamp != nil {
		dep.Phase, dep.Message = PhaseDeleting, "the namespace is being deleted"
	}
	return dep, nil
}

func (d *Deployer) objectStatus(ctx context.Context, ns string) ([]ObjectStatus, error) {
	lo := metav1.ListOptions{LabelSelector: LabelManagedBy + "=" + ManagedByValue}
	core, apps, batch := d.kube.CoreV1(), d.kube.AppsV1(), d.kube.BatchV1()
	// One list per kind, in apply order, run concurrently.
	kinds := []func(ctx context.Context) ([]ObjectStatus, error){
		func(ctx context.Context) ([]ObjectStatus, error) {
			l, err := core.ConfigMaps(ns).List(ctx, lo)
			if err != nil {
				return nil, listErr("configmaps", err)
			}
			out := make([]ObjectStatus, len(l.Items))
			for i, c := range l.Items {
				out[i] = ObjectStatus{Kind: "ConfigMap", Name: c.Name, Ready: true}
			}
			return out, nil
		},
		func(ctx context.Context) ([]ObjectStatus, error) {
			l, err := core.Secrets(ns).List(ctx, lo)
			if err != nil {
				return nil, listErr("secrets", err)
			}
			out := make([]ObjectStatus, len(l.Items))
			for i, c := range l.Items {
				out[i] = ObjectStatus{Kind: "Secret", Name: c.Name, Ready: true}
			}
			return out, nil
		},
		func(ctx context.Context) ([]ObjectStatus, error) {
			l, err := core.PersistentVolumeClaims(ns).List(ctx, lo)
			if err != nil {
				return nil, listErr("persistentvolumeclaims", err)
			}
			out := make([]ObjectStatus, len(l.Items))
			for i, c := range l.Items {
				out[i] = ObjectStatus{Kind: "PersistentVolumeClaim", Name: c.Name, Ready: c.Status.Phase == corev1.ClaimBound,
					Message: "claim " + strings.ToLower(string(c.Status.Phase))}
			}
			return out, nil
		},
		func(ctx context.Context) ([]ObjectStatus, error) {
			l, err := core.Services(ns).List(ctx, lo)
			if err != nil {
				return nil, listErr("services", err)
			}
			out := make([]ObjectStatus, len(l.Items))
			for i, c := range l.Items {
				out[i] = ObjectStatus{Kind: "Service", Name: c.Name, Ready: c.Spec.ClusterIP != ""}
			}
			return out, nil
		},
		func(ctx context.Context) ([]ObjectStatus, error) {
			l, err := apps.StatefulSets(ns).List(ctx, lo)
			if err != nil {
				return nil, listErr("statefulsets", err)
			}
			out := make([]ObjectStatus, len(l.Items))
			for i, s := range l.Items {
				out[i] = ObjectStatus{Kind: "StatefulSet", Name: s.Name, Ready: statefulSetReady(&s),
					Message:  fmt.Sprintf("%d/%d ready", s.Status.ReadyReplicas, deref(s.Spec.Replicas, 1)),
					workload: true, started: s.Status.ReadyReplicas > 0}
			}
			return out, nil
		},
		func(ctx context.Context) ([]ObjectStatus, error) {
			l, err := apps.Deployments(ns).List(ctx, lo)
			if err != nil {
				return nil, listErr("deployments", err)
			}
			out := make([]ObjectStatus, len(l.Items))
			for i, dp := range l.Items {
				ready, failed, msg := deploymentReady(&dp)
				out[i] = ObjectStatus{Kind: "Deployment", Name: dp.Name, Ready: ready, Failed: failed, Message: msg,
					workload: true, started: dp.Status.ReadyReplicas > 0}
			}
			return out, nil
		},
		func(ctx context.Context) ([]ObjectStatus, error) {
			l, err := batch.Jobs(ns).List(ctx, lo)
			if err != nil {
				return nil, listErr("jobs", err)
			}
			out := make([]ObjectStatus, len(l.Items))
			for i, j := range l.Items {
				ready, failed, msg := jobReady(&j)
				out[i] = ObjectStatus{Kind: "Job", Name: j.Name, Ready: ready, Failed: failed, Message: msg,
					workload: true, started: j.Status.Active > 0 || ready}
			}
			return out, nil
		},
	}
	results := make([][]ObjectStatus, len(kinds))
	if _, err := parallel(ctx, len(kinds), func(ctx context.Context, i int) error {
		var err error
		results[i], err = kinds[i](ctx)
		return err
	}); err != nil {
		return nil, err
	}
	var out []ObjectStatus
	for _, r := range results {
		out = append(out, r...)
	}
	return out, nil
}

func listErr(what string, err error) error { return fmt.Errorf("listing %s: %w", what, err) }

func deploymentReady(d *appsv1.Deployment) (ready, failed bool, msg string) {
	want := deref(d.Spec.Replicas, 1)
	s := d.Status
	msg = fmt.Sprintf("%d/%d ready, %d updated", s.ReadyReplicas, want, s.UpdatedReplicas)
	for _, c := range s.Conditions {
		switch {
		case c.Type == appsv1.DeploymentProgressing && c.Status == corev1.ConditionFalse:
			return false, true, c.Reason + ": " + c.Message
		case c.Type == appsv1.DeploymentReplicaFailure && c.Status == corev1.ConditionTrue:
			return false, true, c.Reason + ": " + c.Message
		}
	}
	ready = s.ObservedGeneration >= d.Generation && s.UpdatedReplicas == want && s.ReadyReplicas == want &&
		s.AvailableReplicas == want && s.Replicas == want
	return ready, false, msg
}

func statefulSetReady(s *appsv1.StatefulSet) bool {
	want := deref(s.Spec.Replicas, 1)
	st := s.Status
	return st.ObservedGeneration >= s.Generation && st.ReadyReplicas == want && st.UpdatedReplicas == want
}

func jobReady(j *batchv1.Job) (ready, failed bool, msg string) {
	for _, c := range j.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			continue
		}
		switch c.Type {
		case batchv1.JobComplete:
			return true, false, "complete"
		case batchv1.JobFailed:
			return false, true, c.Reason + ": " + c.Message
		}
	}
	return false, false, fmt.Sprintf("%d active, %d succeeded", j.Status.Active, j.Status.Succeeded)
}

// phase sums the objects up.
func phase(objs []ObjectStatus) (Phase, string) {
	var failed, waiting []string
	started := false
	for _, o := range objs {
		ref := o.Kind + "/" + o.Name
		switch {
		case o.Failed:
			failed = append(failed, ref+": "+o.Message)
		case !o.Ready:
			waiting = append(waiting, ref)
		}
		started = started || (o.workload && (o.started || o.Ready))
	}
	switch {
	case len(failed) > 0:
		return PhaseFailed, strings.Join(failed, "; ")
	case len(waiting) == 0:
		return PhaseReady, ""
	case started:
		return PhaseProgressing, "waiting for " + strings.Join(waiting, ", ")
	default:
		return PhasePending, "waiting for " + strings.Join(waiting, ", ")
	}
}

// namespace returns the order's namespace, or ErrNotDeployed.
func (d *Deployer) namespace(ctx context.Context, o market.Order) (string, error) {
	ns := Namespace(o)
	_, err := d.kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return "", fmt.Errorf("%w: no namespace %s", ErrNotDeployed, ns)
	}
	if err != nil {
		return "", fmt.Errorf("reading namespace %s: %w", ns, err)
	}
	return ns, nil
}

// Event is a Kubernetes event of the order's namespace.
type Event struct {
	Time    time.Time `json:"time"`
	Type    string    `json:"type"`
	Reason  string    `json:"reason"`
	Object  string    `json:"object"`
	Message string    `json:"message"`
	Count   int32     `json:"count"`
}

// maxEvents bounds Events.
const maxEvents = 500

// Events returns the namespace's events, oldest first (at most the 500
// the API server lists first).
func (d *Deployer) Events(ctx context.Context, o market.Order) ([]Event, error) {
	if err := ValidateOrder(o); err != nil {
		return nil, err
	}
	ns, err := d.namespace(ctx, o)
	if err != nil {
		return nil, err
	}
	list, err := d.kube.CoreV1().Events(ns).List(ctx, metav1.ListOptions{Limit: maxEvents})
	if err != nil {
		return nil, fmt.Errorf("listing events: %w", err)
	}
	out := make([]Event, 0, len(list.Items))
	for _, e := range list.Items {
		t := e.LastTimestamp.Time
		if t.IsZero() {
			t = e.EventTime.Time
		}
		if t.IsZero() {
			t = e.CreationTimestamp.Time
		}
		out = append(out, Event{
			Time: t, Type: e.Type, Reason: e.Reason, Object: e.InvolvedObject.Kind + "/" + e.InvolvedObject.Name,
			Message: e.Message, Count: max(e.Count, 1),
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out, nil
}

// LogOptions select a container's log.
type LogOptions struct {
	// Pod may be empty when the order has exactly one pod.
	Pod string
	// Container may be empty when the pod has one container.
	Container string
	// Follow streams until the container stops, ctx ends or LimitBytes is
	// reached.
	Follow       bool
	TailLines    *int64
	SinceSeconds *int64
	// LimitBytes is capped at the configured log-max-bytes.
	LimitBytes *int64
}

// Logs copies a container's log of the order's namespace to w, flushing
// after each write when w can (an http.ResponseWriter). Only the order's
// own pods are reachable.
func (d *Deployer) Logs(ctx context.Context, o market.Order, opts LogOptions, w io.Writer) error {
	if err := ValidateOrder(o); err != nil {
		return err
	}
	ns, err := d.namespace(ctx, o)
	if err != nil {
		return err
	}
	pods := d.kube.CoreV1().Pods(ns)
	pod := opts.Pod
	if pod == "" {
		list, err := pods.List(ctx, metav1.ListOptions{Limit: 50})
		if err != nil {
			return fmt.Errorf("listing pods: %w", err)
		}
		switch len(list.Items) {
		case 0:
			return fmt.Errorf("%w: the order has no pods", ErrPodNotFound)
		case 1:
			pod = list.Items[0].Name
		default:
			names := make([]string, len(list.Items))
			for i, p := range list.Items {
				names[i] = p.Name
			}
			return fmt.Errorf("%w: the order has several pods; name one of %s", ErrPodNotFound, strings.Join(names, ", "))
		}
	}
	p, err := pods.Get(ctx, pod, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("%w: the order has no pod %q", ErrPodNotFound, pod)
	}
	if err != nil {
		return fmt.Errorf("reading pod %s: %w", pod, err)
	}
	if opts.Container != "" && !hasContainer(p, opts.Container) {
		return fmt.Errorf("%w: pod %s has no container %q", ErrPodNotFound, pod, opts.Container)
	}
	limit := d.cfg.LogMaxBytes
	if opts.LimitBytes != nil && *opts.LimitBytes > 0 && *opts.LimitBytes < limit {
		limit = *opts.LimitBytes
	}
	req := pods.GetLogs(pod, &corev1.PodLogOptions{
		Container: opts.Container, Follow: opts.Follow, TailLines: opts.TailLines,
		SinceSeconds: opts.SinceSeconds, LimitBytes: &limit,
	})
	rc, err := req.Stream(ctx)
	if err != nil {
		return fmt.Errorf("%w: reading the log of %s: %v", ErrLogUnavailable, pod, err)
	}
	defer rc.Close()
	_, err = copyFlush(w, io.LimitReader(rc, limit))
	if err != nil && ctx.Err() != nil {
		return nil // the caller went away
	}
	return err
}

func hasContainer(p *corev1.Pod, name string) bool {
	for _, c := range p.Spec.InitContainers {
		if c.Name == name {
			return true
		}
	}
	for _, c := range p.Spec.Containers {
		if c.Name == name {
			return true
		}
	}
	return false
}

// copyFlush copies r to w and flushes w after each write if it can.
func copyFlush(w io.Writer, r io.Reader) (int64, error) {
	f, _ := w.(interface{ Flush() })
	buf := make([]byte, 32<<10)
	var n int64
	for {
		k, err := r.Read(buf)
		if k > 0 {
			if _, werr := w.Write(buf[:k]); werr != nil {
				return n, werr
			}
			n += int64(k)
			if f != nil {
				f.Flush()
			}
		}
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
