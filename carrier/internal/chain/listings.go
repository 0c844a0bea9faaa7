package chain

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/pkg/listing"
)

// maxListingsFile bounds the scheduler listings file.
const maxListingsFile = 16 << 20

// openStaticListings opens a directory at dbPath holding the signed
// listings of file (hex-encoded records, one per line; '#' starts a
// comment). Each record must decode, be valid, be signed by its provider
// and not be expired; a record that is not is refused with its line.
func openStaticListings(file, dbPath string, log *zap.Logger) (*directory.Directory, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.Size() > maxListingsFile {
		return nil, fmt.Errorf("%s: missing or over %d bytes", file, maxListingsFile)
	}
	var items []directory.Item
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4*listing.MaxRecordSize)
	now := time.Now().Unix()
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		raw, err := hex.DecodeString(strings.TrimPrefix(text, "0x"))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not hex: %w", file, line, err)
		}
		rec, err := listing.Unmarshal(raw)
		if err == nil {
			err = listing.CheckSignature(rec)
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, line, err)
		}
		if rec.Expires <= now {
			log.Warn("skipping an expired listing", zap.String("file", file), zap.Int("line", line), zap.Stringer("provider", rec.Provider))
			continue
		}
		items = append(items, directory.Item{Record: rec, Raw: raw})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	dir, err := directory.Open(dbPath, log.Named("listings"), directory.Options{})
	if err != nil {
		return nil, err
	}
	if len(items) > 0 {
		if _, err := dir.PutMany(items); err != nil {
			_ = dir.Close()
			return nil, err
		}
	}
	log.Info("scheduler listings loaded", zap.String("file", file), zap.Int("records", len(items)), zap.Int("held", dir.Len()))
	return dir, nil
}
