package deploy

import "errors"

// Refusals of a manifest. Each wraps into an error whose message names
// the object (Kind/name), the container and the field; callers test them
// with errors.Is. A manifest with several problems returns them joined
// (errors.Join), up to maxProblems.
var (
	// ErrManifestHash: the fetched manifest's keccak256 is not the order's
	// manifestHash.
	ErrManifestHash = errors.New("manifest hash does not match the order")
	// ErrManifestSuperseded: the manifest is the one deployed before the
	// buyer set a new manifest hash on the order (Market.updateManifest);
	// only the order's current manifest may be deployed. It also matches
	// ErrManifestHash.
	ErrManifestSuperseded = errors.New("manifest was superseded on chain")
	// ErrInvalidManifest: not decodable, an unknown or duplicated field, a
	// missing name, too many objects, finalizers or owner references.
	ErrInvalidManifest = errors.New("invalid manifest")
	// ErrUnknownKind: a kind Kubernetes' own scheme does not know (custom
	// resources included).
	ErrUnknownKind = errors.New("unknown kind")
	// ErrKindNotAllowed: a namespaced kind outside the allow-list, or an
	// allowed kind in another API version.
	ErrKindNotAllowed = errors.New("kind not allowed")
	// ErrClusterScoped: a cluster-scoped kind (ClusterRole, Namespace…).
	ErrClusterScoped = errors.New("cluster-scoped objects are not allowed")
	// ErrForeignNamespace: an object names a namespace other than the
	// order's.
	ErrForeignNamespace = errors.New("object in another namespace")
	// ErrDuplicateObject: two objects of the same kind and name.
	ErrDuplicateObject = errors.New("duplicate object")
	// ErrPrivileged: a privileged container.
	ErrPrivileged = errors.New("privileged containers are not allowed")
	// ErrHostNetwork, ErrHostPID, ErrHostIPC: host namespaces.
	ErrHostNetwork = errors.New("hostNetwork is not allowed")
	ErrHostPID     = errors.New("hostPID is not allowed")
	ErrHostIPC     = errors.New("hostIPC is not allowed")
	// ErrHostPath: a hostPath volume.
	ErrHostPath = errors.New("hostPath volumes are not allowed")
	// ErrHostPort: a container port bound on the host.
	ErrHostPort = errors.New("hostPort is not allowed")
	// ErrCapabilities: added Linux capabilities.
	ErrCapabilities = errors.New("added capabilities are not allowed")
	// ErrPrivilegeEscalation: allowPrivilegeEscalation: true.
	ErrPrivilegeEscalation = errors.New("privilege escalation is not allowed")
	// ErrRunAsRoot: runAsNonRoot: false or runAsUser: 0.
	ErrRunAsRoot = errors.New("running as root is not allowed")
	// ErrSeccomp: an Unconfined seccomp profile.
	ErrSeccomp = errors.New("unconfined seccomp is not allowed")
	// ErrPodSecurity: another violation of the restricted Pod Security
	// Standard (procMount, sysctls, SELinux, AppArmor, hostProcess).
	ErrPodSecurity = errors.New("violates the restricted pod security standard")
	// ErrVolumeType: a volume type the restricted standard does not allow.
	ErrVolumeType = errors.New("volume type not allowed")
	// ErrServiceAccountToken: service account tokens (automount, a
	// projected token, a token Secret, a named service account).
	ErrServiceAccountToken = errors.New("service account tokens are not available to apps")
	// ErrPriorityClass: a priority class (it could preempt other pods).
	ErrPriorityClass = errors.New("priority classes are not allowed")
	// ErrNodePort, ErrLoadBalancer, ErrExternalName, ErrExternalIPs:
	// Services other than ClusterIP, or with external IPs.
	ErrNodePort     = errors.New("NodePort Services are not allowed")
	ErrLoadBalancer = errors.New("LoadBalancer Services are not allowed")
	ErrExternalName = errors.New("ExternalName Services are not allowed")
	ErrExternalIPs  = errors.New("Service externalIPs are not allowed")
	// ErrPVCBinding: a claim that names a PersistentVolume.
	ErrPVCBinding = errors.New("binding a claim to a named volume is not allowed")
	// ErrUnsupportedResource: a container resource other than cpu, memory,
	// ephemeral-storage and the GPU resource.
	ErrUnsupportedResource = errors.New("unsupported resource")
	// ErrOverQuota: the manifest's total requests or limits exceed the
	// order's resources.
	ErrOverQuota = errors.New("manifest exceeds the order's resources")
	// ErrEntrypoint: the entrypoint annotation or Service is ambiguous or
	// names nothing.
	ErrEntrypoint = errors.New("bad entrypoint")
)

// Errors of the deployer's other operations.
var (
	// ErrNotDeployed: the order has no namespace.
	ErrNotDeployed = errors.New("order not deployed")
	// ErrNoEntrypoint: the order's app has no entrypoint Service (none in
	// the manifest, or not yet applied).
	ErrNoEntrypoint = errors.New("order has no entrypoint")
	// ErrApply: the cluster refused an object; the error says what was
	// applied before.
	ErrApply = errors.New("applying the manifest failed")
	// ErrPodNotFound: Logs names a pod (or container) the order does not
	// have, or names none when there are several.
	ErrPodNotFound = errors.New("pod not found")
	// ErrLogUnavailable: the cluster cannot give the container's log now
	// (the container has not started, or its node does not serve logs).
	ErrLogUnavailable = errors.New("log unavailable")
)
