package gateway

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/gridnode/gridnode/gateway/internal/api"
	"github.com/gridnode/gridnode/gateway/internal/deploy"
	"github.com/gridnode/gridnode/gateway/internal/proxy"
	"github.com/gridnode/gridnode/pkg/manifest"
	"github.com/gridnode/gridnode/pkg/market"
)

// deployer adapts *deploy.Deployer to the API (api.Deployer), the app
// proxy (proxy.Resolver) and the listing (identity.CapacitySource).
type deployer struct{ d *deploy.Deployer }

func (a deployer) Deploy(ctx context.Context, o market.Order, manifestURL string) (*deploy.Deployment, error) {
	return a.d.Deploy(ctx, o, manifestURL)
}

func (a deployer) Status(ctx context.Context, o market.Order) (*deploy.Deployment, error) {
	return a.d.Get(ctx, o)
}

func (a deployer) Events(ctx context.Context, o market.Order) ([]deploy.Event, error) {
	return a.d.Events(ctx, o)
}

func (a deployer) Logs(ctx context.Context, o market.Order, opts api.LogOptions, w io.Writer) error {
	lo := deploy.LogOptions{Pod: opts.Pod, Container: opts.Container, Follow: opts.Follow}
	if opts.TailLines > 0 {
		n := opts.TailLines
		lo.TailLines = &n
	}
	return a.d.Logs(ctx, o, lo, w)
}

func (a deployer) Delete(ctx context.Context, o market.Order) error {
	return a.d.Delete(ctx, o)
}

func (a deployer) Entrypoint(ctx context.Context, o market.Order) (*url.URL, error) {
	u, err := a.d.Entrypoint(ctx, o)
	if err != nil && (errors.Is(err, deploy.ErrNoEntrypoint) || errors.Is(err, deploy.ErrNotDeployed)) {
		return nil, errors.Join(proxy.ErrNoEntrypoint, err)
	}
	return u, err
}

func (a deployer) Capacity(ctx context.Context) (total, free market.Resources, err error) {
	c, err := a.d.Capacity(ctx)
	if err != nil {
		return total, free, err
	}
	return c.Allocatable, c.Free, nil
}

// deployErrors maps the deployer's and the manifest fetch's errors to API
// errors: each refusal its own code, 422 for the manifest, 400 for the
// URL, 404 when nothing is deployed, 502 for the cluster or the manifest's
// server failing.
func deployErrors(err error) *api.Error {
	for _, m := range deployMapping {
		if errors.Is(err, m.err) {
			return &api.Error{Status: m.status, Code: m.code, Message: err.Error()}
		}
	}
	return nil
}

var deployMapping = []struct {
	err    error
	status int
	code   string
}{
	{manifest.ErrInvalidURL, http.StatusBadRequest, "manifest_url_invalid"},
	{manifest.ErrForbiddenAddress, http.StatusBadRequest, "manifest_address_forbidden"},
	{manifest.ErrTooManyRedirects, http.StatusBadRequest, "manifest_too_many_redirects"},
	{manifest.ErrTooLarge, http.StatusUnprocessableEntity, "manifest_too_large"},
	{manifest.ErrEmpty, http.StatusUnprocessableEntity, "manifest_empty"},
	{manifest.ErrUnreachable, http.StatusBadGateway, "manifest_unreachable"},
	{deploy.ErrManifestSuperseded, http.StatusConflict, "manifest_superseded"},
	{deploy.ErrManifestHash, http.StatusUnprocessableEntity, "manifest_hash_mismatch"},
	{deploy.ErrInvalidManifest, http.StatusUnprocessableEntity, "manifest_invalid"},
	{deploy.ErrUnknownKind, http.StatusUnprocessableEntity, "kind_unknown"},
	{deploy.ErrKindNotAllowed, http.StatusUnprocessableEntity, "kind_not_allowed"},
	{deploy.ErrClusterScoped, http.StatusUnprocessableEntity, "cluster_scoped"},
	{deploy.ErrForeignNamespace, http.StatusUnprocessableEntity, "foreign_namespace"},
	{deploy.ErrDuplicateObject, http.StatusUnprocessableEntity, "duplicate_object"},
	{deploy.ErrPrivileged, http.StatusUnprocessableEntity, "privileged"},
	{deploy.ErrHostNetwork, http.StatusUnprocessableEntity, "host_network"},
	{deploy.ErrHostPID, http.StatusUnprocessableEntity, "host_pid"},
	{deploy.ErrHostIPC, http.StatusUnprocessableEntity, "host_ipc"},
	{deploy.ErrHostPath, http.StatusUnprocessableEntity, "host_path"},
	{deploy.ErrHostPort, http.StatusUnprocessableEntity, "host_port"},
	{deploy.ErrCapabilities, http.StatusUnprocessableEntity, "capabilities"},
	{deploy.ErrPrivilegeEscalation, http.StatusUnprocessableEntity, "privilege_escalation"},
	{deploy.ErrRunAsRoot, http.StatusUnprocessableEntity, "run_as_root"},
	{deploy.ErrSeccomp, http.StatusUnprocessableEntity, "seccomp"},
	{deploy.ErrPodSecurity, http.StatusUnprocessableEntity, "pod_security"},
	{deploy.ErrVolumeType, http.StatusUnprocessableEntity, "volume_type"},
	{deploy.ErrServiceAccountToken, http.StatusUnprocessableEntity, "service_account_token"},
	{deploy.ErrPriorityClass, http.StatusUnprocessableEntity, "priority_class"},
	{deploy.ErrNodePort, http.StatusUnprocessableEntity, "node_port"},
	{deploy.ErrLoadBalancer, http.StatusUnprocessableEntity, "load_balancer"},
	{deploy.ErrExternalName, http.StatusUnprocessableEntity, "external_name"},
	{deploy.ErrExternalIPs, http.StatusUnprocessableEntity, "external_ips"},
	{deploy.ErrPVCBinding, http.StatusUnprocessableEntity, "pvc_binding"},
	{deploy.ErrUnsupportedResource, http.StatusUnprocessableEntity, "unsupported_resource"},
	{deploy.ErrOverQuota, http.StatusUnprocessableEntity, "over_quota"},
	{deploy.ErrEntrypoint, http.StatusUnprocessableEntity, "entrypoint"},
	{deploy.ErrNotDeployed, http.StatusNotFound, "not_deployed"},
	{deploy.ErrNoEntrypoint, http.StatusNotFound, "no_entrypoint"},
	{deploy.ErrPodNotFound, http.StatusNotFound, "pod_not_found"},
	{deploy.ErrLogUnavailable, http.StatusBadGateway, "log_unavailable"},
	{deploy.ErrNamespaceTerminating, http.StatusConflict, "namespace_terminating"},
	{deploy.ErrApply, http.StatusBadGateway, "apply_failed"},
}
