package main

import (
	"bytes"
	"os"
	"text/template"
)

// Configuration files of the node's components, rendered into the state
// directory by up.

type configData struct {
	Dir, Socket, Pause, NodeName, NodeIP, Bridge, Network string
	PodCIDR, ClusterDNSDomain                             string
	KubeletPort, KubeletHealthPort                        int
	ProxyHealthPort, ProxyMetricsPort                     int
}

// containerd 1.6 (Debian bookworm). Everything it writes lives under the
// state directory; restrict_oom_score_adj because the machine has no
// CAP_SYS_RESOURCE; the plugins that would touch /opt or /run/containerd
// are pointed into the state directory or disabled.
const containerdConfig = `version = 2
root = "{{.Dir}}/containerd/root"
state = "{{.Dir}}/containerd/state"
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]

[grpc]
  address = "{{.Socket}}"

# Unused, but containerd 1.6's task service needs the v1 runtime loaded.
[plugins."io.containerd.runtime.v1.linux"]
  runtime_root = "{{.Dir}}/runc-v1"

[plugins."io.containerd.internal.v1.opt"]
  path = "{{.Dir}}/containerd/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "{{.Pause}}"
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "{{.Dir}}/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "{{.Dir}}/cni/net.d"
    max_conf_num = 1
`

// The bridge CNI network: pods get addresses from PodCIDR on the bridge,
// whose gateway address is the host's route to them.
const cniConfig = `{
  "cniVersion": "1.0.0",
  "name": "{{.Network}}",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "{{.Bridge}}",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "{{.PodCIDR}}"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "{{.Dir}}/cni/ipam"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
`

// The kubelet: cgroupfs on cgroup v1, swap tolerated, serving on the node's
// address (not 127.0.0.1: kubectl logs/exec go through the API server to
// it), image garbage collection off (images cannot be pulled again), and
// every directory it would create on the host moved into the state dir
// where the kubelet allows it.
const kubeletConfig = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: {{.NodeIP}}
port: {{.KubeletPort}}
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: {{.KubeletHealthPort}}
tlsCertFile: {{.Dir}}/pki/kubelet-server.crt
tlsPrivateKeyFile: {{.Dir}}/pki/kubelet-server.key
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: {{.Dir}}/pki/ca.crt
authorization:
  mode: Webhook
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://{{.Socket}}
clusterDomain: {{.ClusterDNSDomain}}
podCIDR: {{.PodCIDR}}
podLogsDir: {{.Dir}}/pod-logs
volumePluginDir: {{.Dir}}/kubelet-plugins
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 100Mi
  nodefs.available: 1%
  imagefs.available: 1%
  nodefs.inodesFree: 1%
rotateCertificates: false
serverTLSBootstrap: false
registerNode: true
`

// kube-proxy in iptables mode; it leaves the machine's conntrack sysctls and
// route_localnet alone.
const kubeProxyConfig = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: {{.Dir}}/kube-proxy.kubeconfig
mode: iptables
clusterCIDR: {{.PodCIDR}}
hostnameOverride: {{.NodeName}}
bindAddress: {{.NodeIP}}
healthzBindAddress: 127.0.0.1:{{.ProxyHealthPort}}
metricsBindAddress: 127.0.0.1:{{.ProxyMetricsPort}}
iptables:
  localhostNodePorts: false
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
`

func render(path, text string, data configData) error {
	t, err := template.New(path).Option("missingkey=error").Parse(text)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o600)
}
