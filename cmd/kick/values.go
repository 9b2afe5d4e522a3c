package main

import (
	"fmt"
	"strconv"
	"strings"
)

// stringsValue is a repeatable string flag; a value with commas counts as several.
type stringsValue struct{ p *[]string }

func (v stringsValue) String() string {
	if v.p == nil {
		return ""
	}
	return strings.Join(*v.p, ",")
}

func (v stringsValue) Set(s string) error {
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*v.p = append(*v.p, part)
		}
	}
	return nil
}

// idsValue is a repeatable flag of positive integer ids; a value with commas counts as several.
type idsValue struct{ p *[]int64 }

func (v idsValue) String() string {
	if v.p == nil {
		return ""
	}
	s := make([]string, len(*v.p))
	for i, id := range *v.p {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

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

// idValue is a flag of one positive integer id; 0 means unset.
type idValue struct{ p *int64 }

func (v idValue) String() string {
	if v.p == nil || *v.p == 0 {
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

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("not a positive integer id: %q", s)
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

// intFlag is an int flag that remembers whether the command line set it.
type intFlag struct {
	p   *int
	set *bool
}

func (v intFlag) String() string {
	if v.p == nil {
		return "0"
	}
	return strconv.Itoa(*v.p)
}

func (v intFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not an integer: %q", s)
	}
	*v.p, *v.set = n, true
	return nil
}
