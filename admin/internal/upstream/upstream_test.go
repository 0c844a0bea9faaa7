package upstream

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"
	"go.uber.org/zap/zaptest"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/test/consultest"
)

// TestPickActiveCarrier registers two carriers in a real Consul agent and
// checks that calls go to the holder of the org's carrier lock, and to a
// passing one when nobody holds it.
func TestPickActiveCarrier(t *testing.T) {
	agent := consultest.Start(t)
	c := agent.Client()
	for _, id := range []string{"carrier-a", "carrier-b"} {
		port := map[string]int{"carrier-a": 7001, "carrier-b": 7002}[id]
		if err := c.Agent().ServiceRegister(&api.AgentServiceRegistration{ID: id, Name: "carrier", Address: "127.0.0.1", Port: port,
			Meta: map[string]string{"org": "org-a"}}); err != nil {
			t.Fatal(err)
		}
	}
	w, err := consul.NewWatcher(c, consul.ServiceCarrier, consul.WatchOptions{}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { _ = w.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for set, _ := w.Snapshot(); len(set) != 2; set, _ = w.Snapshot() {
		if time.Now().After(deadline) {
			t.Fatal("watcher never saw both carriers")
		}
		time.Sleep(20 * time.Millisecond)
	}

	if _, err := (&Carrier{watcher: w}).Do(ctx, "GET", "status", nil, nil, ""); !errors.Is(err, ErrNoToken) {
		t.Fatalf("without a token: %v", err)
	}
	car, err := NewCarrier(w, c, "org-a", "token")
	if err != nil {
		t.Fatal(err)
	}
	tg, err := car.Pick(ctx)
	if err != nil || tg.Active {
		t.Fatalf("no lock holder: %+v, %v", tg, err)
	}

	// carrier-b takes the lock as the carrier does: a session, then acquire
	// with its instance id as the value.
	sid, _, err := c.Session().Create(&api.SessionEntry{TTL: "30s", Behavior: api.SessionBehaviorRelease}, nil)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := consul.CarrierLockKey("org-a")
	if ok, _, err := c.KV().Acquire(&api.KVPair{Key: key, Value: []byte("carrier-b"), Session: sid}, nil); err != nil || !ok {
		t.Fatalf("acquire: %v %v", ok, err)
	}
	time.Sleep(lockCacheTTL + 50*time.Millisecond)
	tg, err = car.Pick(ctx)
	if err != nil || !tg.Active || tg.ID != "carrier-b" || tg.URL != "http://127.0.0.1:7002" {
		t.Fatalf("with carrier-b holding the lock: %+v, %v", tg, err)
	}
	// Released: back to any passing one, not active.
	if _, err := c.Session().Destroy(sid, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(lockCacheTTL + 50*time.Millisecond)
	if tg, err = car.Pick(ctx); err != nil || tg.Active {
		t.Fatalf("after release: %+v, %v", tg, err)
	}
}
