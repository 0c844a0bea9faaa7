package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestLockOrder: deploys of one order wait for each other, other orders'
// do not, a waiter gives up with its context, and no lock outlives its
// users.
func TestLockOrder(t *testing.T) {
	d := &Deployer{deploying: map[string]*orderLock{}}
	ctx := context.Background()
	unlockA, err := d.lockOrder(ctx, "gn-a")
	if err != nil {
		t.Fatal(err)
	}
	unlockB, err := d.lockOrder(ctx, "gn-b")
	if err != nil {
		t.Fatalf("another order waited: %v", err)
	}
	unlockB()

	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := d.lockOrder(short, "gn-a"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second deploy of the order while the first runs: %v, want it to wait and give up", err)
	}

	got := make(chan func())
	go func() {
		u, err := d.lockOrder(ctx, "gn-a")
		if err != nil {
			t.Error(err)
		}
		got <- u
	}()
	select {
	case <-got:
		t.Fatal("the second deploy did not wait for the first")
	case <-time.After(20 * time.Millisecond):
	}
	unlockA()
	(<-got)()
	d.deployMu.Lock()
	defer d.deployMu.Unlock()
	if len(d.deploying) != 0 {
		t.Errorf("%d locks left", len(d.deploying))
	}
}

// TestManifestHistory: the previous-manifests annotation is the hash the
// namespace was last deployed with, then its earlier history, never the
// current hash, without duplicates or garbage, at most 16.
func TestManifestHistory(t *testing.T) {
	h := func(b byte) string { return fmt.Sprintf("0x%x", [32]byte{b}) }
	ns := func(cur, prev string) *corev1.Namespace {
		return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{
			AnnotationManifest: cur, AnnotationPreviousManifests: prev}}}
	}
	long := make([]string, 20)
	for i := range long {
		long[i] = h(byte(10 + i))
	}
	for _, tc := range []struct {
		name string
		ns   *corev1.Namespace
		cur  byte
		want string
	}{
		{"new namespace", nil, 1, ""},
		{"same manifest again", ns(h(1), ""), 1, ""},
		{"an update", ns(h(1), ""), 2, h(1)},
		{"a second update", ns(h(2), h(1)), 3, h(2) + "," + h(1)},
		{"back to an earlier manifest", ns(h(2), h(1)), 1, h(2)},
		{"garbage is dropped", ns("0xzz", "x,,"+h(1)+","+h(1)), 2, h(1)},
		{"bounded", ns(h(1), strings.Join(long, ",")), 2, h(1) + "," + strings.Join(long[:15], ",")},
	} {
		if got := manifestHistory(tc.ns, [32]byte{tc.cur}); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
