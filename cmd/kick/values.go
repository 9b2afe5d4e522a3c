package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// stringsValue is a repeatable string flag; a value with commas counts as several. It is a
// pflag.SliceValue, so that the next-page hint repeats it value by value.
type stringsValue struct{ p *[]string }

func (v stringsValue) String() string { return strings.Join(*v.p, ",") }

func (v stringsValue) Set(s string) error {
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*v.p = append(*v.p, part)
		}
	}
	return nil
}

func (stringsValue) Type() string { return "strings" }

func (v stringsValue) Append(s string) error { return v.Set(s) }

func (v stringsValue) Replace(s []string) error {
	*v.p = nil
	for _, x := range s {
		if err := v.Set(x); err != nil {
			return err
		}
	}
	return nil
}

func (v stringsValue) GetSlice() []string { return append([]string(nil), *v.p...) }

// idsValue is a repeatable flag of positive integer ids; a value with commas counts as several.
type idsValue struct{ p *[]int64 }

func (v idsValue) String() string { return strings.Join(v.GetSlice(), ",") }

func (v idsValue) Set(s string) error {
	for part := range strings.SplitSeq(s, ",") {
		id, err := parseID(strings.TrimSpace(part))
		if err != nil {
			return err
		}
		*v.p = append(*v.p, id)
	}
	return nil
}

func (idsValue) Type() string { return "ids" }

func (v idsValue) Append(s string) error { return v.Set(s) }

func (v idsValue) Replace(s []string) error {
	*v.p = nil
	for _, x := range s {
		if err := v.Set(x); err != nil {
			return err
		}
	}
	return nil
}

func (v idsValue) GetSlice() []string {
	s := make([]string, len(*v.p))
	for i, id := range *v.p {
		s[i] = strconv.FormatInt(id, 10)
	}
	return s
}

// idValue is a flag of one positive integer id; 0 means unset.
type idValue struct{ p *int64 }

func (v idValue) String() string {
	if *v.p == 0 {
		return ""
	}
	return strconv.FormatInt(*v.p, 10)
}

func (v idValue) Set(s string) error {
	id, err := parseID(s)
	if err != nil {
		return err
	}
	*v.p = id
	return nil
}

func (idValue) Type() string { return "id" }

var errNotAnID = errors.New("want a positive integer id")

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotAnID
	}
	return id, nil
}

// parseIDArgs parses positional ids, a usage error naming what they are when one is not an id.
func parseIDArgs(args []string, what string) ([]int64, error) {
	ids := make([]int64, 0, len(args))
	for _, a := range args {
		id, err := parseID(a)
		if err != nil {
			return nil, usagef("invalid %s %q: want a positive integer", what, a)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// describeFlagValue is the flag value in an error: quoted.
func describeFlagValue(name, value string) string {
	return fmt.Sprintf("--%s %q", name, value)
}
