package relay

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ID identifies a record of a Log, as a Redis stream entry id does: the Unix time of its append
// in milliseconds and a sequence number within that millisecond, written "1733540000000-0". Ids
// grow with every append, so they order the log; the zero ID, written "0-0", comes before every
// record. An ID is what a consumer sends back in Last-Event-ID to resume.
type ID struct {
	// Ms is the Unix time of the append in milliseconds.
	Ms uint64
	// Seq orders the records appended in the same millisecond.
	Seq uint64
}

// ErrInvalidID is returned by ParseID for a string that is not an ID.
var ErrInvalidID = errors.New("relay: invalid id")

// ParseID parses "<ms>-<seq>" (or "<ms>", meaning sequence 0), as String writes it.
func ParseID(s string) (ID, error) {
	if s == "" || len(s) > 41 {
		return ID{}, fmt.Errorf("%w: %.48q", ErrInvalidID, s)
	}
	msPart, seqPart, hasSeq := strings.Cut(s, "-")
	ms, err := parseDecimal(msPart)
	if err != nil {
		return ID{}, fmt.Errorf("%w: %.48q", ErrInvalidID, s)
	}
	var seq uint64
	if hasSeq {
		if seq, err = parseDecimal(seqPart); err != nil {
			return ID{}, fmt.Errorf("%w: %.48q", ErrInvalidID, s)
		}
	}
	return ID{Ms: ms, Seq: seq}, nil
}

// parseDecimal parses digits only: no sign, no spaces.
func parseDecimal(s string) (uint64, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, ErrInvalidID
	}
	return strconv.ParseUint(s, 10, 64)
}

// String returns "<ms>-<seq>".
func (id ID) String() string {
	return strconv.FormatUint(id.Ms, 10) + "-" + strconv.FormatUint(id.Seq, 10)
}

// IsZero reports whether id is the zero ID, before every record.
func (id ID) IsZero() bool { return id == ID{} }

// Compare returns -1, 0 or +1 as id comes before, is, or comes after o.
func (id ID) Compare(o ID) int {
	switch {
	case id.Ms < o.Ms:
		return -1
	case id.Ms > o.Ms:
		return 1
	case id.Seq < o.Seq:
		return -1
	case id.Seq > o.Seq:
		return 1
	}
	return 0
}

// Time returns the time of the append the id records.
func (id ID) Time() time.Time { return time.UnixMilli(int64(id.Ms)) } //nolint:gosec // ids are appended times

// MarshalText writes String.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText reads what ParseID accepts.
func (id *ID) UnmarshalText(b []byte) error {
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// nextID returns the id of a record appended at now after last: now's millisecond, or last's
// next sequence number when the clock has not passed last (the same millisecond, or a clock that
// went back).
func nextID(last ID, now time.Time) ID {
	ms := uint64(max(now.UnixMilli(), 0))
	if ms > last.Ms {
		return ID{Ms: ms}
	}
	return ID{Ms: last.Ms, Seq: last.Seq + 1}
}

// key is the id as 16 big-endian bytes, which sort as ids do.
func (id ID) key() []byte {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], id.Ms)
	binary.BigEndian.PutUint64(b[8:], id.Seq)
	return b[:]
}

func idFromKey(b []byte) ID {
	if len(b) != 16 {
		return ID{}
	}
	return ID{Ms: binary.BigEndian.Uint64(b[:8]), Seq: binary.BigEndian.Uint64(b[8:])}
}
